import Foundation
import Testing

@testable import EaselKit

struct BuilderTests {
    private func build(
        _ project: TemporaryProject,
        source: (any ImageSource)?,
        _ configure: (inout BuildOptions) -> Void = { _ in }
    ) async throws -> BuildReport {
        var options = BuildOptions()
        configure(&options)
        return try await Builder(project: try project.open(), source: source).build(options)
    }

    @Test func generatesWhatIsMissingThenServesItFromTheCache() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "---\nsize: 1024x1024\n---\n# Cat\n\nA cat.")
            let source = RecordingSource()
            let first = try await build(project, source: source)
            #expect((first.generated, first.cached, first.failed) == (1, 0, 0))
            #expect(source.received.map(\.prompt) == ["A cat."])

            let second = try await build(project, source: source)
            #expect((second.generated, second.cached) == (0, 1))
            #expect(source.received.count == 1, "a cached prompt must never reach the API again")
        }
    }

    @Test func theCacheEntryHoldsTheMetadataRecord() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "---\nsize: 1024x1024\nquality: high\n---\nA cat.")
            _ = try await build(project, source: RecordingSource())
            let prompt = try project.load("prompts/cat.md")
            let request = try #require(prompt.request)
            let entry = try #require(try project.open().cache.entry(for: CacheKey(request)))
            let record = entry.record
            #expect(record.promptFile == "prompts/cat.md")
            #expect(record.latencyMS == 6_200)
            #expect(record.requestID == "req_123")
            #expect(record.request.prompt == "A cat.")
            #expect(record.request.size == "1024x1024")
            #expect(record.images.map(\.file) == ["1.png"])
            #expect(record.images.first?.width == 256)
            // 50 text tokens at $5/1M + 4,160 image tokens at $30/1M.
            #expect(abs((record.costUSD ?? 0) - 0.12505) < 1e-9)
        }
    }

    @Test func twoFilesWithTheSameRequestShareOneGeneration() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "---\ntitle: One\ntags: [x]\n---\nA cat.")
            try project.write("prompts/album/b.md", "---\ntitle: Two\n---\nA cat.")
            let source = RecordingSource()
            let report = try await build(project, source: source)
            #expect(report.generated == 2)
            #expect(source.received.count == 1)
        }
    }

    @Test func offlineMakesPlaceholdersAndCachesNothing() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            let source = RecordingSource()
            let report = try await build(project, source: source) { $0.offline = true }
            #expect(report.placeholders == 1)
            #expect(source.received.isEmpty)
            #expect(!project.exists("cache"), "a placeholder is never written to the cache")
            let images = try FileManager.default.contentsOfDirectory(
                atPath: project.root.appendingPathComponent("site/images").path
            )
            #expect(images.count == 1 && images[0].hasPrefix("placeholder-"))
        }
    }

    @Test func aFailedGenerationFailsThatPromptOnly() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            try project.write("prompts/broken.md", "---\nn: 99\n---\nA dog.")
            let report = try await build(project, source: RecordingSource(failingWith: "moderation_blocked: rejected"))
            #expect(report.failed == 2)
            #expect(report.exitStatus == 1)
            #expect(report.prompts.first { $0.file == "prompts/cat.md" }?.failure == "moderation_blocked: rejected")
            #expect(try project.read("site/prompts/cat.html").contains("moderation_blocked: rejected"))
        }
    }

    @Test func badPromptsDoNotStopGoodOnes() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/good.md", "A cat.")
            try project.write("prompts/bad-yaml.md", "---\nsize: [\n---\nA dog.")
            try project.write("prompts/binary.md", data: Data([0, 1, 2, 3]))
            let source = RecordingSource()
            let report = try await build(project, source: source)
            #expect((report.generated, report.failed) == (1, 2))
            let index = try project.read("site/index.html")
            for title in ["good", "bad-yaml", "binary"] { #expect(index.contains(">\(title)<"), "\(title)") }
        }
    }

    @Test func onlyGeneratesTheSelectedPrompts() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/space/a.md", "A planet.")
            try project.write("prompts/b.md", "A cat.")
            let source = RecordingSource()
            let report = try await build(project, source: source) { $0.only = ["space/*"] }
            #expect(source.received.map(\.prompt) == ["A planet."])
            #expect((report.generated, report.skipped) == (1, 1))
        }
    }

    @Test func draftsAreSkippedAndLeftOutOfTheSite() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/draft.md", "---\ndraft: true\n---\nNot yet.")
            let source = RecordingSource()
            let report = try await build(project, source: source)
            #expect(report.drafts == 1 && source.received.isEmpty)
            #expect(!project.exists("site/prompts/draft.html"))
        }
    }

    @Test func aDryRunWritesNothing() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            let source = RecordingSource()
            let report = try await build(project, source: source) { $0.dryRun = true }
            #expect(report.placeholders == 1 && report.dryRun)
            #expect(source.received.isEmpty)
            #expect(!project.exists("site") && !project.exists("cache"))
        }
    }

    @Test func aVariationWithAGPTModelIsAnEditAskingForAVariation() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/photo.png")
            try project.write("prompts/v.md", "---\nvariation_of: inputs/photo.png\n---\n")
            let source = RecordingSource()
            _ = try await build(project, source: source)
            let request = try #require(source.received.first)
            #expect(request.endpoint == .edits)
            #expect(request.prompt == PromptValidator.variationInstruction)
            #expect(request.images.map(\.path) == ["inputs/photo.png"])
        }
    }

    @Test func aVariationWithDallE2UsesTheVariationsEndpointWithoutAPrompt() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/photo.png")
            try project.write("prompts/v.md", "---\nmodel: dall-e-2\nvariation_of: inputs/photo.png\n---\n")
            let source = RecordingSource()
            _ = try await build(project, source: source)
            let request = try #require(source.received.first)
            #expect(request.endpoint == .variations)
            #expect(request.prompt.isEmpty)
            #expect(request.dialect == .legacy)
        }
    }

    @Test func aModelTheServerDoesNotServeStopsOnlyThatModel() async throws {
        try await TemporaryProject.with { project in
            for index in 1...3 {
                try project.write("prompts/old-\(index).md", "---\nmodel: gpt-image-1.5\n---\nCat \(index).")
            }
            try project.write("prompts/new.md", "A dog.")
            let gone = APIError(
                kind: .status(404),
                code: "model_not_found",
                message: "no such model",
                model: "gpt-image-1.5"
            )
            let source = RecordingSource(errors: ["gpt-image-1.5": gone])
            let report = try await build(project, source: source) { $0.concurrency = 1 }
            #expect(source.received.filter { $0.model == "gpt-image-1.5" }.count == 1)
            #expect((report.generated, report.failed) == (1, 3))
            #expect(report.prompts.filter { $0.failure?.hasPrefix("not sent: ") == true }.count == 2)
            #expect(report.stopped == nil)
        }
    }

    @Test func aRunEndingFailureStopsEveryFurtherRequest() async throws {
        try await TemporaryProject.with { project in
            for index in 1...4 { try project.write("prompts/p\(index).md", "Cat \(index).") }
            let broke = APIError(
                kind: .status(429),
                type: "insufficient_quota",
                code: "insufficient_quota",
                message: "quota"
            )
            let source = RecordingSource(errors: ["gpt-image-2": broke])
            let report = try await build(project, source: source) { $0.concurrency = 1 }
            #expect(source.received.count == 1)
            #expect(report.failed == 4 && report.exitStatus == 1)
            #expect(report.stopped?.contains("insufficient_quota") == true)
        }
    }
}
