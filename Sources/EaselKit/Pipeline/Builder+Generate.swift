import Foundation
import Logging
import NIOPosix

/// What the generation phase did, beyond each prompt's outcome.
struct GenerationSummary: Sendable {
    var apiTime = Duration.zero
    /// Why requests stopped being sent (a bad key, no credit), if they did.
    var stopped: String?
    /// True when the user interrupted the build.
    var interrupted = false
    /// How many 429 answers the gate saw.
    var rateLimited = 0
    /// How long the generation phase took, from the first request to the last answer.
    var wallTime = Duration.zero
}

extension Builder {
    /// One distinct request to send, and its estimated cost.
    struct Job: Sendable {
        var key: CacheKey
        var request: ImageRequest
        var promptFile: String
        var estimate: Double?
    }

    /// What a child task of the generation group reports.
    private enum Child: Sendable {
        case done(Job, Result<CacheEntry, GenerationFailure>, Duration)
        case control(BuildControl.Event?)
        case graceOver
    }

    /// Generates every missing entry. At most `concurrency` requests run at once, fewer after a 429
    /// (the ``RequestGate`` decides); prompts that share a request share one generation; no request
    /// starts whose estimate would take the build past `max_cost`.
    ///
    /// A failure whose scope is the run (a bad key, no credit) closes the gate: no request starts
    /// after it. One whose scope is a model stops that model's requests. An interruption stops new
    /// requests and lets those in flight finish within the grace period; a second one cancels them.
    func generate(
        _ outcomes: inout [PromptOutcome],
        with source: any ImageSource,
        options: BuildOptions,
        onEvent: @escaping @Sendable (BuildEvent) -> Void
    ) async -> GenerationSummary {
        // Starting libvips loads its modules (tens of milliseconds): do it before the requests
        // go out, not when the first answer arrives. A build with nothing to generate may need
        // no libvips at all.
        if outcomes.contains(where: { $0.status == .placeholder }) { _ = Vips.isStarted }
        var waiting: [CacheKey: [Int]] = [:]
        var jobs: [Job] = []
        for (index, outcome) in outcomes.enumerated() where outcome.status == .placeholder {
            guard let key = outcome.key, let request = outcome.prompt.request else { continue }
            if waiting[key] == nil {
                let model = project.catalog[request.model]
                jobs.append(
                    Job(
                        key: key,
                        request: request,
                        promptFile: outcome.prompt.path,
                        estimate: model?.budgetEstimate(request)
                    )
                )
            }
            waiting[key, default: []].append(index)
        }
        let concurrency = max(1, options.concurrency ?? project.config.concurrency ?? 4)
        let gate = RequestGate(maximum: concurrency)
        var budget = Budget(cap: options.maxCost ?? project.config.maxCost)
        var summary = GenerationSummary()
        var unservedModels: [String: String] = [:]
        let control = options.control
        let started = ContinuousClock.now

        func finish(_ key: CacheKey, _ result: Result<CacheEntry, GenerationFailure>) {
            for index in waiting[key] ?? [] {
                switch result {
                case .success(let entry):
                    outcomes[index].status = .generated
                    outcomes[index].entry = entry
                case .failure(let failure) where failure.interrupted:
                    outcomes[index].status = .placeholder
                case .failure(let failure):
                    outcomes[index].status = .failed
                    outcomes[index].failure = failure.message
                    outcomes[index].failedAt = failure.sent ? Date() : nil
                }
                onEvent(.finished(outcomes[index]))
            }
        }

        await withTaskGroup(of: Child.self) { group in
            var pending = jobs[...]
            var running = 0
            group.addTask { .control(await control.next()) }

            func startNext() {
                while running < concurrency, let job = pending.popFirst() {
                    if let closed = gate.closedReason {
                        let reason = closed.interrupted ? closed.reason : "not sent: \(closed.reason)"
                        finish(job.key, .failure(GenerationFailure(message: reason, interrupted: closed.interrupted)))
                        continue
                    }
                    if let reason = unservedModels[job.request.model] {
                        finish(job.key, .failure(GenerationFailure(message: "not sent: \(reason)")))
                        continue
                    }
                    if let refusal = budget.reserve(job) {
                        finish(job.key, .failure(GenerationFailure(message: refusal)))
                        continue
                    }
                    running += 1
                    onEvent(.started(path: job.promptFile, requests: jobs.count))
                    group.addTask {
                        let (result, time) = await self.generateOne(job, source: source, gate: gate)
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
                    finish(job.key, result)
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
        summary.wallTime = started.duration(to: .now)
        return summary
    }

    private func generateOne(
        _ job: Job,
        source: any ImageSource,
        gate: RequestGate
    ) async -> (Result<CacheEntry, GenerationFailure>, Duration) {
        let started = ContinuousClock.now
        do {
            let result = try await source.generate(job.request, gate: gate)
            guard !result.images.isEmpty else {
                return (.failure(GenerationFailure(message: "the API returned no image", sent: true)), result.totalTime)
            }
            let images: [CheckedImage]
            do {
                images = try await check(result.images, for: job.request)
            } catch {
                for image in result.images { image.discard() }
                let message = "the server's answer was not kept: \(error)"
                return (.failure(GenerationFailure(message: message, sent: true)), result.totalTime)
            }
            let record = makeRecord(
                for: job.request,
                key: job.key,
                result: result,
                images: images,
                promptFile: job.promptFile
            )
            let entry = try project.cache.store(images: images.map(\.image), record: record)
            logger.info("generated", metadata: ["prompt": "\(job.promptFile)", "key": "\(job.key.short)"])
            return (.success(entry), result.totalTime)
        } catch let closed as RequestGate.Closed {
            let message = closed.interrupted ? closed.reason : "not sent: \(closed.reason)"
            return (.failure(GenerationFailure(message: message, interrupted: closed.interrupted)), .zero)
        } catch {
            if Task.isCancelled {
                return (
                    .failure(GenerationFailure(message: "cancelled", interrupted: true)), started.duration(to: .now)
                )
            }
            let scope = (error as? any ScopedError)?.scope ?? .request
            let failure = GenerationFailure(message: String(describing: error), scope: scope, sent: true)
            return (.failure(failure), started.duration(to: .now))
        }
    }
}

extension Builder {
    /// Checks what a source returned before anything is kept (SPEC §6): each image must be a PNG,
    /// JPEG or WebP by its bytes and its header, of the format asked for, at most 16,384 pixels a
    /// side; and no more images may come back than were asked for. Headers are read on the thread
    /// pool: libvips blocks.
    /// - Throws: ``ImageCheck/Refusal`` for the first image refused.
    func check(_ images: [ReceivedImage], for request: ImageRequest) async throws -> [CheckedImage] {
        guard images.count <= max(1, request.n) else {
            throw ImageCheck.Refusal(
                message:
                    "\(images.count) images came back for n: \(request.n); Easel keeps no answer it did not ask for"
            )
        }
        let asked = ImageFormat(setting: request.outputFormat) ?? .png
        return try await NIOThreadPool.singleton.runIfActive {
            try images.enumerated().map { index, image in try ImageCheck.check(image, index: index, asked: asked) }
        }
    }
}

/// Why one generation failed, safe to show, and how far the failure reaches.
struct GenerationFailure: Error, Sendable {
    var message: String
    var scope: FailureScope = .request
    /// The request reached the API (the failure is worth recording with its time).
    var sent = false
    /// The build was interrupted: the prompt is not failed, only not generated.
    var interrupted = false
}
