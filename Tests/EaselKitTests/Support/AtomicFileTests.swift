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

    /// Without a flush, a file already there is swapped out (`RENAME_EXCHANGE` on Linux) and
    /// removed: the new file has a new inode, the old name holds the new bytes, nothing is left
    /// beside it; a folder where the file should be is an error, and stays.
    @Test func aReplacementWithoutFlushSwapsAndRemovesTheOldFile() async throws {
        try await TemporaryProject.with { project in
            let url = project.root.appendingPathComponent("site/page.html")
            try AtomicFile.write(Data("old".utf8), to: url, durable: false)
            let first = try #require(FileIdentity.of(url.path))
            try AtomicFile.write(Data("new page".utf8), to: url, durable: false)
            let second = try #require(FileIdentity.of(url.path))
            #expect(second.inode != first.inode)
            #expect(try String(contentsOf: url, encoding: .utf8) == "new page")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == [
                    "page.html"
                ]
            )

            let folder = project.root.appendingPathComponent("site/taken.html")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try project.write("site/taken.html/inside.txt", "kept")
            #expect(throws: FileError.self) { try AtomicFile.write(Data("x".utf8), to: folder, durable: false) }
            #expect(try String(contentsOf: folder.appendingPathComponent("inside.txt"), encoding: .utf8) == "kept")
            #expect(
                Set(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path))
                    == ["page.html", "taken.html"]
            )
        }
    }

    /// A writer may take the old file's removal upon itself (``PageWrites`` removes them on a
    /// queue of their own): it is handed the old bytes under a temporary name, which a build
    /// that finds it later (the writer killed before it removed it) knows as Easel's own.
    @Test func theOldFileIsHandedToTheWriterThatRemovesIt() async throws {
        try await TemporaryProject.with { project in
            let url = project.root.appendingPathComponent("site/page.html")
            try AtomicFile.write(Data("old".utf8), to: url, durable: false)
            var handed: [String] = []
            try AtomicFile.write(parts: [Data("new".utf8)], to: url, durable: false) { handed.append($0) }
            #expect(handed.count == 1)
            let old = try #require(handed.first)
            #expect(try String(contentsOf: URL(fileURLWithPath: old), encoding: .utf8) == "old")
            #expect(try String(contentsOf: url, encoding: .utf8) == "new")
            #expect(AtomicFile.isTemporaryName(URL(fileURLWithPath: old).lastPathComponent))
            // A new file has no old one to hand over.
            try AtomicFile.write(parts: [Data("first".utf8)], to: url.appendingPathExtension("new"), durable: false) {
                handed.append($0)
            }
            #expect(handed.count == 1)
            // A build removes what was left, and nothing else that is hidden.
            try project.write("site/.keep", "mine")
            try project.write("site/deep/.a.webp.\(UUID().uuidString).tmp", "half a thumbnail")
            let inGit = ".git/objects/.pack.123-4-abc.tmp"
            try project.write("site/" + inGit, "not Easel's")
            // A folder of such a name is no leftover; a link of one goes, what it points to stays.
            try project.write("site/.kept.1-2-3.tmp/inside.txt", "a folder")
            try project.write("outside.txt", "outside")
            try FileManager.default.createSymbolicLink(
                atPath: project.root.appendingPathComponent("site/.link.1-2-3.tmp").path,
                withDestinationPath: project.root.appendingPathComponent("outside.txt").path
            )
            OutputFolder.removeLinksAndLeftovers(in: project.root.appendingPathComponent("site"))
            let left = Set(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path))
            #expect(left == ["page.html", "page.html.new", ".keep", "deep", ".git", ".kept.1-2-3.tmp"])
            #expect(try project.read("site/" + inGit) == "not Easel's")
            #expect(try project.read("site/.kept.1-2-3.tmp/inside.txt") == "a folder")
            #expect(try project.read("outside.txt") == "outside")
            #expect(
                try FileManager.default.contentsOfDirectory(
                    atPath: project.root.appendingPathComponent("site/deep").path
                ).isEmpty
            )
        }
    }

    @Test(arguments: [
        (".index.html.123-4-9f3a.tmp", true), (".a.b.webp.1-1-0.tmp", true),
        (".a.webp.0F1B2C3D-0000-4000-8000-00000000ABCD.tmp", true), (".keep", false), ("index.html.1-2-3.tmp", false),
        (".index.html.123-4.tmp", false), (".index.html.12a-4-9f.tmp", false), (".index.html.1-2-xyz.tmp", false),
        (".index.html.--.tmp", false), (".x.0F1B2C3D-0000-4000-8000-00000000ABC.tmp", false), (".tmp", false),
    ])
    func easelsTemporaryNamesAreKnownAndNoOthers(name: String, isTemporary: Bool) {
        #expect(AtomicFile.isTemporaryName(name) == isTemporary)
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

    /// Parts are compared with the file as it is read, a megabyte at a time: a difference just
    /// past the first megabyte, a file longer or shorter than the parts, are all a change.
    @Test func writeIfChangedInPartsComparesAcrossReads() async throws {
        try await TemporaryProject.with { project in
            let url = project.root.appendingPathComponent("gallery.json")
            let big = Data((0..<(3 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let parts = [Data("{".utf8), big, Data(",".utf8), big.prefix(1000), Data("}".utf8)]
            #expect(try AtomicFile.writeIfChanged(parts: parts, to: url))
            #expect(try Data(contentsOf: url) == Data(parts.joined()))
            let inode = { try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int }
            let before = try inode()
            #expect(try !AtomicFile.writeIfChanged(parts: parts, to: url))
            #expect(try inode() == before, "the same bytes in other parts are the same file")
            #expect(try !AtomicFile.writeIfChanged(parts: [Data(parts.joined())], to: url))
            #expect(!AtomicFile.holds(parts.dropLast(), at: url.path), "a shorter set of parts is not the file")
            #expect(!AtomicFile.holds(parts + [Data("x".utf8)], at: url.path))
            var changed = big
            changed[(1 << 20) + 5] ^= 0xFF
            #expect(try AtomicFile.writeIfChanged(parts: [Data("{".utf8), changed] + parts.dropFirst(2), to: url))
            #expect(try Data(contentsOf: url) == Data(([Data("{".utf8), changed] + parts.dropFirst(2)).joined()))
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
