import Foundation

extension Builder {
    /// The cache record of a finished generation.
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
