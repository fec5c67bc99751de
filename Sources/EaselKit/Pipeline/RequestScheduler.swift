import Foundation

/// Sends a build's distinct requests: at most `concurrency` at once, fewer after a 429 (the ``RequestGate``
/// decides); none that would take the build past its budget; none after a failure whose scope is the run
/// (a bad key, no credit), and none for a model after a failure whose scope is that model. An interruption
/// stops new requests and lets those in flight finish within the grace period; a second one cancels them.
///
/// It knows nothing of prompts, caches or images: ``Builder`` turns a plan's placeholders into ``Job``s and
/// says how one is sent and what to do with each result.
struct RequestScheduler: Sendable {
    /// One distinct request to send, and its estimated cost.
    struct Job: Sendable {
        var key: CacheKey
        var request: ImageRequest
        var promptFile: String
        var estimate: Double?
    }

    let concurrency: Int
    let maxCost: Double?
    let control: BuildControl

    /// What a child task of the group reports.
    private enum Child: Sendable {
        case done(Job, Result<CacheEntry, GenerationFailure>, Duration)
        case control(BuildControl.Event?)
        case graceOver
    }

    /// Sends every job through `send`, and gives `finish` each job's result, in the order results come (a
    /// job not sent has a failure saying why), on the caller's task.
    /// - Parameters:
    ///   - started: told when a job's request starts.
    ///   - send: sends one job through the gate; returns its result and the API time it took.
    func run(
        _ jobs: [Job],
        started: (Job) -> Void,
        send: @escaping @Sendable (Job, RequestGate) async -> (Result<CacheEntry, GenerationFailure>, Duration),
        finish: (Job, Result<CacheEntry, GenerationFailure>) -> Void
    ) async -> GenerationSummary {
        let gate = RequestGate(maximum: concurrency)
        var budget = Budget(cap: maxCost)
        var summary = GenerationSummary()
        var unservedModels: [String: String] = [:]
        let control = control
        let concurrency = concurrency
        let clock = ContinuousClock.now

        await withTaskGroup(of: Child.self) { group in
            var pending = jobs[...]
            var running = 0
            group.addTask { .control(await control.next()) }

            func startNext() {
                while running < concurrency, let job = pending.popFirst() {
                    if let closed = gate.closedReason {
                        let reason = closed.interrupted ? closed.reason : "not sent: \(closed.reason)"
                        finish(job, .failure(GenerationFailure(message: reason, interrupted: closed.interrupted)))
                        continue
                    }
                    if let reason = unservedModels[job.request.model] {
                        finish(job, .failure(GenerationFailure(message: "not sent: \(reason)")))
                        continue
                    }
                    if let refusal = budget.reserve(job) {
                        finish(job, .failure(GenerationFailure(message: refusal)))
                        continue
                    }
                    running += 1
                    started(job)
                    group.addTask {
                        let (result, time) = await send(job, gate)
                        return .done(job, result, time)
                    }
                }
            }

            startNext()
            while running > 0, let child = await group.next() {
                switch child {
                case .done(let job, let result, let time):
                    running -= 1
                    summary.apiTime += time
                    let entry = try? result.get()
                    budget.settle(job, generated: entry != nil, cost: entry?.record.costUSD)
                    if case .failure(let failure) = result {
                        switch failure.scope {
                        case .run:
                            summary.stopped = summary.stopped ?? failure.message
                            gate.close(failure.message)
                        case .model:
                            unservedModels[job.request.model] = unservedModels[job.request.model] ?? failure.message
                        case .request: break
                        }
                    }
                    finish(job, result)
                    startNext()
                case .control(.stop?):
                    summary.interrupted = true
                    gate.close("interrupted before it was sent", interrupted: true)
                    startNext()  // marks every job not yet started
                    let grace = control.gracePeriod
                    group.addTask {
                        try? await Task.sleep(for: grace)
                        return .graceOver
                    }
                    group.addTask { .control(await control.next()) }
                case .control(.cancel?), .graceOver:
                    group.cancelAll()
                case .control(nil):
                    break
                }
            }
            group.cancelAll()
        }
        summary.rateLimited = gate.snapshot.rateLimited
        summary.wallTime = clock.duration(to: .now)
        return summary
    }
}
