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

    /// The memo keeps records as arrays (``CacheRecord/Compact``): every field comes back as it
    /// went, nil or not, times to the bit; a list with a field too many or too few is no record.
    @Test func aRecordComesBackFromItsCompactFormAsItWent() throws {
        var full = CacheRecord.Request(
            ImageRequest(endpoint: .edits, model: "gpt-image-2", prompt: "A \"cat\" <on> a mat, \u{1F408}.")
        )
        (full.size, full.quality, full.background, full.format) = ("1024x1536", "high", "transparent", "webp")
        (full.compression, full.moderation, full.seed, full.inputFidelity) = (80, "low", "42", "high")
        full.images = [.init(path: "inputs/a.png", sha256: "aa"), .init(path: "inputs/b b.png", sha256: "bb")]
        full.mask = .init(path: "inputs/mask.png", sha256: "cc")
        full.maskRect = PixelRect(x: 1, y: 2, width: 3, height: 4)
        full.maskEllipse = PixelEllipse(centerX: 5, centerY: 6, radiusX: 7, radiusY: 8)
        let images = [
            CacheRecord.Image(file: "1.webp", sha256: "dd", bytes: 10, width: 1024, height: 1536),
            CacheRecord.Image(file: "2.webp", sha256: "ee", bytes: 11, width: nil, height: nil),
        ]
        let records = [
            CacheRecord(
                version: 1,
                key: CacheKey(ImageRequest(endpoint: .edits, model: "gpt-image-2", prompt: "A cat.")),
                request: full,
                created: Date(timeIntervalSinceReferenceDate: 786_000_000.123_456_7),
                latencyMS: 6_200,
                totalMS: 7_000,
                attempts: 2,
                requestID: "req_1",
                usage: Usage(inputTokens: 10, inputTextTokens: 4, inputImageTokens: 6, outputTokens: 20),
                costUSD: 0.1234,
                model: "gpt-image-2",
                size: "1024x1536",
                quality: "high",
                background: "transparent",
                format: "webp",
                images: images,
                promptFile: "prompts/a.md",
                storedAt: Date(timeIntervalSinceReferenceDate: 786_000_001.987_654_3),
                revisedPrompt: "A cat, revised.",
                batch: CacheRecord.Batch(
                    id: "batch_1",
                    customID: "k",
                    submittedAt: Date(timeIntervalSinceReferenceDate: 786_000_000.25),
                    completedAt: Date(timeIntervalSinceReferenceDate: 786_011_520.5)
                )
            ),
            CacheRecord(
                version: 1,
                key: CacheKey(ImageRequest(endpoint: .generations, model: "dall-e-2", prompt: "")),
                request: CacheRecord.Request(ImageRequest(endpoint: .generations, model: "dall-e-2", prompt: "")),
                created: Date(timeIntervalSinceReferenceDate: 0),
                latencyMS: 0,
                totalMS: 0,
                attempts: 1,
                requestID: nil,
                usage: nil,
                costUSD: nil,
                model: "dall-e-2",
                size: nil,
                quality: nil,
                background: nil,
                format: "png",
                images: [],
                promptFile: "prompts/b.md",
                storedAt: Date(timeIntervalSinceReferenceDate: -1.5),
                revisedPrompt: nil
            ),
        ]
        for record in records {
            let data = try JSONEncoder().encode(CacheRecord.Compact(record))
            #expect(data.first == UInt8(ascii: "["))
            let back = try JSONDecoder().decode(CacheRecord.Compact.self, from: data).record
            #expect(back == record)
            #expect(back.created.timeIntervalSinceReferenceDate == record.created.timeIntervalSinceReferenceDate)
            // One field too many, or the last one missing.
            let text = String(decoding: data, as: UTF8.self)
            for spoiled in [String(text.dropLast()) + ",null]", String(text[..<text.lastIndex(of: ",")!]) + "]"] {
                #expect(throws: DecodingError.self) {
                    try JSONDecoder().decode(CacheRecord.Compact.self, from: Data(spoiled.utf8))
                }
            }
        }
    }

    /// The memo's records are arrays a clone may bring, or a disk may spoil: a field of the wrong
    /// type, a number no Int holds, one out of the record's bounds, a list nested without end, a
    /// line cut short. Each leaves the entry (or the memo) unused and the build reads the entry.
    @Test(arguments: [
        ("a string for a number", #",\[1,""#, #",["1","#),
        ("a number too big", #",\[1,""#, #",[1e400,"#),
        ("negative bytes", #"(\[\"1\.png\",\"[0-9a-f]+\",)[0-9]+"#, "$1-5"),
        ("a version to come", #",\[1,""#, #",[2,""#),
    ])
    func aHostileCompactRecordIsNotUsed(kind: String, pattern: String, replacement: String) async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            _ = try await build(project)
            _ = try await build(project)
            let opened = try project.open()
            let key = try #require(opened.cache.allEntries().first?.record.key)
            #expect(CacheMemo.load(for: opened).entry(for: key, in: opened.cache) != nil, "\(kind)")
            let text = try project.read(".easel/cache-index")
            let spoiled = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
            #expect(spoiled != text, "\(kind): the pattern is in the memo")
            try project.write(".easel/cache-index", spoiled)
            #expect(CacheMemo.load(for: opened).entry(for: key, in: opened.cache) == nil, "\(kind)")
            try project.write("prompts/a.md", "# Edited\n\nA cat.")
            let report = try await build(project)
            #expect(report.cached == 1 && report.failed == 0, "\(kind)")
        }
    }

    @Test func aMemoNestedWithoutEndOrCutShortIsNotUsed() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            _ = try await build(project)
            _ = try await build(project)
            let opened = try project.open()
            let lines = try project.read(".easel/cache-index").split(separator: "\n", omittingEmptySubsequences: false)
            for body in [String(repeating: "[", count: 100_000), String(lines[1].prefix(lines[1].count / 2))] {
                try project.write(".easel/cache-index", String(lines[0]) + "\n" + body + "\n")
                #expect(CacheMemo.load(for: opened).entries.isEmpty)
                let report = try await build(project)
                #expect(report.cached == 1 && report.failed == 0)
            }
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
            let hostile = text.replacingOccurrences(of: "[\"1.png\",", with: "[\"../\(key.hex)/1.png\",")
            #expect(hostile != text)
            try project.write(".easel/cache-index", hostile)
            #expect(CacheMemo.load(for: opened).entry(for: key, in: opened.cache) == nil)
        }
    }
}
