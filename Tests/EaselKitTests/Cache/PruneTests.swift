import Foundation
import Testing

@testable import EaselKit

struct PruneTests {
    @Test func listsOnlyEntriesNoPromptUsesAndRemovesThemWhole() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            try project.write("prompts/b.md", "A dog.")
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            try project.write("prompts/b.md", "A dog, edited.")  // the old dog is now unused
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())

            let pruner = Pruner(project: try project.open())
            let unused = try pruner.unused()
            #expect(unused.map(\.promptFile) == ["prompts/b.md"])
            #expect(unused.first?.images == 1 && (unused.first?.bytes ?? 0) > 0)
            #expect(try project.open().cache.allEntries().count == 3, "listing removes nothing")

            try pruner.remove(unused)
            #expect(try pruner.unused().isEmpty)
            #expect(try project.open().cache.allEntries().count == 2)
        }
    }

    @Test func refusesWhileAPromptIsInvalid() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "---\nn: 0\n---\nA cat.")
            #expect(throws: PruneError.self) { _ = try Pruner(project: try project.open()).unused() }
        }
    }
}
