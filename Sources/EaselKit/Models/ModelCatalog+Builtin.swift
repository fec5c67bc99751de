// The built-in model table. Sources: shared/reference/openai-images-api.md (§0 status, §2 sizes and
// qualities, §10 prices), which cites the official Python SDK of November 2026 and OpenAI's docs.
// A price that no first-party source gives is left unknown rather than guessed. `input_fidelity`:
// "gpt-image-1 and gpt-image-1.5 and later models, unsupported for gpt-image-1-mini", default low
// (the official OpenAPI spec, `InputFidelity`).

extension ModelCatalog {
    /// Every model Easel knows without configuration.
    public static let builtin = ModelCatalog(models: gptImage2Family + olderGPTImage + legacy)

    private static let standardSizes = ["auto", "1024x1024", "1536x1024", "1024x1536"]
    private static let gptDefaults = [
        "size": "auto", "quality": "auto", "background": "auto", "format": "png", "moderation": "auto",
        "compression": "100", "input_fidelity": "low",
    ]
    private static let gptImageEndpoints: Set<ImageRequest.Endpoint> = [.generations, .edits]
    private static let flexible = FlexibleSizes(
        multipleOf: 16,
        maxRatio: 3,
        maxSize: ImageSize(width: 3840, height: 2160),
        minPixels: 655_360
    )
    // The 2.x family: $5 text in, $8 image in, $30 image out per 1M tokens (OpenAI model pages).
    private static let family2Prices = Prices(textInput: 5, imageInput: 8, imageOutput: 30)
    // Batch: "half price on all token types"; the gpt-image-2 model page lists Batch as supported.
    // No first-party page says so of the 2.5 and 2.6 models: their batch prices are unknown.
    private static let family2BatchPrices = family2Prices.scaled(by: 0.5)

    private static func gptImage(
        _ name: String,
        flexible: Bool,
        extraQualities: [String] = [],
        prices: Prices,
        batchPrices: Prices? = nil,
        inputFidelities: [String] = ["high", "low"],
        status: ModelSpec.Status = .active
    ) -> ModelSpec {
        ModelSpec(
            name: name,
            dialect: .gptImage,
            sizes: standardSizes,
            flexibleSizes: flexible ? Self.flexible : nil,
            qualities: ["auto", "low", "medium", "high"] + extraQualities,
            maxImages: 10,
            formats: ["png", "jpeg", "webp"],
            endpoints: gptImageEndpoints,
            maxInputImages: 16,
            maxPromptLength: 32_000,
            inputFidelities: inputFidelities,
            prices: prices,
            batchPrices: batchPrices,
            status: status,
            defaults: gptDefaults
        )
    }

    private static let gptImage2Family: [ModelSpec] =
        ["gpt-image-2", "gpt-image-2-2026-04-21"].map {
            gptImage($0, flexible: true, prices: family2Prices, batchPrices: family2BatchPrices)
        }
        + [
            "gpt-image-2.5-flare", "gpt-image-2.5-flare-2026-09-08",
            "gpt-image-2.5-sunburst", "gpt-image-2.5-sunburst-2026-09-08",
        ].map { gptImage($0, flexible: true, extraQualities: ["xhigh", "max"], prices: family2Prices) }
        + ["gpt-image-2.6-flare", "gpt-image-2.6-sunburst"].map {
            gptImage($0, flexible: false, extraQualities: ["xhigh", "max"], prices: family2Prices)
        }

    private static let olderGPTImage: [ModelSpec] = [
        // gpt-image-1.5's token prices are only published by third parties: unknown here.
        gptImage(
            "gpt-image-1.5",
            flexible: false,
            prices: .unknown,
            status: .deprecated(shutdown: "2026-12-01", replacement: "gpt-image-2.6-sunburst")
        ),
        gptImage(
            "gpt-image-1.5-2025-12-16",
            flexible: false,
            prices: .unknown,
            status: .deprecated(shutdown: "2026-12-01", replacement: "gpt-image-2.6-sunburst")
        ),
        gptImage(
            "chatgpt-image-latest",
            flexible: false,
            prices: .unknown,
            status: .deprecated(shutdown: "2026-12-01", replacement: "gpt-image-2.6-sunburst")
        ),
        gptImage(
            "gpt-image-1-mini",
            flexible: false,
            prices: Prices(textInput: 2, imageInput: 2.5, imageOutput: 8),
            inputFidelities: [],
            status: .deprecated(shutdown: "2026-12-01", replacement: "gpt-image-2.6-flare")
        ),
        gptImage(
            "gpt-image-1",
            flexible: false,
            prices: Prices(textInput: 5, imageInput: 10, imageOutput: 40),
            status: .retired(since: "2026-10-23", replacement: "gpt-image-2.5-sunburst")
        ),
    ]

    private static let legacy: [ModelSpec] = [
        ModelSpec(
            name: "dall-e-2",
            dialect: .legacy,
            sizes: ["256x256", "512x512", "1024x1024"],
            qualities: ["standard"],
            maxImages: 10,
            formats: [],
            endpoints: [.generations, .edits, .variations],
            maxInputImages: 1,
            maxPromptLength: 1_000,
            prices: Prices(perImage: ["256x256": 0.016, "512x512": 0.018, "1024x1024": 0.02]),
            status: .retired(since: "2026-05-12", replacement: "gpt-image-2"),
            defaults: ["size": "1024x1024", "quality": "standard"]
        ),
        ModelSpec(
            name: "dall-e-3",
            dialect: .legacy,
            sizes: ["1024x1024", "1792x1024", "1024x1792"],
            qualities: ["standard", "hd"],
            maxImages: 1,
            formats: [],
            endpoints: [.generations],
            maxInputImages: 0,
            maxPromptLength: 4_000,
            prices: Prices(perImage: [
                "standard 1024x1024": 0.04, "standard 1792x1024": 0.08, "standard 1024x1792": 0.08,
                "hd 1024x1024": 0.08, "hd 1792x1024": 0.12, "hd 1024x1792": 0.12,
            ]),
            status: .retired(since: "2026-05-12", replacement: "gpt-image-2"),
            defaults: ["size": "1024x1024", "quality": "standard"]
        ),
    ]
}
