import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import EaselKit

/// A broken or malicious OpenAI-compatible server, in the test on 127.0.0.1 (issue 11, holes 3, 4,
/// 10 and 11, and the hostile-server matrix). Whatever it answers, Easel keeps only images of the
/// format asked for, never a secret, and never more memory or time than its limits allow.
struct HostileServerTests {
    static let key = "sk-test-hostile-0123456789abcdefghij"

    /// What a test changes of the client's settings.
    struct Limits: Sendable {
        var apiKey = HostileServerTests.key
        var maxBytesPerImage: Int?
        var requestTimeout: Duration?
    }

    /// A project with one prompt (`front` is its front matter), built against `server`.
    private func build(
        _ server: FakeImagesServer,
        front: String = "",
        limits: Limits = Limits(),
        _ check: @escaping @Sendable (TemporaryProject, BuildReport) async throws -> Void
    ) async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", (front.isEmpty ? "" : "---\n\(front)\n---\n") + "A cat.")
            try await server.run { baseURL in
                var settings = APISettings(baseURL: baseURL, apiKey: limits.apiKey)
                settings.maxRetries = 0
                if let bytes = limits.maxBytesPerImage { settings.maxBytesPerImage = bytes }
                if let timeout = limits.requestTimeout { settings.requestTimeout = timeout }
                let opened = try project.open()
                let report = try await ImagesClient.withHTTPClient(for: settings) { http in
                    let client = ImagesClient(settings: settings, httpClient: http, spool: opened.cache.spoolFolder)
                    return try await Builder(project: opened, source: client).build(BuildOptions())
                }
                try await check(project, report)
            }
        }
    }

    private static func answer(_ images: [Data], extra: String = "") -> FakeImagesServer.Reply {
        let items = images.map { #"{"b64_json":"\#($0.base64EncodedString())"}"# }.joined(separator: ",")
        return .answer(status: 200, body: #"{"created":1764000000,"data":[\#(items)]\#(extra)}"#)
    }

    private static let png = Data(base64Encoded: FakeImagesServer.pngBase64)!

    private func failure(_ report: BuildReport) -> String {
        report.prompts.first?.failure ?? "no failure"
    }

    private func cacheIsEmpty(_ project: TemporaryProject) throws -> Bool {
        try project.open().cache.keys().isEmpty
    }

    struct Refused: Sendable, CustomTestStringConvertible {
        var name: String
        var front: String
        var images: @Sendable () -> [Data]
        var extra: String
        var says: String
        var testDescription: String { name }
    }

    /// On 1d745f2 the first was cached as 1.png and poisoned every later build; the svg was
    /// published as images/….svg (stored XSS at the gallery's origin).
    @Test(arguments: [
        Refused(
            name: "HTML bytes as b64_json",
            front: "",
            images: { [Data("<!doctype html><html><script>alert(1)</script></html>".utf8)] },
            extra: "",
            says: "image 1 is not an image: it is an HTML page"
        ),
        Refused(
            name: "a JPEG when png was asked for",
            front: "",
            images: { [try! Vips.jpeg(from: png)] },
            extra: #","output_format":"png""#,
            says: "image 1 is a JPEG, but png was asked for"
        ),
        Refused(
            name: "a PNG when webp was asked for",
            front: "format: webp",
            images: { [png] },
            extra: #","output_format":"webp""#,
            says: "image 1 is a PNG, but webp was asked for"
        ),
        Refused(
            name: "an SVG with a script, the server choosing svg",
            front: "",
            images: { [Data(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)] },
            extra: #","output_format":"svg""#,
            says: "XML or SVG, which Easel never publishes"
        ),
        Refused(
            name: "a PNG header claiming 60000x60000 over one row",
            front: "",
            images: { [HostileImages.lyingPNG(width: 60_000, height: 60_000)] },
            extra: "",
            says: "claims to be 60000x60000 pixels"
        ),
        Refused(
            name: "two images for n: 1",
            front: "",
            images: { [png, png] },
            extra: "",
            says: "more than the 1 image(s) asked for"
        ),
    ])
    func whatIsNotTheImageAskedForIsNeverCachedAndIsRetriedNextBuild(_ refused: Refused) async throws {
        let fixed = NIOLockedValueBox(false)
        let server = FakeImagesServer { received, _ in
            fixed.withLockedValue { $0 }
                ? FakeImagesServer.success(format: FakeImagesServer.askedFormat(received))
                : Self.answer(refused.images(), extra: refused.extra)
        }
        try await build(server, front: refused.front) { project, report in
            #expect(report.failed == 1)
            #expect(failure(report).contains(refused.says), "\(failure(report))")
            #expect(try cacheIsEmpty(project), "nothing is cached")
            #expect(try project.read(".easel/failures.json").contains(refused.says), "the failure is logged")
            let site = try project.snapshot()
            #expect(site.files.keys.allSatisfy { !$0.hasSuffix(".svg") || $0.hasPrefix("assets/") })
            #expect(
                site.files.keys.filter { $0.hasPrefix("images/") }.allSatisfy { $0.hasPrefix("images/placeholder-") }
            )
            let spool = try project.open().cache.spoolFolder.path
            #expect(
                (try? FileManager.default.contentsOfDirectory(atPath: spool))?.isEmpty ?? true,
                "no image left over"
            )
        }
        fixed.withLockedValue { $0 = true }
        try await build(server, front: refused.front) { project, report in
            #expect(report.generated == 1, "the next build asks again")
        }
    }

    /// The bytes decide the extension: a PNG that the server calls webp is kept, as a .png.
    @Test func theExtensionComesFromTheBytesNeverFromTheAnswer() async throws {
        let server = FakeImagesServer { _, _ in Self.answer([Self.png], extra: #","output_format":"webp""#) }
        try await build(server) { project, report in
            #expect(report.generated == 1)
            let entry = try #require(try project.open().cache.allEntries().first)
            #expect(entry.record.format == "png" && entry.record.images.map(\.file) == ["1.png"])
            let images = try project.snapshot().files.keys.filter { $0.hasPrefix("images/") }
            #expect(!images.isEmpty && images.allSatisfy { $0.hasSuffix(".png") })
        }
    }

    /// On 1d745f2 the key in error.code, type, param or x-request-id was printed, shown on the page
    /// and stored in .easel/failures.json.
    @Test func aKeyEchoedInEveryFieldAndHeaderIsNeverKeptOrShown() async throws {
        let key = Self.key
        let server = FakeImagesServer { _, _ in
            .answer(
                status: 401,
                body:
                    #"{"error":{"message":"Incorrect API key provided: \#(key)","type":"\#(key)","param":"\#(key)","code":"\#(key)"}}"#,
                headers: ["x-request-id": "req_\(key)", "x-echo": key]
            )
        }
        try await build(server) { project, report in
            #expect(report.failed == 1 && report.stopped != nil)
            let everything = [
                failure(report), report.stopped ?? "", Console.summary(of: report),
                String(decoding: try JSONEncoder().encode(report), as: UTF8.self),
                try project.read(".easel/failures.json"),
            ]
            for text in everything { #expect(!text.contains(key) && !text.contains("0123456789abcdefghij"), "\(text)") }
            #expect(failure(report).contains(Redactor.replacement))
            for (path, data) in try project.snapshot().files {
                #expect(!String(decoding: data, as: UTF8.self).contains(key), "the key is in site/\(path)")
            }
        }
        // A key that looks like no OpenAI key is removed too: the redactor knows the configured one.
        let azureKey = "0f9e8d7c6b5a49382716a5b4c3d2e1f0"
        let echo = FakeImagesServer { _, _ in
            .answer(status: 400, body: #"{"error":{"message":"bad","type":"t","param":"p","code":"\#(azureKey)"}}"#)
        }
        try await build(echo, limits: Limits(apiKey: azureKey)) { _, report in
            #expect(!failure(report).contains(azureKey) && failure(report).contains(Redactor.replacement))
        }
    }

    /// A redirect could carry the key to another host: it is never followed.
    @Test func aRedirectToAnotherHostIsNotFollowed() async throws {
        let elsewhere = FakeImagesServer { _, _ in FakeImagesServer.success() }
        try await elsewhere.run { otherURL in
            let server = FakeImagesServer { _, _ in
                .answer(status: 302, body: "", headers: ["location": "\(otherURL)/images/generations"])
            }
            try await build(server) { _, report in
                #expect(report.failed == 1 && failure(report).contains("HTTP 302"))
            }
        }
        #expect(elsewhere.received.isEmpty)
    }

    /// A body declared as 2 GiB is read only up to the limits: the build fails that prompt quickly
    /// and memory stays flat.
    @Test(.timeLimit(.minutes(1))) func aTwoGigabyteBodyIsCutOff() async throws {
        let opening = Array(#"{"created":1764000000,"data":[{"b64_json":""#.utf8)
        let filler = [UInt8](repeating: UInt8(ascii: "A"), count: 64 << 10)
        let server = FakeImagesServer { _, _ in
            .pieces(status: 200, headers: [:], contentLength: 2 << 30) { index in
                index == 0 ? opening : index < (2 << 30) / filler.count ? filler : nil
            }
        }
        try await build(server, limits: Limits(maxBytesPerImage: 1 << 20)) { project, report in
            #expect(report.failed == 1)
            #expect(failure(report).contains("larger than 1 MB"), "\(failure(report))")
            let empty = try cacheIsEmpty(project)
            #expect(empty)
        }
        #expect(server.bytesSent < 64 << 20, "read \(server.bytesSent) bytes of a 2 GiB answer")
    }

    /// A server that sends its head and then its body a trickle at a time is held to the request
    /// timeout (AsyncHTTPClient's own deadline ends when the head arrives).
    @Test(.timeLimit(.minutes(1))) func aTricklingBodyIsHeldToTheRequestTimeout() async throws {
        let server = FakeImagesServer { _, _ in
            .pieces(status: 200, headers: [:], contentLength: 1_000_000, pause: .milliseconds(500)) { index in
                index < 100 ? Array(index == 0 ? #"{"created":1,"data":[{"b64_json":""#.utf8 : "AAAA".utf8) : nil
            }
        }
        try await build(server, limits: Limits(requestTimeout: .seconds(2))) { _, report in
            #expect(report.failed == 1 && failure(report).contains("no answer within"), "\(failure(report))")
        }
    }

    /// Large images cross the stream in pieces that split base64 quartets and `\/` escapes; what
    /// is kept is byte for byte what the server encoded.
    @Test func streamedImagesArriveWholeWhateverTheirPieces() async throws {
        let images = (1...3).map { HostileImages.noisePNG(width: 640, height: 480, seed: UInt64($0)) }
        let items = images.map {
            #"{"b64_json":"\#($0.base64EncodedString().replacingOccurrences(of: "/", with: "\\/"))"}"#
        }
        let body = Array(
            (#"{"created":1764000000,"data":["# + items.joined(separator: ",") + #"],"size":"640x480"}"#).utf8
        )
        let piece = 4_099
        let server = FakeImagesServer { _, _ in
            .pieces(status: 200, headers: [:], contentLength: body.count) { index in
                let start = index * piece
                return start < body.count ? Array(body[start..<min(body.count, start + piece)]) : nil
            }
        }
        let request = ImageRequest(endpoint: .generations, model: "gpt-image-2", prompt: "A cat.", n: 3)
        let (result, received) = try await ImagesClientTests.withClient(server) {
            try ImagesClientTests.withImages(try await $0.generate(request))
        }
        #expect(received == images)
        #expect(result.size == "640x480")
    }

    /// Numbers a server sends are checked before any arithmetic: on 1d745f2 these trapped.
    @Test func absurdNumbersInAnAnswerAreNeverTrustedInArithmetic() async throws {
        let server = FakeImagesServer { _, index in
            index == 0
                ? .answer(
                    status: 429,
                    body: #"{"error":{"message":"slow down","type":"requests","param":null,"code":null}}"#,
                    headers: ["retry-after-ms": "1e300"]
                )
                : Self.answer(
                    [Self.png],
                    extra: #","usage":{"input_tokens":9223372036854775807,"output_tokens":9223372036854775807}"#
                )
        }
        let request = ImageRequest(endpoint: .generations, model: "gpt-image-2", prompt: "A cat.")
        let first = await #expect(throws: APIError.self) {
            _ = try await ImagesClientTests.withClient(server) { try await $0.generate(request) }
        }
        #expect(first?.status == 429, "a wait past 120 s is no retry, and no trap")
        let created = FakeImagesServer { _, _ in
            .answer(
                status: 200,
                body:
                    #"{"created":9223372036854775807,"data":[{"b64_json":"\#(FakeImagesServer.pngBase64)"}],"usage":{"input_tokens":9223372036854775807,"output_tokens":9223372036854775807}}"#
            )
        }
        let result = try await ImagesClientTests.withClient(created) { try await $0.generate(request) }
        #expect(result.usage == nil)
        #expect(result.created.timeIntervalSince1970 < 4_102_444_800)
        _ = Display.time(result.created)
    }

    /// A legacy answer's URL may not reach a Unix socket (AsyncHTTPClient speaks unix://).
    @Test func aLegacyURLMustBeHTTP() async throws {
        let server = FakeImagesServer { _, _ in
            .answer(
                status: 200,
                body:
                    #"{"created":1700000000,"data":[{"url":"http+unix://%2Fvar%2Frun%2Fdocker.sock/v1.41/containers/json"}]}"#
            )
        }
        let request = ImageRequest(endpoint: .generations, model: "dall-e-2", dialect: .legacy, prompt: "A cat.")
        let error = await #expect(throws: APIError.self) {
            _ = try await ImagesClientTests.withClient(server) { try await $0.generate(request) }
        }
        #expect(error?.message.contains("not an http(s) address") == true)
    }

    /// A placeholder for a 16384x16384 request is drawn at most 2,048 a side (about 1 GB of pixels
    /// per core on 1d745f2), and says which size was asked for.
    @Test func aHugePlaceholderIsDrawnSmallAndLabelledWithTheSizeAskedFor() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/big.md", "---\nmodel: my-own-model\nsize: 16384x16384\n---\nA big cat.")
            var options = BuildOptions()
            options.offline = true
            let report = try await Builder(project: try project.open(), source: nil).build(options)
            #expect(report.placeholders == 1)
            let name = try #require(
                try FileManager.default.contentsOfDirectory(
                    atPath: project.root.appendingPathComponent("site/images").path
                )
                .first
            )
            #expect(name.hasSuffix("-16384x16384.png"))
            let info = try ImageInfo.read(contentsOf: project.root.appendingPathComponent("site/images/\(name)").path)
            #expect((info.width, info.height) == (2048, 2048))
        }
    }
}
