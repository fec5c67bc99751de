import Foundation
import Testing

@testable import EaselKit

/// Sending a build's missing requests as batches and collecting them (issue 15), against the Files
/// and Batch APIs served in the test: one upload per input, one batch per endpoint, nothing sent
/// twice, results cached as a synchronous answer's are, and a killed run carried on.
struct BatchRunnerTests {
    private func withRunner<T: Sendable>(
        _ project: TemporaryProject,
        _ api: FakeBatchAPI,
        _ body: @escaping @Sendable (BatchRunner, FakeImagesServer) async throws -> T
    ) async throws -> T {
        let server = FakeImagesServer(reply: api.reply)
        return try await server.run { baseURL in
            let settings = APISettings(baseURL: baseURL, apiKey: "sk-test-batch-runner")
            return try await ImagesClient.withHTTPClient(for: settings) { http in
                let runner = BatchRunner(
                    project: try project.open(),
                    client: BatchClient(settings: settings, httpClient: http, clock: RecordingClock(), jitter: { 0 })
                )
                return try await body(runner, server)
            }
        }
    }

    /// The placeholders of a plan, as the runner takes them.
    private func pending(_ project: TemporaryProject) throws -> [BatchRunner.Pending] {
        let plan = try Builder(project: try project.open(), source: nil).plan(BuildOptions())
        return plan.outcomes.compactMap { outcome in
            guard outcome.status == .placeholder, let key = outcome.key, let request = outcome.prompt.request else {
                return nil
            }
            return BatchRunner.Pending(key: key, request: request, promptFile: outcome.prompt.path)
        }
    }

    private func writeGallery(_ project: TemporaryProject) throws {
        try project.writeImage("inputs/harbour.png", width: 128, height: 128)
        for index in 1...6 {
            try project.write("prompts/g\(index).md", "---\nquality: low\n---\nA kite, number \(index).")
        }
        try project.write("prompts/two.md", "---\nn: 2\nformat: webp\n---\nTwo kites.")
        for index in 1...2 {
            try project.write(
                "prompts/e\(index).md",
                "---\nedit:\n  image: inputs/harbour.png\n  mask: {rect: [0, 0, 32, 32]}\n---\nNight, take \(index)."
            )
        }
    }

