import Foundation
import Logging

extension Builder {
    /// One distinct request to send, and the prompts waiting for it.
    private struct Job: Sendable {
        var key: CacheKey
        var request: ImageRequest
        var promptFile: String
    }

    /// Generates every missing entry, `concurrency` requests at a time; prompts that share a request
    /// share one generation.
    ///
    /// A failure whose scope is the run (a bad key, no credit) stops every request not yet sent;
    /// one whose scope is a model stops the requests for that model. Requests already in flight
    /// finish: they are being paid for.
    /// - Returns: the API time of all requests added up, and why the run stopped early, if it did.
    func generate(
        _ outcomes: inout [PromptOutcome],
        with source: any ImageSource,
        concurrency: Int,
        onFinish: @escaping @Sendable (PromptOutcome) -> Void
    ) async -> (apiTime: Duration, stopped: String?) {
        var waiting: [CacheKey: [Int]] = [:]
        var jobs: [Job] = []
        for (index, outcome) in outcomes.enumerated() where outcome.status == .placeholder {
            guard let key = outcome.key, let request = outcome.prompt.request else { continue }
            if waiting[key] == nil { jobs.append(Job(key: key, request: request, promptFile: outcome.prompt.path)) }
            waiting[key, default: []].append(index)
        }
        var apiTime = Duration.zero
        var stopped: String?
        var unservedModels: [String: String] = [:]

        func finish(_ key: CacheKey, _ result: Result<CacheEntry, GenerationFailure>) {
            for index in waiting[key] ?? [] {
                switch result {
                case .success(let entry):
                    outcomes[index].status = .generated
                    outcomes[index].entry = entry
                case .failure(let failure):
                    outcomes[index].status = .failed
                    outcomes[index].failure = failure.message
                }
                onFinish(outcomes[index])
            }
        }

        await withTaskGroup(of: (CacheKey, Result<CacheEntry, GenerationFailure>, Duration).self) { group in
            var pending = jobs[...]
            func startNext() {
                while let job = pending.popFirst() {
                    if let reason = stopped ?? unservedModels[job.request.model] {
                        finish(job.key, .failure(GenerationFailure(message: "not sent: \(reason)", scope: .request)))
                        continue
                    }
                    group.addTask {
                        await self.generateOne(job.request, key: job.key, promptFile: job.promptFile, source: source)
                    }
                    return
                }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            for await (key, result, time) in group {
                apiTime += time
                if case .failure(let failure) = result {
                    switch failure.scope {
                    case .run: stopped = stopped ?? failure.message
                    case .model:
                        if let model = waiting[key]?.first.flatMap({ outcomes[$0].prompt.request?.model }) {
                            unservedModels[model] = unservedModels[model] ?? failure.message
                        }
                    case .request: break
                    }
                }
                finish(key, result)
                startNext()
            }
        }
        return (apiTime, stopped)
    }

    private func generateOne(
        _ request: ImageRequest,
        key: CacheKey,
        promptFile: String,
        source: any ImageSource
    ) async -> (CacheKey, Result<CacheEntry, GenerationFailure>, Duration) {
        let started = ContinuousClock.now
        do {
            let result = try await source.generate(request)
            guard !result.images.isEmpty else {
                return (
                    key, .failure(GenerationFailure(message: "the API returned no image", scope: .request)),
                    result.totalTime
                )
            }
            let record = makeRecord(for: request, key: key, result: result, promptFile: promptFile)
            let entry = try project.cache.store(images: result.images, record: record)
            logger.info("generated", metadata: ["prompt": "\(promptFile)", "key": "\(key.short)"])
            return (key, .success(entry), result.totalTime)
        } catch {
            let scope = (error as? any ScopedError)?.scope ?? .request
            let failure = GenerationFailure(message: String(describing: error), scope: scope)
            return (key, .failure(failure), started.duration(to: .now))
        }
    }

    func makeRecord(for request: ImageRequest, key: CacheKey, result: ImageResult, promptFile: String) -> CacheRecord {
        let ext = result.format == "jpeg" ? "jpg" : result.format
        let images = result.images.enumerated().map { offset, data in
            let info = try? ImageInfo.read(data: data)
            return CacheRecord.Image(
                file: "\(offset + 1).\(ext)",
                sha256: CacheKey.sha256(data),
                bytes: data.count,
                width: info?.width,
                height: info?.height
            )
        }
        let cost = project.catalog[request.model]?.cost(
            of: request,
            usage: result.usage,
            size: result.size,
            quality: result.quality
        )
        return CacheRecord(
            version: 1,
            key: key,
            request: CacheRecord.Request(request),
            created: result.created,
            latencyMS: result.latency.milliseconds,
            totalMS: result.totalTime.milliseconds,
            attempts: result.attempts,
            requestID: result.requestID,
            usage: result.usage,
            costUSD: cost,
            model: request.model,
            size: result.size,
            quality: result.quality,
            background: result.background,
            format: result.format,
            images: images,
            promptFile: promptFile,
            storedAt: Date(),
            revisedPrompt: result.revisedPrompt
        )
    }
}

/// Why one generation failed, safe to show, and how far the failure reaches.
struct GenerationFailure: Error, Sendable {
    var message: String
    var scope: FailureScope
}
