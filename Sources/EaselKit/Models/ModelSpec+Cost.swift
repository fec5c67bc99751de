extension ModelSpec {
    /// What a finished request cost in US dollars, from the API's token counts or the per-image
    /// price; nil when a price it needs is unknown.
    func cost(of request: ImageRequest, usage: Usage?, size: String?, quality: String?) -> Double? {
        if !prices.perImage.isEmpty {
            let size = size ?? request.size ?? defaults["size"] ?? ""
            let quality = quality ?? request.quality ?? defaults["quality"] ?? ""
            guard let each = prices.perImage["\(quality) \(size)"] ?? prices.perImage[size] else { return nil }
            return each * Double(request.n)
        }
        guard let usage, let output = prices.imageOutput else { return nil }
        var dollars = Double(usage.outputTokens) * output
        if let text = usage.inputTextTokens, let image = usage.inputImageTokens {
            guard let textPrice = prices.textInput else { return nil }
            dollars += Double(text) * textPrice
            if image > 0 {
                guard let imagePrice = prices.imageInput else { return nil }
                dollars += Double(image) * imagePrice
            }
        } else if usage.inputTokens > 0 {
            // Without the split, all input is text for a generation and mostly image for an edit.
            let rate = request.images.isEmpty ? prices.textInput : prices.imageInput
            guard let rate else { return nil }
            dollars += Double(usage.inputTokens) * rate
        }
        return dollars / 1_000_000
    }
}
