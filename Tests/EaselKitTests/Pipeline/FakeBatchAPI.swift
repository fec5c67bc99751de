import Foundation
import NIOConcurrencyHelpers

@testable import EaselKit

/// OpenAI's Files and Batch APIs as a test needs them, behind ``FakeImagesServer``: files kept by
/// id, batches made of uploaded JSONL and ended when the test says (completed, with every `n`th
/// request failed; expired), their output and error files made as OpenAI makes them.
final class FakeBatchAPI: Sendable {
    private struct Batch {
        var id: String
        var inputFileID: String
        var endpoint: String
        var status = "in_progress"
        var metadata: [String: String]
        var createdAt: Int
        var outputFileID: String?
        var errorFileID: String?
        var completedAt: Int?
        var expiredAt: Int?
        var cancelledAt: Int?
    }

    private struct State {
        var files: [String: (purpose: String, data: Data)] = [:]
        var batches: [Batch] = []
        var next = 1
    }

    private let state = NIOLockedValueBox(State())
    /// Send files' content 4 KiB at a time, 20 ms apart.
    let slowDownloads: Bool

    init(slowDownloads: Bool = false) {
        self.slowDownloads = slowDownloads
    }

    /// Uploads by purpose, and how many batches were made.
    var uploads: [String] { state.withLockedValue { $0.files.values.map(\.purpose).sorted() } }
    var batchIDs: [String] { state.withLockedValue { $0.batches.map(\.id) } }
    func metadata(of id: String) -> [String: String] {
        state.withLockedValue { $0.batches.first { $0.id == id }?.metadata ?? [:] }
    }
    func endpoint(of id: String) -> String? { state.withLockedValue { $0.batches.first { $0.id == id }?.endpoint } }