    @Test func aBacklogIsSentOnceAndCollectedIntoTheCache() async throws {
        try await TemporaryProject.with { project in
            try writeGallery(project)
            let api = FakeBatchAPI()
            let pending = try pending(project)
            #expect(pending.count == 9)
            try await withRunner(project, api) { runner, server in
                let (open, refused) = try await runner.submit(pending)
                #expect(refused.isEmpty && open.count == 2 && open.allSatisfy { $0.batchID != nil })
                // One upload of the input and one of the drawn mask (the same for both edits), and
                // one JSONL per endpoint.
                #expect(api.uploads == ["batch", "batch", "vision", "vision"])
                #expect(
                    Set(api.batchIDs.compactMap(api.endpoint(of:))) == ["/v1/images/generations", "/v1/images/edits"]
                )

                let sent = server.received.count
                let again = try await runner.submit(pending)
                #expect(again.open.count == 2 && api.batchIDs.count == 2, "a second submission sends nothing")
                #expect(server.received.count == sent)

                let waiting = try await runner.collect()
                #expect(waiting.open.count == 2 && waiting.cached.isEmpty)
                for id in api.batchIDs { api.complete(id) }
                let collected = try await runner.collect()
                #expect(collected.cached.count == 9 && collected.failed.isEmpty && collected.returned.isEmpty)
                #expect(try BatchLedger.load(from: runner.ledgerURL).submissions.isEmpty)
                let entry = try #require(try project.open().cache.entry(for: pending[0].key))
                #expect(entry.record.batch?.customID == pending[0].key.hex && entry.record.latencyMS == 11_520_000)
                let after = try await runner.collect()
                #expect(after.cached.isEmpty && after.open.isEmpty)
            }
            // A build now makes no request: every image is in the cache, said to be a batch's.
            let source = RecordingSource()
            let report = try await Builder(project: try project.open(), source: source).build(BuildOptions())
            #expect(report.cached == 9 && source.received.isEmpty)
            #expect(try project.read("site/prompts/g1.html").contains("batch, 3 h 12 min"))
        }
    }

    @Test func failedLinesFailAndAnExpiredBatchGivesItsRequestsBack() async throws {
        try await TemporaryProject.with { project in
            try writeGallery(project)
            let api = FakeBatchAPI()
            let pending = try pending(project)
            try await withRunner(project, api) { runner, _ in
                _ = try await runner.submit(pending)
                let generations = try #require(api.batchIDs.first { api.endpoint(of: $0) == "/v1/images/generations" })
                let edits = try #require(api.batchIDs.first { $0 != generations })
                api.complete(generations, failEvery: 3)
                api.expire(edits)
                let collected = try await runner.collect()
                #expect(collected.cached.count == 5 && collected.failed.count == 2 && collected.returned.count == 2)
                #expect(collected.failed.values.allSatisfy { $0.message.contains("moderation_blocked") })
                // What came back is to be sent again, in a new batch; nothing cached is.
                let (open, _) = try await runner.submit(try self.pending(project))
                #expect(open.count == 2 && open.map(\.requests.count).sorted() == [2, 2])
            }
        }
    }

    /// A server's times no batch has are not kept: the images are cached, with times a record may hold.
    @Test func aBatchsHostileTimesDoNotLoseItsImages() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A kite.")
            let api = FakeBatchAPI()
            let pending = try pending(project)
            try await withRunner(project, api) { runner, _ in
                _ = try await runner.submit(pending)
                let id = try #require(api.batchIDs.first)
                api.complete(id)
                api.spoilTimes(id)
                let collected = try await runner.collect()
                #expect(collected.cached.count == 1)
                let entry = try #require(try runner.project.cache.entry(for: pending[0].key))
                let batch = try #require(entry.record.batch)
                #expect(batch.submittedAt > Date(timeIntervalSince1970: 1_700_000_000))
                #expect(batch.completedAt >= batch.submittedAt && batch.completedAt <= Date().addingTimeInterval(60))
            }
        }
    }

    /// A cancelled batch gives its requests back; a run killed while it collected (its images
    /// cached, the ledger not yet written) collects again without storing anything twice.
    @Test func aCancelledBatchGivesItsRequestsBackAndCollectingTwiceStoresNothingTwice() async throws {
        try await TemporaryProject.with { project in
            try writeGallery(project)
            try project.write("easel.yml", "title: Kites over the harbour\n")
            let api = FakeBatchAPI()
            let pending = try pending(project)
            try await withRunner(project, api) { runner, _ in
                _ = try await runner.submit(pending)
                #expect(api.batchIDs.allSatisfy { api.metadata(of: $0)["easel_project"] == "Kites over the harbour" })
                let builder = Builder(project: runner.project, source: nil)
                let generations = try #require(api.batchIDs.first { api.endpoint(of: $0) == "/v1/images/generations" })
                api.complete(generations)
                let before = try BatchLedger.load(from: runner.ledgerURL)
                let cancelled = try await builder.cancelBatches(with: runner.client)
                #expect(cancelled.cached == 7 && cancelled.returned == 2 && cancelled.open.isEmpty)
                // As if killed after caching, before the ledger was written: collected again.
                try before.save(to: runner.ledgerURL)
                let cache = try project.snapshot(of: "cache").files
                #expect(cache.keys.filter { $0.hasSuffix(CacheEntry.recordName) }.count == 7)
                let again = try await runner.collect()
                #expect(again.cached.count == 7 && again.returned.count == 2)
                #expect(try project.snapshot(of: "cache").files == cache, "nothing stored twice")
            }
        }
    }

    /// A run killed after its input was uploaded: the next finds the batch made for it by the
    /// submission's id in its metadata; makes it if the killed run never asked for it; and waits
    /// while a request to make it, sent by the killed run, may still be in flight.
    @Test(arguments: ["made", "never asked for", "asked for, not made yet"])
    func aSubmissionKilledHalfWayIsCarriedOnWithoutASecondBatch(state: String) async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A kite.")
            let api = FakeBatchAPI()
            let pending = try pending(project)
            try await withRunner(project, api) { runner, _ in
                let (open, _) = try await runner.submit(pending)
                var ledger = try BatchLedger.load(from: runner.ledgerURL)
                // As the ledger was when the process died: the batch id not yet written.
                ledger.submissions[0].batchID = nil
                if state != "made" { ledger.submissions[0].id = "easel-killed-before-the-batch" }
                if state == "never asked for" { ledger.submissions[0].createSentAt = nil }
                try ledger.save(to: runner.ledgerURL)
                let carried = try await runner.collect()
                let batches = api.batchIDs
                let now = try BatchLedger.load(from: runner.ledgerURL).submissions
                switch state {
                case "made":
                    #expect(batches.count == 1 && carried.open.first?.id == open.first?.batchID)
                    #expect(now.first?.batchID == batches.first)
                case "never asked for":
                    #expect(batches.count == 2 && carried.open.count == 1 && now.first?.batchID == batches.last)
                default:
                    #expect(batches.count == 1 && carried.open.isEmpty, "no second batch while one may be on its way")
                    #expect(now.first?.batchID == nil && now.first?.requests.count == 1, "still queued")
                }
            }
        }
    }
}

