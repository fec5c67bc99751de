import Foundation
import Testing

@testable import EaselKit

/// The cache memo: an entry is taken from `.easel/cache-index` only while none of its files
/// changed, and it is then exactly what reading the entry gives.
struct CacheMemoTests {
    private func build(_ project: TemporaryProject) async throws -> BuildReport {
        try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
    }

    @Test func anUnchangedEntryComesFromTheMemoAsReadingItWouldGiveIt() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            try project.write("prompts/b.md", "A dog.")
            #expect(try await build(project).generated == 2)
            #expect(try await build(project).cached == 2, "the second build writes the memo")
            let opened = try project.open()
            let memo = CacheMemo.load(for: opened)
            #expect(memo.entries.count == 2)
            let read = CacheIndex(store: opened.cache)
            let remembered = CacheIndex(store: opened.cache, memo: memo)
            #expect(!remembered.memoIsStale)
            #expect(read.entries.map(\.record) == remembered.entries.map(\.record))
            #expect(read.entries.map(\.recordDigest) == remembered.entries.map(\.recordDigest))
            #expect(read.entries.allSatisfy { !$0.recordDigest.isEmpty })
        }
    }

    @Test func aRecordOrImageChangedSinceIsReadAgain() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            _ = try await build(project)
            _ = try await build(project)
            let opened = try project.open()
            let entry = try #require(opened.cache.allEntries().first)
            let record = entry.folder.appendingPathComponent(CacheEntry.recordName)
            // Checked against what a build saw of cache/ as well as by looking at the files.
            let seen = try #require(SettledBuild.folders(of: opened)).files()
            #expect(CacheMemo.load(for: opened).entry(for: entry.record.key, in: opened.cache, looks: seen) != nil)

            // The record edited by hand: its new latency is on the page.
            let text = try String(contentsOf: record, encoding: .utf8)
            #expect(text.contains("\"latency_ms\" : 6200"))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: record.path)
            try Data(text.replacingOccurrences(of: "\"latency_ms\" : 6200", with: "\"latency_ms\" : 7300").utf8)
                .write(to: record)
            #expect(CacheMemo.load(for: opened).entry(for: entry.record.key, in: opened.cache) == nil)
            let looks = try #require(SettledBuild.folders(of: opened)).files()
            #expect(CacheMemo.load(for: opened).entry(for: entry.record.key, in: opened.cache, looks: looks) == nil)
            _ = try await build(project)
            #expect(try project.read("site/prompts/a.html").contains("7.3 s"))

            // An image replaced by a link: never taken from the memo, and damaged.
            _ = try await build(project)
            let image = try #require(entry.imageURLs.first)
            try FileManager.default.removeItem(at: image)
            try FileManager.default.createSymbolicLink(
                at: image,
                withDestinationURL: project.root.appendingPathComponent("prompts/a.md")
            )
            let report = try await build(project)
            #expect(report.failed == 1)
        }
    }

    /// File identities in `.easel/cache-index` and `.easel/parsed` are `[device, inode, size,
    /// modified]` arrays, and a clone brings them: a number too big, negative, of the wrong type,
    /// too few or too many fields leave that state unused, and the build reads the files instead.
    @Test(arguments: [
        ("too big", "[18446744073709551616,"), ("negative", "[-1,"), ("a string", "[\"1\","),
        ("three fields", "["), ("empty", "[]"),
    ])
    func aHostileFileIdentityIsNotUsed(kind: String, replacement: String) async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            _ = try await build(project)
            _ = try await build(project)
            let opened = try project.open()
            #expect(CacheMemo.load(for: opened).entries.count == 1, "\(kind): the memo is there to spoil")
            for file in ["cache-index", "parsed"] {
                let url = opened.stateFolder.appendingPathComponent(file)
                let text = try String(contentsOf: url, encoding: .utf8)
                // Every identity's first field (device), as JSON prints it: `[` and digits.
                let spoiled: String
                if kind == "three fields" {
                    spoiled = text.replacingOccurrences(
                        of: #"\[([0-9]+),([0-9]+),([0-9]+),([0-9]+)\]"#,
                        with: "[$1,$2,$3]",
                        options: .regularExpression
                    )
                } else if kind == "empty" {
                    spoiled = text.replacingOccurrences(
                        of: #"\[[0-9]+,[0-9]+,[0-9]+,[0-9]+\]"#,
                        with: "[]",
                        options: .regularExpression
                    )
                } else {
                    spoiled = text.replacingOccurrences(
                        of: #"\[[0-9]+,(?=[0-9]+,[0-9]+,[0-9]+\])"#,
                        with: replacement,
                        options: .regularExpression
                    )
                }
                #expect(spoiled != text, "\(kind): \(file) holds file identities")
                try spoiled.write(to: url, atomically: true, encoding: .utf8)
            }
            #expect(CacheMemo.load(for: opened).entries.isEmpty, "\(kind)")
            try project.write("prompts/a.md", "# Edited\n\nA cat.")
            let report = try await build(project)
            #expect(report.cached == 1 && report.failed == 0, "\(kind)")
            #expect(try project.read("site/prompts/a.html").contains("Edited"), "\(kind)")
        }
    }

    @Test func aMemoEntryThatNamesAFileOutsideItsFolderIsNotUsed() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            _ = try await build(project)
            _ = try await build(project)
            let opened = try project.open()
            let key = try #require(opened.cache.allEntries().first?.record.key)
            #expect(CacheMemo.load(for: opened).entry(for: key, in: opened.cache) != nil)
            let text = try project.read(".easel/cache-index")
            // `../<key>/1.png` is the very file, so its identity matches: only the record's own check refuses it.
            let hostile = text.replacingOccurrences(
                of: "\"file\":\"1.png\"",
                with: "\"file\":\"..\\/\(key.hex)\\/1.png\""
            )
            #expect(hostile != text)
            try project.write(".easel/cache-index", hostile)
            #expect(CacheMemo.load(for: opened).entry(for: key, in: opened.cache) == nil)
        }
    }
}
