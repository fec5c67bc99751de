import Foundation
import NIOCore
import NIOFoundationCompat

/// Sends a build's missing requests to OpenAI's Batch API and collects what comes back (issue 15).
///
/// Every step is written to the ``BatchLedger`` before the next is taken, so that a process killed
/// at any moment leaves what the next run needs: a submission begun is found again by its id in
/// the batch's metadata before a batch is made for it, an input uploaded is never uploaded again,
/// and a batch's results are cached exactly as a synchronous answer's are (the same checks), under
/// the same keys, so collecting twice stores nothing twice.
struct BatchRunner: Sendable {
    let project: Project
    let client: BatchClient

    init(project: Project, client: BatchClient) {
        (self.project, self.client) = (project, client)
    }

    var ledgerURL: URL { BatchLedger.location(in: project) }
    /// What names the project in a batch's metadata (OpenAI shows it in its dashboard): the
    /// gallery's title, else its folder's name, at most 64 characters.
    private var projectName: String {
        String((project.config.title ?? project.root.lastPathComponent).prefix(64))
    }
    private var settings: APISettings { client.connection.settings }

    /// One request to send: its cache key, the request, and the prompt file it is made for.
    struct Pending: Sendable {
        var key: CacheKey
        var request: ImageRequest
        var promptFile: String
    }

    /// Sends each of `pending` that no open batch holds, a batch per endpoint (and per input file
    /// of at most 50,000 lines and 200 MB), and first finishes any submission a killed run began.
    /// - Returns: the ledger's open submissions, and the requests no batch takes (legacy models),
    ///   with why.
    func submit(_ pending: [Pending]) async throws -> (open: [BatchLedger.Submission], refused: [CacheKey: String]) {
        var ledger = try BatchLedger.load(from: ledgerURL)
        try await resume(&ledger)
        let queued = ledger.queued
        var refused: [CacheKey: String] = [:]
        var seen: Set<CacheKey> = []
        var byEndpoint: [String: [Pending]] = [:]
        for item in pending where queued[item.key.hex] == nil && seen.insert(item.key).inserted {
            guard let endpoint = BatchInput.endpoint(of: item.request) else {
                refused[item.key] = "\(item.request.model) cannot go through the Batch API"
                continue
            }
            byEndpoint[endpoint, default: []].append(item)
        }
        for endpoint in byEndpoint.keys.sorted() {
            let items = byEndpoint[endpoint]!
            var lines: [Data] = []
            for item in items { lines.append(try await line(for: item.request, key: item.key, ledger: &ledger)) }
            var start = 0
            for file in BatchInput.files(lines) {
                let requests = items[start..<start + file.count].map {
                    BatchLedger.Request(key: $0.key.hex, request: $0.request, promptFile: $0.promptFile)
                }
                start += file.count
                var submission = BatchLedger.Submission(
                    id: "easel-" + UUID().uuidString.lowercased(),
                    endpoint: endpoint,
                    begunAt: Date(),
                    requests: requests
                )
                ledger.submissions.append(submission)
                try ledger.save(to: ledgerURL)
                try await send(&submission, lines: file, ledger: &ledger)
            }
        }
        return (ledger.submissions, refused)
    }

    /// Finishes the submissions a killed run left half done: the input file uploaded, then the
    /// batch made, unless the batch exists already (found by the submission's id in its metadata).
    private func resume(_ ledger: inout BatchLedger) async throws {
        for var submission in ledger.submissions where submission.batchID == nil {
            var lines: [Data] = []
            for request in submission.requests {
                lines.append(
                    try await line(for: request.request, key: CacheKey(hex: request.key), ledger: &ledger)
                )
            }
            try await send(&submission, lines: lines, ledger: &ledger)
        }
    }

