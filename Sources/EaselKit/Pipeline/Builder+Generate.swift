import Foundation
import Logging

extension Builder {
    /// Generates every missing entry, `concurrency` requests at a time; prompts that share a request
    /// share one generation.
    /// - Returns: the API time of all requests added up.
    func generate(
        _ outcomes: inout [PromptOutcome],
        with source: any ImageSource,
        concurrency: Int,
        onFinish: @escaping @Sendable (PromptOutcome) -> Void
    ) async -> Duration {
        var waiting: [CacheKey: [Int]] = [:]
        var order: [(CacheKey, ImageRequest, String)] = []
        for (index, outcome) in outcomes.enumerated() where outcome.status == .placeholder {
            guard let key = outcome.key, let request = outcome.prompt.request else { continue }
            if waiting[key] == nil { order.append((key, request, outcome.prompt.path)) }
            waiting[key, default: []].append(index)
        }
        var apiTime = Duration.zero
        await withTaskGroup(of: (CacheKey, Result<CacheEntry, GenerationFailure>, Duration).self) { group in
            var pending = order.makeIterator()
            func startNext() {
                guard let (key, request, file) = pending.next() else { return }
                group.addTask { await self.generateOne(request, key: key, promptFile: file, source: source) }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            for await (key, result, time) in group {
                apiTime += time
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
                startNext()
            }
        }
        return apiTime
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
                return (key, .failure(GenerationFailure(message: "the API returned no image")), result.totalTime)
            }
            let record = makeRecord(for: request, key: key, result: result, promptFile: promptFile)
            let entry = try project.cache.store(images: result.images, record: record)
            logger.info("generated", metadata: ["prompt": "\(promptFile)", "key": "\(key.short)"])
            return (key, .success(entry), result.totalTime)
        } catch {
            return (key, .failure(GenerationFailure(message: String(describing: error))), started.duration(to: .now))
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
            storedAt: Date()
        )
    }
}

/// Why one generation failed, safe to show.
struct GenerationFailure: Error, Sendable {
    var message: String
}
