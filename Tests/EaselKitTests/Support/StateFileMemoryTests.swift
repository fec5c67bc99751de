import Foundation
import Testing

@testable import EaselKit

/// What `easel serve` keeps of the state files it wrote: used only while the file is the one written, in the
/// same format and context.
struct StateFileMemoryTests {
    @Test func aKeptValueIsUsedOnlyWhileTheFileIsTheOneWritten() async throws {
        StateFileMemory.enable()
        try await TemporaryProject.with { project in
            let opened = try project.open()
            let url = opened.stateFolder.appendingPathComponent("memory-test")
            let line = try #require("\"kept\"".data(using: .utf8))
            StateRecordFile.write([line], format: "f 1", context: "c", to: url, in: opened, value: "kept")
            #expect(StateRecordFile.recall(String.self, at: url, format: "f 1", context: "c") == "kept")
            #expect(StateRecordFile.recall(String.self, at: url, format: "f 1", context: "other") == nil)
            #expect(StateRecordFile.recall(String.self, at: url, format: "f 2", context: "c") == nil)
            #expect(StateRecordFile.recall(Int.self, at: url, format: "f 1", context: "c") == nil)

            // The same bytes written again by someone else: another file, read as usual.
            let bytes = try Data(contentsOf: url)
            try bytes.write(to: url)
            #expect(StateRecordFile.recall(String.self, at: url, format: "f 1", context: "c") == nil)

            StateRecordFile.write([line], format: "f 1", context: "c", to: url, in: opened, value: "again")
            #expect(StateRecordFile.recall(String.self, at: url, format: "f 1", context: "c") == "again")
            try FileManager.default.removeItem(at: url)
            #expect(StateRecordFile.recall(String.self, at: url, format: "f 1", context: "c") == nil)
        }
    }

    /// A state file read (not written) by this process is kept too, as it was when read: a memo that
    /// does not change is never written again, and was decoded on every rebuild.
    @Test func aValueReadIsKeptWhileTheFileIsTheOneRead() async throws {
        StateFileMemory.enable()
        try await TemporaryProject.with { project in
            let opened = try project.open()
            let url = opened.stateFolder.appendingPathComponent("read-test")
            try FileManager.default.createDirectory(at: opened.stateFolder, withIntermediateDirectories: true)
            try Data("{\"format\":\"f 1\",\"context\":\"c\"}\n\"on disk\"\n".utf8).write(to: url)
            #expect(StateRecordFile.recall(String.self, at: url, format: "f 1", context: "c") == nil)
            var decoded = 0
            let decode = { (lines: [Data]) -> String? in
                decoded += 1
                return lines.first.flatMap { try? JSONDecoder().decode(String.self, from: $0) }
            }
            #expect(StateRecordFile.value(at: url, format: "f 1", context: "c", decode: decode) == "on disk")
            #expect(StateRecordFile.value(at: url, format: "f 1", context: "c", decode: decode) == "on disk")
            #expect(decoded == 1, "the second read comes from memory")
            try Data("{\"format\":\"f 1\",\"context\":\"c\"}\n\"changed\"\n".utf8).write(to: url)
            #expect(StateRecordFile.value(at: url, format: "f 1", context: "c", decode: decode) == "changed")
            #expect(decoded == 2)
        }
    }

    /// A parse record taken from memory is the one the file holds: a prompt edited by hand between two
    /// builds is read again, the others are recorded.
    @Test func aParseRecordFromMemoryFollowsTheFiles() async throws {
        StateFileMemory.enable()
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# A\n\nA cat.")
            try project.write("prompts/b.md", "# B\n\nA dog.")
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            let opened = try project.open()
            let location = ParseRecord.location(in: opened)
            let kept = try #require(
                StateRecordFile.recall(
                    ParseRecord.self,
                    at: location,
                    format: ParseRecord.format,
                    context: ParseRecord.context(of: opened)
                )
            )
            #expect(Set(kept.entries.keys) == ["prompts/a.md", "prompts/b.md"])

            try project.write("prompts/a.md", "# A, edited\n\nA cat.")
            let plan = try Builder(project: opened, source: RecordingSource()).plan(BuildOptions())
            #expect(plan.parsed.map(\.recorded) == [false, true])
            #expect(plan.outcomes.first?.prompt.title == "A, edited")
        }
    }
}
