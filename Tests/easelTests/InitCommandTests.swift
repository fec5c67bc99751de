import ArgumentParser
import Foundation
import Testing

@testable import easel

struct InitCommandTests {
    @Test func parsesTheFolder() throws {
        #expect(try Easel.Init.parse(["dir"]).directory == "dir")
        #expect(try Easel.Init.parse([]).directory == ".")
    }

    @Test func initIsASubcommand() throws {
        #expect(try Easel.parseAsRoot(["init", "gallery"]) is Easel.Init)
    }

    @Test func aFirstRunSucceedsAndASecondIsABadInvocation() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("easel-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.appendingPathComponent("gallery").path
        #expect(await status(Easel.Init.self, [root]) == 0)
        #expect(FileManager.default.fileExists(atPath: root + "/easel.yml"))
        #expect(FileManager.default.fileExists(atPath: root + "/.github/workflows/publish.yml"))
        let before = try Data(contentsOf: URL(fileURLWithPath: root + "/prompts/first.md"))
        #expect(await status(Easel.Init.self, [root]) == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/prompts/first.md")) == before)
        #expect(await status(Easel.Check.self, [root]) == 0)
    }
}
