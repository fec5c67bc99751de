import Testing

@testable import EaselKit

struct ConfigLoaderTests {
    @Test func readsEverySetting() {
        let (config, diagnostics) = ConfigLoader.parse(
            """
            title: My gallery
            description: Prompts and what came of them
            base_url: https://example.com/gallery
            concurrency: 8
            max_cost: 2.5
            defaults:
              model: gpt-image-2.5-flare
              quality: low
              tags: [mine]
            """
        )
        #expect(diagnostics.isEmpty)
        #expect(config.title == "My gallery")
        #expect(config.baseURL == "https://example.com/gallery/")
        #expect(config.concurrency == 8)
        #expect(config.maxCost == 2.5)
        #expect(config.defaults.model?.value == "gpt-image-2.5-flare")
        #expect(config.defaults.quality?.location == SourceLocation(path: "easel.yml", line: 8, column: 12))
    }

    @Test(arguments: [
        ("titel: x", 1, 1, "did you mean 'title'?"),
        ("concurrency: many", 1, 14, "whole number"),
        ("concurrency: 0", 1, 14, "from 1 to 64"),
        ("max_cost: -1", 1, 11, "at least 0"),
        ("base_url: example.com", 1, 11, "http(s) address"),
        ("defaults:\n  sise: auto", 2, 3, "did you mean 'size'?"),
        ("models:\n  mine:\n    like: gpt-image-9", 3, 11, "unknown model"),
        ("models:\n  mine:\n    max_n: 40", 3, 12, "from 1 to 10"),
        ("title: [unclosed", 2, 1, "invalid YAML"),
        ("title: " + String(repeating: "T", count: 201), 1, 8, "'title' is 201 characters; it is shown on every page"),
        ("description: " + String(repeating: "D", count: 1_001), 1, 14, "at most 1000"),
    ])
    func reportsProblemsWithTheirPosition(text: String, line: Int, column: Int, fragment: String) {
        let (_, diagnostics) = ConfigLoader.parse(text)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.location == SourceLocation(path: "easel.yml", line: line, column: column))
        #expect(diagnostics.first?.message.contains(fragment) == true, "\(diagnostics)")
    }

    @Test func aTitleAndDescriptionUpToTheirLimitsAreTaken() {
        let title = String(repeating: "é", count: Limits.siteTitleCharacters)
        let description = String(repeating: "d", count: Limits.siteDescriptionCharacters)
        let (config, diagnostics) = ConfigLoader.parse("title: \(title)\ndescription: \(description)\n")
        #expect(diagnostics.isEmpty)
        #expect(config.title == title && config.description == description)
    }

    @Test func modelsAddRowsToTheTable() async throws {
        try await TemporaryProject.with { project in
            try project.write(
                "easel.yml",
                """
                models:
                  local-sdxl:
                    like: dall-e-2
                    sizes: [512x512, 768x768]
                    max_n: 4
                    prices: {per_image: {768x768: 0.002}}
                """
            )
            try project.write("prompts/ok.md", "---\nmodel: local-sdxl\nsize: 768x768\nn: 4\n---\nA cat.")
            try project.write("prompts/bad.md", "---\nmodel: local-sdxl\nsize: 1024x1024\n---\nA cat.")
            #expect(try project.load("prompts/ok.md").diagnostics.isEmpty)
            let bad = try project.load("prompts/bad.md")
            #expect(bad.diagnostics.first?.message.contains("local-sdxl does not take size 1024x1024") == true)
            let model = try #require(try project.open().catalog["local-sdxl"])
            #expect(model.dialect == .legacy && model.status == .active)
        }
    }

    @Test func defaultsApplyAndThePromptWins() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "defaults:\n  size: 1536x1024\n  quality: low\n  tags: [house]\n")
            try project.write("prompts/a.md", "---\nquality: high\n---\nA cat.")
            let prompt = try project.load("prompts/a.md")
            #expect(prompt.request?.size == "1536x1024")
            #expect(prompt.request?.quality == "high")
            #expect(prompt.tags == ["house"])
        }
    }

    @Test func aDefaultTheModelRejectsIsReportedInEaselYml() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "defaults:\n  size: 1000x1000\n")
            try project.write("prompts/a.md", "A cat.")
            let prompt = try project.load("prompts/a.md")
            #expect(prompt.diagnostics.first?.location == SourceLocation(path: "easel.yml", line: 2, column: 9))
        }
    }
}