    /// Uploads a submission's input (unless it was) and makes its batch (unless one was made for
    /// it), writing the ledger after each.
    private func send(
        _ submission: inout BatchLedger.Submission,
        lines: [Data],
        ledger: inout BatchLedger
    ) async throws {
        func record(_ submission: BatchLedger.Submission) throws {
            if let index = ledger.submissions.firstIndex(where: { $0.id == submission.id }) {
                ledger.submissions[index] = submission
            }
            try ledger.save(to: ledgerURL)
        }
        if submission.inputFileID == nil {
            let file = project.stateFolder.appendingPathComponent("\(submission.id).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            try AtomicFile.write(Data(lines.map { $0 + [UInt8(ascii: "\n")] }.joined()), to: file)
            let uploaded = try await client.upload(
                file,
                fileName: "\(submission.id).jsonl",
                mediaType: "application/jsonl",
                purpose: "batch"
            )
            submission.inputFileID = uploaded.id
            try record(submission)
        }
        if let found = try await batch(madeFor: submission) {
            submission.batchID = found.id
        } else {
            // A request to make it, sent by a run that was killed, may still make it: not before
            // that request's time is up is another sent (the requests stay queued meanwhile).
            if let sent = submission.createSentAt,
                Date().timeIntervalSince(sent) < settings.requestTimeout.seconds + 60
            {
                return
            }
            submission.createSentAt = Date()
            try record(submission)
            let made = try await client.createBatch(
                inputFileID: submission.inputFileID!,
                endpoint: submission.endpoint,
                metadata: ["easel_submission": submission.id, "easel_project": projectName]
            )
            submission.batchID = made.id
        }
        try record(submission)
    }

    /// The batch a run made for `submission` before it was killed, if any: the newest batches are
    /// looked through back to the submission's beginning.
    private func batch(madeFor submission: BatchLedger.Submission) async throws -> BatchJob? {
        var after: String?
        for _ in 0..<50 {
            let page = try await client.batches(after: after)
            if let found = page.data.first(where: { $0.metadata?["easel_submission"] == submission.id }) {
                return found
            }
            let begun = Int(submission.begunAt.timeIntervalSince1970) - 3_600
            guard page.hasMore == true, let last = page.data.last, (last.createdAt ?? 0) >= begun else { return nil }
            after = last.id
        }
        return nil
    }

    /// The JSONL line of `request`; an edit's inputs are uploaded first, once each by content.
    private func line(for request: ImageRequest, key: CacheKey, ledger: inout BatchLedger) async throws -> Data {
        guard request.endpoint == .edits else {
            return try BatchInput.line(for: request, customID: key.hex, images: [], mask: nil)
        }
        let inputs = try InputUpload.check(request)
        var images: [String] = []
        for image in inputs.images { images.append(try await uploaded(image, ledger: &ledger)) }
        var mask: String?
        if let upload = inputs.mask { mask = try await uploaded(upload, ledger: &ledger) }
        return try BatchInput.line(for: request, customID: key.hex, images: images, mask: mask)
    }

    /// The upload id of `input` (purpose `vision`): the one recorded for its bytes, else a new one.
    private func uploaded(_ input: InputUpload, ledger: inout BatchLedger) async throws -> String {
        let file: URL
        var temporary: URL?
        switch input.content {
        case .file(let url, _): file = url
        case .bytes(let buffer):
            let url = project.stateFolder.appendingPathComponent("upload-\(UUID().uuidString.lowercased()).png")
            try AtomicFile.write(Data(buffer: buffer), to: url, durable: false)
            (file, temporary) = (url, url)
        }
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        let hash = try CacheKey.sha256(contentsOf: file)
        if let id = ledger.uploads[hash] { return id }
        let uploaded = try await client.upload(
            file,
            fileName: input.fileName,
            mediaType: input.mediaType,
            purpose: "vision"
        )
        ledger.uploads[hash] = uploaded.id
        try ledger.save(to: ledgerURL)
        return uploaded.id
    }

    /// What looking at the open batches did.
    struct Collected: Sendable {
        /// Requests whose images are now in the cache.
        var cached: [CacheKey] = []
        /// Requests that failed: the prompt file, why (the server's words, redacted) and when.
        var failed: [CacheKey: FailureLog.Entry] = [:]
        /// Requests a batch ended without (expired, cancelled, failed): to be made again.
        var returned: [CacheKey] = []
        /// Batches still running.
        var open: [BatchJob] = []
    }

    /// Looks at every open batch and collects those that ended: their images into the cache, their
    /// failures returned, the requests they did not answer given back to the plan.
    func collect() async throws -> Collected {
        var ledger = try BatchLedger.load(from: ledgerURL)
        try await resume(&ledger)
        var collected = Collected()
        for submission in ledger.submissions {
            guard let batchID = submission.batchID else { continue }
            let batch = try await client.batch(batchID)
            guard batch.isFinished else {
                collected.open.append(batch)
                continue
            }
            try await collect(batch, of: submission, into: &collected)
            ledger.submissions.removeAll { $0.id == submission.id }
            try ledger.save(to: ledgerURL)
        }
        return collected
    }

    private func collect(
        _ batch: BatchJob,
        of submission: BatchLedger.Submission,
        into collected: inout Collected
    ) async throws {
        let requests = Dictionary(submission.requests.map { ($0.key, $0) }) { first, _ in first }
        // The server's times, held to what a record may say (a hostile 2^63 or -1 is not kept: the
        // entry would then be refused as damaged, an image paid for and lost).
        func time(_ seconds: Int?) -> Date? {
            guard let seconds else { return nil }
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            return (CacheRecord.earliestDate...CacheRecord.latestDate).contains(date) ? date : nil
        }
        let submitted = time(batch.createdAt) ?? submission.begunAt
        let ended = [batch.completedAt, batch.failedAt, batch.expiredAt, batch.cancelledAt].lazy.compactMap(time).first
        let completed = max(submitted, ended ?? Date())
        var answered: Set<String> = []
        // A line of at most ten images at the image limit, and its text besides, per request.
        let limit = submission.requests.count * (10 * (settings.maxBytesPerImage / 3 * 4 + 4) + (1 << 20))
        let builder = Builder(project: project, source: nil)
        /// Keeps one line's answer: its images cached (once), its failure returned.
        func take(_ id: String?, _ answer: BatchOutput.Answer) async throws {
            guard let id, let pending = requests[id], answered.insert(id).inserted else { return }
            let key = CacheKey(hex: id)
            switch answer {
            case .images(var result):
                if (try? project.cache.entry(for: key)) != nil {
                    for image in result.images { image.discard() }
                    collected.cached.append(key)
                    return
                }
                do {
                    let checked = try await builder.check(result.images, for: pending.request)
                    result.latency = .seconds(completed.timeIntervalSince(submitted))
                    result.totalTime = result.latency
                    var record = builder.makeRecord(
                        for: pending.request,
                        key: key,
                        result: result,
                        images: checked,
                        promptFile: pending.promptFile
                    )
                    record.batch = CacheRecord.Batch(
                        id: batch.id,
                        customID: id,
                        submittedAt: submitted,
                        completedAt: completed
                    )
                    _ = try project.cache.store(images: checked.map(\.image), record: record)
                    collected.cached.append(key)
                } catch {
                    for image in result.images { image.discard() }
                    collected.failed[key] = FailureLog.Entry(
                        file: pending.promptFile,
                        message: "the batch's answer was not kept: \(error)",
                        time: completed
                    )
                }
            case .failure(let error):
                if ["batch_expired", "batch_cancelled"].contains(error.code ?? "") {
                    collected.returned.append(key)
                } else {
                    collected.failed[key] = FailureLog.Entry(
                        file: pending.promptFile,
                        message: error.description,
                        time: completed
                    )
                }
            }
        }
        for fileID in [batch.outputFileID, batch.errorFileID].compactMap({ $0 }) {
            let file = project.stateFolder.appendingPathComponent("\(submission.id)-\(fileID).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            _ = try await client.download(fileID, to: file, limit: limit)
            try await BatchOutput.read(
                file,
                spool: project.cache.spoolFolder,
                maxBytesPerImage: settings.maxBytesPerImage,
                redactor: client.connection.redactor,
                images: { requests[$0]?.request.n },
                handle: take
            )
        }
        for request in submission.requests where !answered.contains(request.key) {
            collected.returned.append(CacheKey(hex: request.key))
        }
    }
}
