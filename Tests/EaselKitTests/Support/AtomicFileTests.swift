import Foundation
import Testing

@testable import EaselKit

struct AtomicFileTests {
    @Test func replacesContentAndLeavesNoTemporaryFile() async throws {
        try await TemporaryProject.with { project in
            let url = project.root.appendingPathComponent("deep/folder/file.txt")
            try AtomicFile.write(Data("one".utf8), to: url)
            try AtomicFile.write(Data("two".utf8), to: url)
            #expect(try String(contentsOf: url, encoding: .utf8) == "two")
            let names = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            #expect(names == ["file.txt"])
        }
    }

    @Test func writeIfChangedLeavesAnIdenticalFileAlone() async throws {
        try await TemporaryProject.with { project in
            let url = project.root.appendingPathComponent("page.html")
            #expect(try AtomicFile.writeIfChanged(Data("same".utf8), to: url))
            let before = try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int
            #expect(try !AtomicFile.writeIfChanged(Data("same".utf8), to: url))
            let after = try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int
            #expect(before == after, "an unchanged file must not be replaced")
            #expect(try AtomicFile.writeIfChanged(Data("changed".utf8), to: url))
            #expect(try String(contentsOf: url, encoding: .utf8) == "changed")
        }
    }

    @Test func aWriteThatCannotHappenThrowsAndChangesNothing() async throws {
        try await TemporaryProject.with { project in
            let blocker = try project.write("blocker", "a file where a folder should be")
            let url = blocker.appendingPathComponent("file.txt")
            #expect(throws: (any Error).self) { try AtomicFile.write(Data("lost".utf8), to: url) }
            #expect(try project.read("blocker") == "a file where a folder should be")
        }
    }
}
