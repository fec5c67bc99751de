import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MultipartKit
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import EaselKit

/// An OpenAI-compatible Images API served in the test on 127.0.0.1 by Hummingbird: it records every
/// request and answers as the test's script says. The real ``ImagesClient`` talks to it over HTTP.
struct FakeImagesServer: Sendable {
    /// One request as the server received it.
    struct Received: Sendable {
        var method: String
        var path: String
        var query: String?
        /// The `Host` the client asked for, e.g. `127.0.0.1:54321`.
        var authority: String?
        /// When the request arrived.
        var arrived: Date
        var headers: [String: String]
        var body: [UInt8]

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        var text: String { String(decoding: body, as: UTF8.self) }

        /// The multipart parts, in order, by the boundary of the Content-Type.
        func parts() throws -> [Part] {
            let contentType = try #require(headers["content-type"])
            let boundary = try #require(contentType.components(separatedBy: "boundary=").last)
            let parser = MultipartParser(boundary: boundary)
            var parts: [Part] = []
            var current = Part(headers: [:], body: [])
            parser.onHeader = { (name: String, value: String) in current.headers[name.lowercased()] = value }
            parser.onBody = { (buffer: inout ByteBuffer) in
                current.body += buffer.readBytes(length: buffer.readableBytes) ?? []
            }
            parser.onPartComplete = {
                parts.append(current)
                current = Part(headers: [:], body: [])
            }
            try parser.execute(body)
            return parts
        }
    }

    /// A part of a multipart body.
    struct Part: Sendable {
        var headers: [String: String]
        var body: [UInt8]

        var name: String? { disposition("name") }
        var fileName: String? { disposition("filename") }
        var text: String { String(decoding: body, as: UTF8.self) }

        private func disposition(_ key: String) -> String? {
            guard let header = headers["content-disposition"] else { return nil }
            for item in header.split(separator: ";") {
                let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == key {
                    return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            return nil
        }
    }

    /// What to answer.
    enum Reply: Sendable {
        /// A status, a body and extra headers.
        case answer(status: Int, body: String, headers: [String: String] = [:])
        /// Headers promising `declared` bytes, then `sent`, then the connection closes.
        case truncated(declared: Int, sent: String)
        /// A status and headers, then a body written piece by piece as a hostile server may:
        /// `next(i)` is the i-th piece (nil ends the body), with `pause` before each piece after
        /// the first. Pieces written are counted in ``bytesSent``.
        case pieces(
            status: Int,
            headers: [String: String],
            contentLength: Int?,
            pause: Duration = .zero,
            next: @Sendable (Int) -> [UInt8]?
        )
    }

    private let sent = NIOLockedValueBox(0)
    /// Body bytes written by `.pieces` answers so far: how much of a huge answer a client read.
    var bytesSent: Int { sent.withLockedValue { $0 } }

    private let log = NIOLockedValueBox<[Received]>([])
    private let load = NIOLockedValueBox((inFlight: 0, peak: 0, rejected: 0))
    let reply: @Sendable (Received, Int) -> Reply
    /// How long each accepted request takes to answer.
    let latency: Duration
    /// Above this many requests in flight, answer 429 at once (as a rate-limited API does).
    let maxInFlight: Int?

    /// A server answering each request with `reply(request, its 0-based number)`.
    init(latency: Duration = .zero, maxInFlight: Int? = nil, reply: @escaping @Sendable (Received, Int) -> Reply) {
        self.latency = latency
        self.maxInFlight = maxInFlight
        self.reply = reply
    }

    /// The most requests the server held at once, and how many it turned away with a 429.
    var loadSeen: (peak: Int, rejected: Int) { load.withLockedValue { ($0.peak, $0.rejected) } }

    var received: [Received] { log.withLockedValue { $0 } }

    /// Starts the server, runs `body` with its base URL (`http://127.0.0.1:PORT/v1`), stops it.
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        for path in [
            "/v1/images/generations", "/v1/images/edits", "/v1/images/variations",
            "/openai/v1/images/generations", "/openai/deployments/:deployment/images/generations",
        ] {
            router.post(RouterPath(stringLiteral: path)) { request, _ in try await self.handle(request) }
        }
        router.get("/files/:name") { request, _ in try await self.handle(request) }
        // The Files and Batch APIs (issue 15), answered by the same script.
        router.post("/v1/files") { request, _ in try await self.handle(request) }
        router.get("/v1/files/:id/content") { request, _ in try await self.handle(request) }
        router.post("/v1/batches") { request, _ in try await self.handle(request) }
        router.get("/v1/batches") { request, _ in try await self.handle(request) }
        router.get("/v1/batches/:id") { request, _ in try await self.handle(request) }
        router.post("/v1/batches/:id/cancel") { request, _ in try await self.handle(request) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let result = NIOLockedValueBox<T?>(nil)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            result.withLockedValue { $0 = nil }
            let value = try await body("http://127.0.0.1:\(port)/v1")
            result.withLockedValue { $0 = value }
        }
        return try #require(result.withLockedValue { $0 })
    }