/// `easel build --batch` end to end through the builder (issue 15's acceptance): 30 prompts,
/// generations and edits with masks.
struct BatchBuildTests {
    @Test func thirtyPromptsGoOutInABatchPerEndpointAndComeBackIntoTheSite() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/harbour.png", width: 128, height: 128)
            try project.writeMask("inputs/mask.png", width: 128, height: 128)
            for index in 1...20 { try project.write("prompts/g\(index).md", "---\nquality: low\n---\nKite \(index).") }
            for index in 1...10 {
                let mask = index.isMultiple(of: 2) ? "inputs/mask.png" : "{rect: [0, 0, 32, 32]}"
                try project.write(
                    "prompts/e\(index).md",
                    "---\nedit:\n  image: inputs/harbour.png\n  mask: \(mask)\n---\nNight, take \(index)."
                )
            }
            let api = FakeBatchAPI()
            let server = FakeImagesServer(reply: api.reply)
            try await server.run { baseURL in
                let settings = APISettings(baseURL: baseURL, apiKey: "sk-test-batch-build")
                try await ImagesClient.withHTTPClient(for: settings) { http in
                    let client = ImagesClient(settings: settings, httpClient: http)
                    var options = BuildOptions()
                    options.batches = BatchClient(settings: settings, httpClient: http)
                    options.batch = true
                    let build = { (options: BuildOptions) in
                        try await Builder(project: try project.open(), source: client).build(options)
                    }
                    let first = try await build(options)
                    #expect(first.exitStatus == 0 && first.placeholders == 30 && first.failed == 0)
                    #expect(first.batches.map(\.requests).sorted() == [10, 20])
                    // The input once, the mask file once, the drawn mask once; two JSONL files.
                    #expect(api.uploads == ["batch", "batch", "vision", "vision", "vision"])
                    #expect(
                        try project.read("site/prompts/g1.html").contains("<strong>Queued</strong> in batch batch_")
                    )
                    let plan = try Builder(project: try project.open(), source: nil).plan(BuildOptions())
                    #expect(plan.summary.queued == 30 && plan.summary.requests == 0)

                    let sent = server.received.count
                    let second = try await build(options)
                    #expect(second.batches.isEmpty && api.batchIDs.count == 2)
                    #expect(!server.received.dropFirst(sent).contains { $0.method == "POST" }, "nothing sent again")

                    for id in api.batchIDs { api.complete(id) }
                    options.batch = false
                    let third = try await build(options)
                    #expect(third.cached == 30 && third.generated == 0 && third.placeholders == 0)
                    #expect(try project.read("site/prompts/e1.html").contains("batch, 3 h 12 min"))

                    let before = server.received.count
                    let fourth = try await build(options)
                    #expect(fourth.cached == 30 && server.received.count == before, "no request at all")
                }
            }
        }
    }
}