    func reply(_ received: FakeImagesServer.Received, _ index: Int) -> FakeImagesServer.Reply {
        state.withLockedValue { state in
            let path = received.path
            switch (received.method, path) {
            case ("POST", "/v1/files"):
                guard let parts = try? received.parts(),
                    let purpose = parts.first(where: { $0.name == "purpose" })?.text,
                    let file = parts.first(where: { $0.name == "file" })
                else { return FakeImagesServer.failure(400, type: "invalid_request_error", code: nil, message: "form") }
                let id = "file-\(state.next)"
                state.next += 1
                state.files[id] = (purpose, Data(file.body))
                return .answer(
                    status: 200,
                    body: #"{"id":"\#(id)","object":"file","bytes":\#(file.body.count),"purpose":"\#(purpose)"}"#
                )
            case ("POST", "/v1/batches"):
                guard let json = received.json, let input = json["input_file_id"] as? String,
                    state.files[input]?.purpose == "batch", let endpoint = json["endpoint"] as? String
                else {
                    return FakeImagesServer.failure(400, type: "invalid_request_error", code: nil, message: "batch")
                }
                let batch = Batch(
                    id: "batch_\(state.next)",
                    inputFileID: input,
                    endpoint: endpoint,
                    metadata: json["metadata"] as? [String: String] ?? [:],
                    createdAt: Int(Date().timeIntervalSince1970) - 3_600
                )
                state.next += 1
                state.batches.append(batch)
                return .answer(status: 200, body: Self.json(batch))
            case ("GET", "/v1/batches"):
                let data = state.batches.reversed().map(Self.json).joined(separator: ",")
                return .answer(status: 200, body: #"{"object":"list","data":[\#(data)],"has_more":false}"#)
            default:
                let parts = path.split(separator: "/").map(String.init)
                if received.method == "GET", parts.count == 3, parts[1] == "batches",
                    let batch = state.batches.first(where: { $0.id == parts[2] })
                {
                    return .answer(status: 200, body: Self.json(batch))
                }
                if received.method == "POST", parts.count == 4, parts[1] == "batches", parts[3] == "cancel",
                    let index = state.batches.firstIndex(where: { $0.id == parts[2] })
                {
                    guard state.batches[index].status == "in_progress" else {
                        return FakeImagesServer.failure(400, type: "invalid_request_error", code: nil, message: "ended")
                    }
                    state.batches[index].status = "cancelled"
                    state.batches[index].cancelledAt = state.batches[index].createdAt + 60
                    return .answer(status: 200, body: Self.json(state.batches[index]))
                }
                if received.method == "GET", parts.count == 4, parts[1] == "files", parts[3] == "content",
                    let file = state.files[parts[2]]
                {
                    guard slowDownloads else {
                        return .answer(status: 200, body: String(decoding: file.data, as: UTF8.self))
                    }
                    let bytes = Array(file.data)
                    return .pieces(status: 200, headers: [:], contentLength: bytes.count, pause: .milliseconds(20)) {
                        piece in
                        let start = piece * 4096
                        return start < bytes.count ? Array(bytes[start..<min(bytes.count, start + 4096)]) : nil
                    }
                }
                return FakeImagesServer.failure(404, type: "invalid_request_error", code: nil, message: "no \(path)")
            }
        }
    }

    /// Ends batch `id` as completed: every request answered with its `n` images in the format it
    /// asked for, but every `failEvery`th, which gets a 400 in the error file.
    func complete(_ id: String, failEvery: Int? = nil) {
        state.withLockedValue { state in
            guard let index = state.batches.firstIndex(where: { $0.id == id }),
                let input = state.files[state.batches[index].inputFileID]?.data
            else { return }
            var output: [String] = []
            var errors: [String] = []
            let lines = String(decoding: input, as: UTF8.self).split(separator: "\n")
            for (number, line) in lines.enumerated() {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let customID = object["custom_id"] as? String, let body = object["body"] as? [String: Any]
                else { continue }
                if let every = failEvery, (number + 1) % every == 0 {
                    errors.append(
                        #"{"id":"r\#(number)","custom_id":"\#(customID)","response":{"status_code":400,"request_id":"req_e\#(number)","body":{"error":{"message":"Refused line \#(number + 1)","type":"invalid_request_error","code":"moderation_blocked","param":null}}},"error":null}"#
                    )
                    continue
                }
                let n = body["n"] as? Int ?? 1
                let format = body["output_format"] as? String ?? "png"
                let image = FakeImagesServer.base64ByFormat[format] ?? FakeImagesServer.pngBase64
                let data = Array(repeating: #"{"b64_json":"\#(image)"}"#, count: n).joined(separator: ",")
                output.append(
                    #"{"id":"r\#(number)","custom_id":"\#(customID)","response":{"status_code":200,"request_id":"req_\#(number)","body":{"created":1764000000,"data":[\#(data)],"usage":{"input_tokens":5,"output_tokens":272,"total_tokens":277}}},"error":null}"#
                )
            }
            let outputID = "file-\(state.next)"
            state.files[outputID] = ("batch_output", Data((output.joined(separator: "\n") + "\n").utf8))
            state.batches[index].outputFileID = outputID
            if !errors.isEmpty {
                let errorID = "file-\(state.next + 1)"
                state.files[errorID] = ("batch_output", Data((errors.joined(separator: "\n") + "\n").utf8))
                state.batches[index].errorFileID = errorID
            }
            state.next += 2
            state.batches[index].status = "completed"
            state.batches[index].completedAt = state.batches[index].createdAt + 11_520
        }
    }

    /// Gives batch `id` times no batch has: made before 1970, done in the year 292 billion.
    func spoilTimes(_ id: String) {
        state.withLockedValue { state in
            guard let index = state.batches.firstIndex(where: { $0.id == id }) else { return }
            state.batches[index].createdAt = -1
            state.batches[index].completedAt = Int.max / 1_000
        }
    }

    /// Ends batch `id` as expired before it made anything.
    func expire(_ id: String) {
        state.withLockedValue { state in
            guard let index = state.batches.firstIndex(where: { $0.id == id }) else { return }
            state.batches[index].status = "expired"
            state.batches[index].expiredAt = state.batches[index].createdAt + 86_400
        }
    }

    private static func json(_ batch: Batch) -> String {
        var fields = [
            #""id":"\#(batch.id)""#, #""object":"batch""#, #""endpoint":"\#(batch.endpoint)""#,
            #""input_file_id":"\#(batch.inputFileID)""#, #""completion_window":"24h""#, #""status":"\#(batch.status)""#,
            #""created_at":\#(batch.createdAt)"#,
        ]
        if let id = batch.outputFileID { fields.append(#""output_file_id":"\#(id)""#) }
        if let id = batch.errorFileID { fields.append(#""error_file_id":"\#(id)""#) }
        if let at = batch.completedAt { fields.append(#""completed_at":\#(at)"#) }
        if let at = batch.expiredAt { fields.append(#""expired_at":\#(at)"#) }
        if let at = batch.cancelledAt { fields.append(#""cancelled_at":\#(at)"#) }
        let metadata = batch.metadata.map { #""\#($0.key)":"\#($0.value)""# }.joined(separator: ",")
        fields.append(#""metadata":{\#(metadata)}"#)
        return "{" + fields.joined(separator: ",") + "}"
    }
}
