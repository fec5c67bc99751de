import Foundation

extension Builder {
    /// The cache record of a finished generation whose `images` were checked.
    func makeRecord(
        for request: ImageRequest,
        key: CacheKey,
        result: ImageResult,
        images checked: [CheckedImage],
        promptFile: String
    ) -> CacheRecord {
        // Checked images all have the format asked for; the name's extension comes from their bytes.
        let format = checked.first?.format ?? ImageFormat(setting: request.outputFormat) ?? .png
        let images = checked.enumerated().map { offset, image in
            CacheRecord.Image(
                file: "\(offset + 1).\(image.format.fileExtension)",
                sha256: image.sha256,
                bytes: image.bytes,
                width: image.info.width,
                height: image.info.height
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
            format: format.rawValue,
            images: images,
            promptFile: promptFile,
            storedAt: Date(),
            revisedPrompt: result.revisedPrompt
        )
    }
}
