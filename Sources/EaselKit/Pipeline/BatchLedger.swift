import Foundation

/// What `easel build --batch` sent to OpenAI's Batch API and has not collected yet, and the inputs
/// it uploaded (issue 15): `.easel/batches.json`, written atomically after every step of a
/// submission, so that a build killed at any moment leaves the next what it needs to carry on
/// without a second batch or a lost image.
///
/// Unlike the memos of `.easel/`, this is no cache that may be thrown away: it is versioned by its
/// own format, not by the Easel binary, and a ledger that cannot be read stops the build with a
/// message instead of being taken for none (that would forget batches already paid for).
struct BatchLedger: Codable, Sendable, Equatable {
    static let format = "easel-batches 1"
    static let fileName = "batches.json"

    var format = Self.format
    /// The upload ids of input images and masks (purpose `vision`), by the SHA-256 of their bytes:
    /// a re-run never uploads an input twice.
    var uploads: [String: String] = [:]
    var submissions: [Submission] = []

    /// One input file and its batch, from the moment Easel begins to send it.
    struct Submission: Codable, Sendable, Equatable {
        /// Easel's own id, in the batch's metadata (`easel_submission`): what finds the batch again
        /// when a build was killed between making it and writing its id down.
        var id: String
        /// `/v1/images/generations` or `/v1/images/edits`.
        var endpoint: String
        var begunAt: Date
        /// The uploaded JSONL, once uploaded; the batch, once made.
        var inputFileID: String?
        var batchID: String?
        /// When a request to make the batch was last sent: one still in flight when a run was
        /// killed may make the batch after the next run looked for it.
        var createSentAt: Date?
        var requests: [Request]

        enum CodingKeys: String, CodingKey {
            case id, endpoint
            case begunAt = "begun_at"
            case inputFileID = "input_file_id"
            case batchID = "batch_id"
            case createSentAt = "create_sent_at"
            case requests
        }
    }

    /// A request in a batch: its `custom_id` (its cache key), what it asks, and the prompt file it
    /// is first made for, so that its image is cached as a synchronous answer's is even when the
    /// prompt changed meanwhile.
    struct Request: Codable, Sendable, Equatable {
        var key: String
        var request: ImageRequest
        var promptFile: String

        enum CodingKeys: String, CodingKey {
            case key, request
            case promptFile = "prompt_file"
        }
    }

    typealias Unreadable = BatchLedgerUnreadable

    static func location(in project: Project) -> URL {
        project.stateFolder.appendingPathComponent(fileName)
    }

    /// The ledger at `url`; an empty one when there is no file.
    /// - Throws: ``Unreadable`` for a file that cannot be read, or is not a ledger Easel writes.
    static func load(from url: URL) throws -> BatchLedger {
        let data: Data
        switch BoundedRead.data(at: url.path, limit: Limits.parseRecordBytes) {
        case .success(let read): data = read
        case .failure(.missing): return BatchLedger()
        case .failure(let problem): throw Unreadable(path: url.path, reason: "the file \(problem.reason)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let ledger: BatchLedger
        do {
            ledger = try decoder.decode(BatchLedger.self, from: data)
        } catch {
            throw Unreadable(
                path: url.path,
                reason: "it is not a ledger of batches Easel writes (its JSON does not decode)"
            )
        }
        if let problem = ledger.problem { throw Unreadable(path: url.path, reason: problem) }
        return ledger
    }

    /// Writes the ledger atomically and durably: after this, a crash leaves it or the one before.
    func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(try encoder.encode(self), to: url)
    }

    /// What is wrong with a ledger read from disk, if anything: every id goes into a URL, every
    /// key names a cache folder.
    var problem: String? {
        guard format == Self.format else { return "its format is '\(format.prefix(40))', not \(Self.format)" }
        for (hash, id) in uploads {
            guard CacheKey.isValidHex(hash), (try? BatchClient.checked(id)) != nil else {
                return "it lists an upload that is not one Easel makes"
            }
        }
        for submission in submissions {
            let ids = [submission.inputFileID, submission.batchID].compactMap { $0 } + [submission.id]
            guard ids.allSatisfy({ (try? BatchClient.checked($0)) != nil }),
                ["/v1/images/generations", "/v1/images/edits"].contains(submission.endpoint),
                (1...BatchInput.maxLines).contains(submission.requests.count),
                submission.requests.allSatisfy({ CacheKey.isValidHex($0.key) })
            else { return "it lists a batch that is not one Easel sends" }
        }
        return nil
    }

    /// Marks each of `outcomes` without an image whose request waits in one of these batches.
    func markQueued(_ outcomes: inout [PromptOutcome]) {
        let queued = queued
        guard !queued.isEmpty else { return }
        for index in outcomes.indices where outcomes[index].entry == nil {
            guard let key = outcomes[index].key, let submission = queued[key.hex] else { continue }
            outcomes[index].queued = Queued(batchID: submission.batchID, since: submission.begunAt)
        }
    }

    /// The submission each queued request is in, by cache key.
    var queued: [String: Submission] {
        var queued: [String: Submission] = [:]
        for submission in submissions {
            for request in submission.requests { queued[request.key] = submission }
        }
        return queued
    }
}

/// A ledger of batches (``BatchLedger``) that cannot be used: the build stops rather than forget
/// batches already paid for.
public struct BatchLedgerUnreadable: Error, CustomStringConvertible {
    var path: String
    var reason: String
    public var description: String {
        "\(path): \(reason); it lists the batches Easel sent and has not collected: move it aside only if"
            + " you mean to forget them (they stay listed at OpenAI, under Batches)"
    }
}
