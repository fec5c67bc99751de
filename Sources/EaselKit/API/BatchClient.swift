public import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// OpenAI's Files and Batch APIs (issue 15): a JSONL file of requests is uploaded with purpose
/// `batch`, a batch is made of it, looked at until it ends, and its output and error files are
/// downloaded. Edits refer to their images by the id of an upload with purpose `vision`.
///
/// It knows nothing of prompts or the cache. Every id a server gives is checked before it goes
/// into a URL, every text it sends is redacted, every answer is read up to a bound.
public struct BatchClient: Sendable {
    let connection: APIConnection

    /// Creates a client; the parameters are ``ImagesClient``'s.
    public init(
        settings: APISettings,
        httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "easel.batch", factory: { _ in SwiftLogNoOpLogHandler() }),
        clock: any Clock<Duration> = ContinuousClock(),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        connection = .init(settings: settings, httpClient: httpClient, logger: logger, clock: clock, jitter: jitter)
    }

    /// The largest answer about a file or a batch Easel reads: a batch object is a few kilobytes.
    static let objectLimit = 1 << 20
    /// A JSONL input file: the Batch API takes at most 200 MB.
    public static let inputFileLimit = 200_000_000

    /// Uploads the file at `url` (streamed, never held whole) as `fileName` for `purpose`
    /// (`batch` for a JSONL of requests, `vision` for an edit's image).
    public func upload(
        _ url: URL,
        fileName: String,
        mediaType: String,
        purpose: String
    ) async throws -> UploadedFile {
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        let form = MultipartBody(
            fields: [("purpose", purpose)],
            files: [("file", fileName, mediaType, .file(url, size: size))]
        )
        return try await call(
            .POST,
            "files",
            body: { .stream(form.chunks(), length: .known(Int64(form.length))) },
            contentType: "multipart/form-data; boundary=\(form.boundary)",
            as: UploadedFile.self
        )
    }

    /// Makes a batch of the requests in the uploaded JSONL file `inputFileID`, for `endpoint`
    /// (`/v1/images/generations` or `/v1/images/edits`), to finish within 24 hours.
    public func createBatch(
        inputFileID: String,
        endpoint: String,
        metadata: [String: String]
    ) async throws -> BatchJob {
        struct Create: Encodable {
            var inputFileID: String
            var endpoint: String
            var completionWindow = "24h"
            var metadata: [String: String]
            enum CodingKeys: String, CodingKey {
                case inputFileID = "input_file_id"
                case endpoint
                case completionWindow = "completion_window"
                case metadata
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(
            Create(inputFileID: try Self.checked(inputFileID), endpoint: endpoint, metadata: metadata)
        )
        return try await call(
            .POST,
            "batches",
            body: { .bytes(ByteBuffer(data: body)) },
            contentType: "application/json",
            as: BatchJob.self
        )
    }

    /// The batch `id` as it stands.
    public func batch(_ id: String) async throws -> BatchJob {
        try await call(.GET, "batches/\(try Self.checked(id))", as: BatchJob.self)
    }

    /// Asks for the batch `id` to be cancelled: what it finished is kept in its output file.
    public func cancel(_ id: String) async throws -> BatchJob {
        try await call(.POST, "batches/\(try Self.checked(id))/cancel", as: BatchJob.self)
    }

    /// One page of the organisation's batches, newest first, after the batch `after`.
    public func batches(after: String? = nil, limit: Int = 100) async throws -> BatchPage {
        var path = "batches?limit=\(min(max(limit, 1), 100))"
        if let after { path += "&after=\(try Self.checked(after))" }
        return try await call(.GET, path, as: BatchPage.self)
    }

    /// Downloads the content of the file `id` into `destination` (replaced only when the whole
    /// file arrived), at most `limit` bytes.
    /// - Returns: its size in bytes.
    /// - Throws: ``APIError`` for a file larger than `limit`; nothing is left at `destination` then.
    public func download(_ id: String, to destination: URL, limit: Int) async throws -> Int {
        let path = "files/\(try Self.checked(id))/content"
        let partial = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString.lowercased()).part")
        defer { try? FileManager.default.removeItem(at: partial) }
        let size = try await connection.retrying { _ in
            try await connection.exchange(request(.GET, path, contentType: nil)) { response, _ in
                try? FileManager.default.removeItem(at: partial)
                guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                    throw APIError(kind: .transport, message: "cannot write \(partial.lastPathComponent)")
                }
                let handle = try FileHandle(forWritingTo: partial)
                defer { try? handle.close() }
                var written = 0
                for try await chunk in response.body {
                    written += chunk.readableBytes
                    guard written <= limit else {
                        throw APIError(
                            kind: .unusableAnswer,
                            message: "the file \(id) is larger than \(limit.formatted()) bytes; Easel reads no more"
                        )
                    }
                    try handle.write(contentsOf: Data(buffer: chunk))
                }
                try handle.synchronize()
                return written
            }
        }
        // rename(2): atomic, and over whatever an earlier download left.
        guard rename(partial.path, destination.path) == 0 else {
            throw APIError(kind: .transport, message: "cannot keep \(destination.lastPathComponent): errno \(errno)")
        }
        return size
    }

    /// An id of the server's, checked before it goes into a path: letters, digits, `-` and `_`.
    static func checked(_ id: String) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".unicodeScalars)
        guard (1...200).contains(id.unicodeScalars.count), id.unicodeScalars.allSatisfy(allowed.contains) else {
            throw APIError(
                kind: .unusableAnswer,
                message: "the server gave an id Easel will not use: '\(String(id.prefix(40)))'"
            )
        }
        return id
    }

    private func request(_ method: HTTPMethod, _ path: String, contentType: String?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "\(connection.settings.baseURL)/\(path)")
        request.method = method
        request.headers = connection.headers(contentType: contentType)
        return request
    }

    /// Sends a call (again on a retry, with a new body from `body`) and decodes its answer.
    private func call<Answer: Decodable & Sendable & IDChecked>(
        _ method: HTTPMethod,
        _ path: String,
        body: (@Sendable () -> HTTPClientRequest.Body)? = nil,
        contentType: String? = nil,
        as type: Answer.Type
    ) async throws -> Answer {
        let redactor = connection.redactor
        return try await connection.retrying { _ in
            var http = request(method, path, contentType: contentType)
            http.body = body?()
            return try await connection.exchange(http) { response, _ in
                let bytes = try await APIConnection.prefix(of: response.body, upTo: Self.objectLimit + 1)
                guard bytes.readableBytes <= Self.objectLimit else {
                    throw APIError(
                        kind: .unusableAnswer,
                        message: "the answer is larger than \(Self.objectLimit) bytes"
                    )
                }
                let answer: Answer
                do {
                    answer = try JSONDecoder().decode(Answer.self, from: bytes)
                } catch {
                    let excerpt = redactor.serverText(String(buffer: bytes), limit: 200)
                    throw APIError(kind: .unusableAnswer, message: "an answer Easel cannot read: \(excerpt)")
                }
                try answer.checkIDs()
                return answer
            }
        }
    }
}

