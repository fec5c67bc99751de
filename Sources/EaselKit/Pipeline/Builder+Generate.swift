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
    /// Generates every missing entry through a ``RequestScheduler``: prompts that share a request share
    /// one generation, and each prompt's outcome follows its request's result.
    func generate(
        _ outcomes: inout [PromptOutcome],
        with source: any ImageSource,
        options: BuildOptions,
        onEvent: @escaping @Sendable (BuildEvent) -> Void
    ) async -> GenerationSummary {
        // Starting libvips loads its modules (tens of milliseconds): do it before the requests
        // go out, not when the first answer arrives. A build with nothing to generate may need
        // no libvips at all.
        if outcomes.contains(where: { $0.status == .placeholder && $0.queued == nil }) { _ = Vips.isStarted }
        var waiting: [CacheKey: [Int]] = [:]
        var jobs: [RequestScheduler.Job] = []
        for (index, outcome) in outcomes.enumerated() where outcome.status == .placeholder && outcome.queued == nil {
            guard let key = outcome.key, let request = outcome.prompt.request else { continue }
            if waiting[key] == nil {
                let model = project.catalog[request.model]
                jobs.append(
                    RequestScheduler.Job(
                        key: key,
                        request: request,
                        promptFile: outcome.prompt.path,
                        estimate: model?.budgetEstimate(request)
                    )
                )
            }
            waiting[key, default: []].append(index)
        }
        let scheduler = RequestScheduler(
            concurrency: max(1, options.concurrency ?? project.config.concurrency ?? 4),
            maxCost: options.maxCost ?? project.config.maxCost,
            control: options.control
        )
        let count = jobs.count
        return await scheduler.run(
            jobs,
            started: { job in onEvent(.started(path: job.promptFile, requests: count)) },
            send: { job, gate in await self.generateOne(job, source: source, gate: gate) },
            finish: { job, result in
                for index in waiting[job.key] ?? [] {
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
        )
    }

    private func generateOne(
        _ job: RequestScheduler.Job,
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
