import Foundation

/// What collecting the ended batches did (``Builder/collectBatches(with:)``).
public struct BatchCollection: Sendable {
    /// Images now in the cache, requests failed, requests given back to the plan.
    public var cached = 0
    public var failed = 0
    public var returned = 0
    /// The batches still running.
    public var open: [OpenBatch] = []

    /// A batch still running, and how far it is.
    public struct OpenBatch: Sendable, Hashable {
        public var id: String
        public var status: String
        public var total: Int
        public var completed: Int
        public var failed: Int
    }

    /// True when there was no batch to look at.
    public var isEmpty: Bool { cached + failed + returned == 0 && open.isEmpty }
}

extension Builder {
    /// Looks at the batches an earlier `easel build --batch` sent (issue 15): those that ended are
    /// collected into the cache exactly as synchronous answers are, their failures written to the
    /// failure log (the plan counts them as failed last time), and what they did not make given
    /// back to the plan. Nothing is sent when the ledger holds no batch.
    public func collectBatches(with client: BatchClient) async throws -> BatchCollection {
        let location = BatchLedger.location(in: project)
        guard try !BatchLedger.load(from: location).submissions.isEmpty else { return BatchCollection() }
        let collected = try await BatchRunner(project: project, client: client).collect()
        if !collected.failed.isEmpty {
            var log = FailureLog.load(project)
            for (key, entry) in collected.failed { log.entries[key.hex] = entry }
            try? log.save(project)
        }
        return BatchCollection(
            cached: collected.cached.count,
            failed: collected.failed.count,
            returned: collected.returned.count,
            open: collected.open.map { batch in
                BatchCollection.OpenBatch(
                    id: batch.id,
                    status: batch.status,
                    total: batch.requestCounts?.total ?? 0,
                    completed: batch.requestCounts?.completed ?? 0,
                    failed: batch.requestCounts?.failed ?? 0
                )
            }
        )
    }

    /// Asks for every open batch to be cancelled (`easel batch cancel`), then collects what ended:
    /// what a batch finished before it stopped is cached, the rest given back to the plan.
    public func cancelBatches(with client: BatchClient) async throws -> BatchCollection {
        let ledger = try BatchLedger.load(from: BatchLedger.location(in: project))
        for batchID in ledger.submissions.compactMap(\.batchID) {
            // A batch that ended meanwhile refuses to be cancelled: it is collected below.
            _ = try? await client.cancel(batchID)
        }
        return try await collectBatches(with: client)
    }

    /// Sends the selected requests the cache lacks and no batch holds, as batches, unless their
    /// estimate at batch prices is over the build's budget; marks them queued.
    /// - Returns: the batches open now, or why nothing was sent.
    func sendBatches(
        _ outcomes: inout [PromptOutcome],
        selected: [Bool],
        with client: BatchClient,
        options: BuildOptions
    ) async throws -> (sent: [BatchLedger.Submission], refusal: String?, refused: Int) {
        var pending: [BatchRunner.Pending] = []
        var estimate = 0.0
        var unknown = 0
        var seen: Set<CacheKey> = []
        for (outcome, isSelected) in zip(outcomes, selected)
        where isSelected && outcome.status == .placeholder && outcome.queued == nil {
            guard let key = outcome.key, let request = outcome.prompt.request else { continue }
            pending.append(BatchRunner.Pending(key: key, request: request, promptFile: outcome.prompt.path))
            guard seen.insert(key).inserted else { continue }
            if let cost = project.catalog[request.model]?.batchEstimate(request) {
                estimate += cost
            } else {
                unknown += 1
            }
        }
        if let cap = options.maxCost ?? project.config.maxCost, !pending.isEmpty, estimate > cap || unknown > 0 {
            let what =
                unknown > 0 ? "\(unknown) request(s) of unknown batch cost" : "about \(Display.dollars(estimate))"
            return ([], "the batches would cost \(what) at batch prices, over max_cost \(Display.dollars(cap))", 0)
        }
        let (open, refused) = try await BatchRunner(project: project, client: client).submit(pending)
        BatchLedger(submissions: open).markQueued(&outcomes)
        let sentNow = Set(pending.map(\.key.hex))
        return (open.filter { $0.requests.contains { sentNow.contains($0.key) } }, nil, refused.count)
    }
}
