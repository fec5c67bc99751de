import ArgumentParser
import Foundation
import Testing

@testable import easel

/// SPEC §5: 0 all prompts built, 1 some prompt failed or is invalid, 2 bad invocation or configuration.
struct ExitStatusTests {
    private func withProject(_ files: [String: String], _ body: (String) async throws -> Void) async throws {
        try await withTemporaryProject(files) { try await body($0.path) }
    }

    @Test func allGoodIsZero() async throws {
        try await withProject(["prompts/a.md": "A cat."]) { root in
            #expect(await status(Easel.Check.self, [root]) == 0)
            #expect(await status(Easel.Build.self, [root, "--offline"]) == 0)
            #expect(FileManager.default.fileExists(atPath: root + "/site/index.html"))
        }
    }

    @Test func anInvalidPromptIsOneAndTheSiteIsStillWritten() async throws {
        try await withProject(["prompts/a.md": "A cat.", "prompts/b.md": "---\nn: 0\n---\nA dog."]) { root in
            #expect(await status(Easel.Check.self, [root]) == 1)
            #expect(await status(Easel.Build.self, [root, "--offline"]) == 1)
            #expect(FileManager.default.fileExists(atPath: root + "/site/prompts/a.html"))
            #expect(FileManager.default.fileExists(atPath: root + "/site/prompts/b.html"))
        }
    }

    @Test func aBrokenEaselYmlIsTwoAndNothingIsBuilt() async throws {
        try await withProject(["easel.yml": "titel: x\n", "prompts/a.md": "A cat."]) { root in
            #expect(await status(Easel.Check.self, [root]) == 2)
            #expect(await status(Easel.Build.self, [root, "--offline"]) == 2)
            #expect(!FileManager.default.fileExists(atPath: root + "/site"))
        }
    }

    @Test func aFolderWithoutPromptsIsTwo() async throws {
        try await withProject([:]) { root in
            try FileManager.default.removeItem(atPath: root + "/prompts")
            #expect(await status(Easel.Build.self, [root]) == 2)
        }
    }

    @Test func anInvalidPromptOutsideOnlyDoesNotFailTheBuild() async throws {
        try await withProject(["prompts/a.md": "A cat.", "prompts/b.md": "---\nn: 0\n---\nA dog."]) { root in
            #expect(await status(Easel.Build.self, [root, "--offline", "--only", "a"]) == 0)
        }
    }

    @Test func outWritesTheSiteElsewhereAndDryRunWritesNothing() async throws {
        try await withProject(["prompts/a.md": "A cat."]) { root in
            #expect(await status(Easel.Build.self, [root, "--dry-run"]) == 0)
            #expect(!FileManager.default.fileExists(atPath: root + "/site"))
            #expect(await status(Easel.Build.self, [root, "--offline", "--out", root + "/public"]) == 0)
            #expect(FileManager.default.fileExists(atPath: root + "/public/prompts/a.html"))
            #expect(!FileManager.default.fileExists(atPath: root + "/site"))
        }
    }
}
