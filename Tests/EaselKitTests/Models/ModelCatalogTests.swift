import Testing

@testable import EaselKit

struct ModelCatalogTests {
    private func accepts(_ model: String, _ size: String) -> Bool {
        let spec = ModelCatalog.builtin[model]!
        if spec.sizes.contains(size) { return true }
        guard let rules = spec.flexibleSizes, let parsed = ImageSize(size) else { return false }
        return rules.problem(with: parsed) == nil
    }

    @Test(arguments: [
        ("gpt-image-2", "auto", true), ("gpt-image-2", "1024x1024", true), ("gpt-image-2", "3840x2160", true),
        ("gpt-image-2", "2160x3840", true), ("gpt-image-2", "3072x1024", true), ("gpt-image-2", "3088x1024", false),
        ("gpt-image-2", "1000x1000", false), ("gpt-image-2", "3856x2160", false), ("gpt-image-2", "800x800", false),
        ("gpt-image-2", "816x816", true), ("gpt-image-2-2026-04-21", "1280x720", true),
        ("gpt-image-2.5-flare", "2048x1152", true), ("gpt-image-2.5-sunburst", "640x640", false),
        ("gpt-image-2.6-flare", "1536x1024", true), ("gpt-image-2.6-sunburst", "2048x1152", false),
        ("gpt-image-1.5", "1024x1536", true), ("gpt-image-1-mini", "1280x720", false),
        ("dall-e-2", "256x256", true), ("dall-e-2", "1536x1024", false), ("dall-e-2", "auto", false),
        ("dall-e-3", "1792x1024", true), ("dall-e-3", "512x512", false),
    ])
    func sizes(model: String, size: String, accepted: Bool) {
        #expect(accepts(model, size) == accepted)
    }

    @Test func qualitiesAndLimits() {
        let table = ModelCatalog.builtin
        #expect(table["gpt-image-2"]?.qualities == ["auto", "low", "medium", "high"])
        #expect(table["gpt-image-2.5-flare"]?.qualities.contains("max") == true)
        #expect(table["gpt-image-2.6-sunburst"]?.qualities.contains("xhigh") == true)
        #expect(table["dall-e-3"]?.qualities == ["standard", "hd"])
        #expect(table["dall-e-3"]?.maxImages == 1)
        #expect(table["dall-e-2"]?.maxImages == 10)
        #expect(table["dall-e-2"]?.endpoints.contains(.variations) == true)
        #expect(table["gpt-image-2"]?.endpoints.contains(.variations) == false)
    }

    @Test func pricesAreKnownOrMarkedUnknown() {
        let table = ModelCatalog.builtin
        for name in ["gpt-image-2", "gpt-image-2.5-sunburst", "gpt-image-2.6-flare"] {
            let prices = table[name]!.prices
            #expect((prices.textInput, prices.imageInput, prices.imageOutput) == (5, 8, 30), "\(name)")
        }
        #expect(table["gpt-image-1.5"]?.prices == .unknown)
        #expect(table["dall-e-3"]?.prices.perImage["hd 1792x1024"] == 0.12)
    }

    @Test func costComesFromTokenCounts() {
        let model = ModelCatalog.builtin["gpt-image-2"]!
        let request = ImageRequest(endpoint: .generations, model: "gpt-image-2", prompt: "x")
        let usage = Usage(inputTokens: 372, inputTextTokens: 49, inputImageTokens: 323, outputTokens: 4_160)
        let cost = model.cost(of: request, usage: usage, size: nil, quality: nil)
        #expect(abs((cost ?? 0) - (49 * 5 + 323 * 8 + 4_160 * 30) / 1e6) < 1e-12)
        #expect(ModelCatalog.builtin["gpt-image-1.5"]!.cost(of: request, usage: usage, size: nil, quality: nil) == nil)
    }

    @Test func retiredAndShuttingDownModelsWarn() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "---\nmodel: gpt-image-1.5\n---\nA cat.")
            try project.write("prompts/b.md", "---\nmodel: dall-e-3\n---\nA cat.")
            let a = try project.load("prompts/a.md")
            #expect(a.diagnostics.map(\.severity) == [.warning])
            #expect(a.diagnostics.first?.message.contains("2026-12-01") == true)
            #expect(a.request != nil)
            let b = try project.load("prompts/b.md")
            #expect(b.diagnostics.first?.message.contains("OpenAI-compatible servers") == true)
        }
    }
}