    private func handle(_ request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 64 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let arrived = Date()
        let received = Received(
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            authority: request.head.authority,
            arrived: arrived,
            headers: headers,
            body: Array(bytes.readableBytesView)
        )
        let index = log.withLockedValue { log in
            log.append(received)
            return log.count - 1
        }
        if received.method == "POST" {
            let admitted = load.withLockedValue { load in
                if let limit = maxInFlight, load.inFlight >= limit {
                    load.rejected += 1
                    return false
                }
                load.inFlight += 1
                load.peak = max(load.peak, load.inFlight)
                return true
            }
            guard admitted else {
                return try await respond(
                    Self.failure(
                        429,
                        type: "requests",
                        code: "rate_limit_exceeded",
                        message: "Rate limit reached for images"
                    )
                )
            }
            defer { load.withLockedValue { $0.inFlight -= 1 } }
            if latency > .zero { try await Task.sleep(for: latency) }
            return try await respond(reply(received, index))
        }
        return try await respond(reply(received, index))
    }

    private func respond(_ reply: Reply) async throws -> Response {
        switch reply {
        case .answer(let status, let body, let extra):
            var fields: HTTPFields = [.contentType: "application/json"]
            for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
            return Response(
                status: HTTPResponse.Status(code: status),
                headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(string: body))
            )
        case .pieces(let status, let extra, let length, let pause, let next):
            var fields: HTTPFields = [.contentType: "application/json"]
            for (name, value) in extra { fields[HTTPField.Name(name)!] = value }
            return Response(
                status: HTTPResponse.Status(code: status),
                headers: fields,
                body: ResponseBody(contentLength: length) { [sent] writer in
                    var index = 0
                    while let piece = next(index) {
                        if index > 0, pause > .zero { try await Task.sleep(for: pause) }
                        try await writer.write(ByteBuffer(bytes: piece))
                        sent.withLockedValue { $0 += piece.count }
                        index += 1
                    }
                    try await writer.finish(nil)
                }
            )
        case .truncated(let declared, let sent):
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(contentLength: declared) { writer in
                    try await writer.write(ByteBuffer(string: sent))
                    throw CancellationError()
                }
            )
        }
    }
}

extension FakeImagesServer {
    /// A small real PNG, base64-encoded, as the API sends it.
    static let pngBase64: String = {
        let png = try! PlaceholderRenderer.renderSync(prompt: "fake", width: 64, height: 48, key: "ab")
        return png.base64EncodedString()
    }()

    /// The same small image in each format Easel keeps, base64-encoded.
    static let base64ByFormat: [String: String] = {
        let png = Data(base64Encoded: pngBase64)!
        return [
            "png": pngBase64,
            "jpeg": try! Vips.jpeg(from: png).base64EncodedString(),
            "webp": try! Vips.webp(from: png, lossless: true).base64EncodedString(),
        ]
    }()

    /// The `output_format` a request asked for (JSON or multipart), "png" when it set none.
    static func askedFormat(_ received: Received) -> String {
        if let json = received.json { return json["output_format"] as? String ?? "png" }
        return (try? received.parts().first { $0.name == "output_format" }?.text) ?? "png"
    }

    /// A successful answer with `count` images in `format`.
    static func success(
        count: Int = 1,
        extra: String =
            #","output_format":"png","size":"1024x1024","quality":"high","usage":{"input_tokens":50,"input_tokens_details":{"text_tokens":50,"image_tokens":0},"output_tokens":4160,"total_tokens":4210}"#,
        requestID: String = "req_fake",
        format: String = "png"
    ) -> Reply {
        let image = base64ByFormat[format] ?? pngBase64
        let items = Array(repeating: #"{"b64_json":"\#(image)"}"#, count: count).joined(separator: ",")
        return .answer(
            status: 200,
            body: #"{"created":1764000000,"data":[\#(items)]\#(extra)}"#,
            headers: ["x-request-id": requestID]
        )
    }

    /// An OpenAI error answer.
    static func failure(
        _ status: Int,
        type: String,
        code: String?,
        message: String,
        headers: [String: String] = [:]
    ) -> Reply {
        let codeJSON = code.map { "\"\($0)\"" } ?? "null"
        return .answer(
            status: status,
            body: #"{"error":{"message":"\#(message)","type":"\#(type)","param":null,"code":\#(codeJSON)}}"#,
            headers: headers.merging(["x-request-id": "req_err"]) { a, _ in a }
        )
    }
}

/// A clock for retry tests: `sleep` returns at once and records how long it was asked to wait.
final class RecordingClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let state = NIOLockedValueBox<(now: Instant, sleeps: [Duration])>((Instant(offset: .zero), []))

    var now: Instant { state.withLockedValue { $0.now } }
    var minimumResolution: Duration { .zero }
    var sleeps: [Duration] { state.withLockedValue { $0.sleeps } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        state.withLockedValue { state in
            state.sleeps.append(state.now.duration(to: deadline))
            state.now = deadline
        }
    }
}
