import Foundation
import Testing

@testable import EaselKit

/// The Files and Batch APIs (issue 15) against a server on 127.0.0.1: what is sent, what is read,
/// and what a hostile answer cannot make the client do.
struct BatchClientTests {
    static let key = ImagesClientTests.key

    private func withClient<T: Sendable>(
        _ server: FakeImagesServer,
        clock: RecordingClock = RecordingClock(),
        _ body: @escaping @Sendable (BatchClient) async throws -> T
    ) async throws -> T {
        try await server.run { baseURL in
            let settings = APISettings(baseURL: baseURL, apiKey: Self.key)
            return try await ImagesClient.withHTTPClient(for: settings) { http in
                try await body(BatchClient(settings: settings, httpClient: http, clock: clock, jitter: { 0 }))
            }
        }
    }

    static func batchJSON(id: String = "batch_abc123", status: String = "validating", extra: String = "") -> String {
        #"{"id":"\#(id)","object":"batch","endpoint":"/v1/images/generations","input_file_id":"file-in1","completion_window":"24h","status":"\#(status)","created_at":1764000000,"request_counts":{"total":30,"completed":0,"failed":0},"metadata":{"project":"gallery"}\#(extra)}"#
    }

    @Test func anUploadIsAFormWithItsPurposeAndTheFileStreamed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("easel-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = Data(#"{"custom_id":"a","method":"POST","url":"/v1/images/generations","body":{}}"#.utf8 + [10])
        let file = folder.appendingPathComponent("requests.jsonl")
        try lines.write(to: file)
        let server = FakeImagesServer { _, _ in
            .answer(status: 200, body: #"{"id":"file-abc123","object":"file","bytes":72,"purpose":"batch"}"#)
        }
        let uploaded = try await withClient(server) {
            try await $0.upload(file, fileName: "requests.jsonl", mediaType: "application/jsonl", purpose: "batch")
        }
        #expect(uploaded == UploadedFile(id: "file-abc123", bytes: 72, purpose: "batch"))
        let sent = try #require(server.received.first)
        #expect(sent.method == "POST" && sent.path == "/v1/files")
        #expect(sent.headers["authorization"] == "Bearer \(Self.key)")
        let parts = try sent.parts()
        #expect(parts.map(\.name) == ["purpose", "file"])
        #expect(parts[0].text == "batch")
        #expect(parts[1].fileName == "requests.jsonl" && parts[1].headers["content-type"] == "application/jsonl")
        #expect(Data(parts[1].body) == lines)
    }

    @Test func aBatchIsMadeOfItsFileForItsEndpointAndLookedAt() async throws {
        let server = FakeImagesServer { received, _ in
            switch (received.method, received.path) {
            case ("POST", "/v1/batches"): .answer(status: 200, body: Self.batchJSON())
            case ("GET", "/v1/batches/batch_abc123"):
                .answer(
                    status: 200,
                    body: Self.batchJSON(
                        status: "completed",
                        extra: #","output_file_id":"file-out1","error_file_id":"file-err1","completed_at":1764003600"#
                    )
                )
            case ("POST", "/v1/batches/batch_abc123/cancel"):
                .answer(status: 200, body: Self.batchJSON(status: "cancelling"))
            case ("GET", "/v1/batches"):
                .answer(status: 200, body: #"{"object":"list","data":[\#(Self.batchJSON())],"has_more":false}"#)
            default: FakeImagesServer.failure(404, type: "invalid_request_error", code: nil, message: "no route")
            }
        }
        let (made, done, cancelled, page) = try await withClient(server) { client in
            (
                try await client.createBatch(
                    inputFileID: "file-in1",
                    endpoint: "/v1/images/generations",
                    metadata: ["project": "gallery"]
                ),
                try await client.batch("batch_abc123"),
                try await client.cancel("batch_abc123"),
                try await client.batches(after: "batch_zzz", limit: 500)
            )
        }
        let create = try #require(server.received.first?.json)
        #expect(create["input_file_id"] as? String == "file-in1")
        #expect(create["endpoint"] as? String == "/v1/images/generations")
        #expect(create["completion_window"] as? String == "24h")
        #expect(create["metadata"] as? [String: String] == ["project": "gallery"])
        #expect(made.status == "validating" && !made.isFinished && made.metadata == ["project": "gallery"])
        #expect(done.isFinished && done.outputFileID == "file-out1" && done.errorFileID == "file-err1")
        #expect(done.requestCounts?.total == 30 && done.completedAt == 1_764_003_600)
        #expect(cancelled.status == "cancelling")
        #expect(page.data.map(\.id) == ["batch_abc123"] && page.hasMore == false)
        #expect(server.received.last?.query == "limit=100&after=batch_zzz")
    }

    /// Every id the server gives goes into a path: one that is not a plain name is refused, and
    /// nothing is sent with it.
    @Test(arguments: ["../../organization/api_keys", "batch_1/cancel", "a?b", "", String(repeating: "a", count: 201)])
    func anIDIsCheckedBeforeItIsUsed(id: String) async throws {
        let quoted = id.replacingOccurrences(of: "\"", with: "")
        let server = FakeImagesServer { _, _ in .answer(status: 200, body: Self.batchJSON(id: quoted)) }
        try await withClient(server) { client in
            await #expect(throws: APIError.self) { try await client.batch(id) }
            #expect(server.received.isEmpty, "nothing is sent with an id that is not a plain name")
            let answered = await #expect(throws: APIError.self) { try await client.batch("batch_ok") }
            #expect(answered?.kind == .unusableAnswer, "an answer naming such an id is not used")
        }
    }

    @Test func aServerErrorIsRetriedAndAKeyEchoIsRedacted() async throws {
        let server = FakeImagesServer { _, index in
            switch index {
            case 0: FakeImagesServer.failure(500, type: "server_error", code: nil, message: "try again")
            case 1: .answer(status: 200, body: Self.batchJSON())
            default:
                FakeImagesServer.failure(
                    401,
                    type: "invalid_request_error",
                    code: "invalid_api_key",
                    message: "Incorrect API key provided: \(Self.key)."
                )
            }
        }
        let clock = RecordingClock()
        try await withClient(server, clock: clock) { client in
            let first = try await client.batch("batch_abc123")
            #expect(first.id == "batch_abc123")
            let error = await #expect(throws: APIError.self) { try await client.batch("batch_abc123") }
            #expect(error?.status == 401 && error?.message.contains(Self.key) == false)
            #expect(error.map { String(describing: $0) }?.contains(Self.key) == false)
        }
        #expect(server.received.count == 3, "the 500 was retried once, the 401 not at all")
        #expect(clock.sleeps.count == 1)
    }

    @Test func aFileIsDownloadedWholeOrNotAtAll() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("easel-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = String(repeating: #"{"custom_id":"x","response":{"status_code":200}}"# + "\n", count: 2_000)
        let server = FakeImagesServer { received, _ in
            received.path == "/v1/files/file-out1/content"
                ? .answer(status: 200, body: content) : .answer(status: 404, body: "")
        }
        let destination = folder.appendingPathComponent("output.jsonl")
        try await withClient(server) { client in
            let size = try await client.download("file-out1", to: destination, limit: 1 << 20)
            #expect(size == content.utf8.count)
            #expect(try String(contentsOf: destination, encoding: .utf8) == content)
            try FileManager.default.removeItem(at: destination)
            let error = await #expect(throws: APIError.self) {
                try await client.download("file-out1", to: destination, limit: 10_000)
            }
            #expect(error?.kind == .unusableAnswer)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "no part left behind")
    }
}
