extension ModelSpec {
    /// Output tokens of one image at 1024x1024 by quality, as measured on OpenAI's GPT image models
    /// (low 272, medium 1,056, high 4,160; larger sizes scale with their pixels). `auto` is counted
    /// as high so that an estimate errs on the side of the budget. `xhigh` and `max` have no
    /// published figure: their estimate is unknown.
    static let outputTokensAt1024: [String: Double] = ["low": 272, "medium": 1_056, "high": 4_160, "auto": 4_160]
    /// Input tokens of one 1024x1024 input image (OpenAI's example answer: 323 image tokens).
    static let inputImageTokens: Double = 323

    /// What `request` will probably cost in US dollars, before it is sent; nil when a price or a
    /// token figure it needs is unknown.
    func estimate(_ request: ImageRequest) -> Double? {
        if !prices.perImage.isEmpty { return cost(of: request, usage: nil, size: nil, quality: nil) }
        guard let output = prices.imageOutput else { return nil }
        let quality = request.quality ?? defaults["quality"] ?? "auto"
        guard let perImage = Self.outputTokensAt1024[quality] else { return nil }
        let size = ImageSize(request.size ?? "auto") ?? ImageSize(width: 1024, height: 1024)
        var dollars = perImage * Double(size.pixels) / 1_048_576 * Double(request.n) * output
        if let text = prices.textInput { dollars += Double(request.prompt.utf8.count) / 4 * text }
        if !request.images.isEmpty {
            guard let image = prices.imageInput else { return nil }
            dollars += Self.inputImageTokens * Double(request.images.count) * image
        }
        return dollars / 1_000_000
    }

    /// What `request` will probably cost through the Batch API; nil when the model has no batch
    /// price or the estimate is unknown.
    func batchEstimate(_ request: ImageRequest) -> Double? {
        guard let batchPrices else { return nil }
        var batch = self
        batch.prices = batchPrices
        return batch.estimate(request)
    }

    /// The estimate used against a budget when ``estimate(_:)`` is unknown: the same request at
    /// high quality, a floor for `xhigh` and `max`; nil when even that has no price.
    func budgetEstimate(_ request: ImageRequest) -> Double? {
        if let estimate = estimate(request) { return estimate }
        var high = request
        high.quality = "high"
        return estimate(high)
    }
}