/// An answer whose ids are checked before any is used.
protocol IDChecked {
    func checkIDs() throws
}

/// A file uploaded to the API.
public struct UploadedFile: Sendable, Codable, Hashable, IDChecked {
    public var id: String
    public var bytes: Int?
    public var purpose: String?

    func checkIDs() throws { _ = try BatchClient.checked(id) }
}

/// A batch as the API describes it (`Batch` in the OpenAPI specification).
public struct BatchJob: Sendable, Codable, Hashable, IDChecked {
    public var id: String
    /// `validating`, `failed`, `in_progress`, `finalizing`, `completed`, `expired`, `cancelling`,
    /// `cancelled`.
    public var status: String
    public var endpoint: String?
    public var inputFileID: String?
    public var outputFileID: String?
    public var errorFileID: String?
    public var createdAt: Int?
    public var inProgressAt: Int?
    public var completedAt: Int?
    public var failedAt: Int?
    public var expiredAt: Int?
    public var cancelledAt: Int?
    public var requestCounts: RequestCounts?
    public var metadata: [String: String]?

    /// How many of the batch's requests are done, and how many failed.
    public struct RequestCounts: Sendable, Codable, Hashable {
        public var total: Int
        public var completed: Int
        public var failed: Int
    }

    /// True once the batch will change no more.
    public var isFinished: Bool { ["completed", "failed", "expired", "cancelled"].contains(status) }

    enum CodingKeys: String, CodingKey {
        case id, status, endpoint
        case inputFileID = "input_file_id"
        case outputFileID = "output_file_id"
        case errorFileID = "error_file_id"
        case createdAt = "created_at"
        case inProgressAt = "in_progress_at"
        case completedAt = "completed_at"
        case failedAt = "failed_at"
        case expiredAt = "expired_at"
        case cancelledAt = "cancelled_at"
        case requestCounts = "request_counts"
        case metadata
    }

    func checkIDs() throws {
        for id in [id, inputFileID, outputFileID, errorFileID].compactMap({ $0 }) { _ = try BatchClient.checked(id) }
    }
}

/// A page of batches.
public struct BatchPage: Sendable, Codable, Hashable, IDChecked {
    public var data: [BatchJob]
    public var hasMore: Bool?

    enum CodingKeys: String, CodingKey {
        case data
        case hasMore = "has_more"
    }

    func checkIDs() throws { for batch in data { try batch.checkIDs() } }
}
