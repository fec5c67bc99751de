import Foundation
import Testing

@testable import EaselKit

struct CacheStoreTests {
    /// A small real PNG; `seed` makes it differ from the others.
    static func png(_ seed: String = "0") -> Data {
        try! PlaceholderRenderer.renderSync(prompt: "cached", width: 32, height: 24, key: seed)
    }

    private func record(_ key: CacheKey, images: Int = 1) -> CacheRecord {
        record(key, of: (1...images).map { Self.png("\($0)") })
    }

    private func record(_ key: CacheKey, of images: [Data]) -> CacheRecord {
        let request = ImageRequest(endpoint: .generations, model: "gpt-image-2", prompt: "A cat.")
        return CacheRecord(
            version: 1,
            key: key,
            request: CacheRecord.Request(request),
            created: Date(timeIntervalSince1970: 1_764_000_000),
            latencyMS: 6_200,
            totalMS: 7_000,
            attempts: 2,
            requestID: "req_1",
            usage: nil,
            costUSD: 0.19,
            model: "gpt-image-2",
            size: "1024x1024",
            quality: "high",
            background: nil,
            format: "png",
            images: images.enumerated().map { offset, data in
                CacheRecord.Image(
                    file: "\(offset + 1).png",
                    sha256: CacheKey.sha256(data),
                    bytes: data.count,
                    width: 32,
                    height: 24
                )
            },
            promptFile: "prompts/cat.md",
            storedAt: Date(timeIntervalSince1970: 1_764_000_100)
        )
    }

    private let key = CacheKey(ImageRequest(endpoint: .generations, model: "gpt-image-2", prompt: "A cat."))

    @Test func storesAndReadsBackAnEntry() async throws {
        try await TemporaryProject.with { project in
            let store = CacheStore(folder: project.root.appendingPathComponent("cache"))
            #expect(try store.entry(for: key) == nil)
            let images = [Self.png("1"), Self.png("2")]
            try store.store(images: images, record: record(key, of: images))
            let entry = try #require(try store.entry(for: key))
            #expect(entry.record == record(key, of: images))
            #expect(try entry.imageURLs.map { try Data(contentsOf: $0) } == images)
            #expect(entry.folder.path.hasSuffix("cache/\(key.hex.prefix(2))/\(key.hex)"))
        }
    }

    @Test func leavesNoStagingBehindAndIgnoresItInGit() async throws {
        try await TemporaryProject.with { project in
            let store = CacheStore(folder: project.root.appendingPathComponent("cache"))
            try store.store(images: [Self.png("1")], record: record(key))
            let staging = project.root.appendingPathComponent("cache/.tmp")
            #expect(try FileManager.default.contentsOfDirectory(atPath: staging.path).isEmpty)
            #expect(try project.read("cache/.gitignore").contains(".tmp/"))
        }
    }

    @Test func anInterruptedWriteIsInvisibleAndCleanedUp() async throws {
        try await TemporaryProject.with { project in
            let store = CacheStore(folder: project.root.appendingPathComponent("cache"))
            // What a build killed mid-write leaves: a staging folder with some images and no record.
            try project.write("cache/.tmp/\(key.hex).interrupted/1.png", "partial")
            #expect(try store.entry(for: key) == nil)
            store.removeStaleStaging()
            #expect(!project.exists("cache/.tmp"))
        }
    }

    @Test func theRecordIsWrittenLastSoAFolderWithoutOneIsNoEntry() async throws {
        try await TemporaryProject.with { project in
            let store = CacheStore(folder: project.root.appendingPathComponent("cache"))
            try project.write("cache/\(key.hex.prefix(2))/\(key.hex)/1.png", "orphan image")
            #expect(try store.entry(for: key) == nil)
        }
    }

    @Test func aDamagedRecordIsAnErrorNotASilentRegeneration() async throws {
        try await TemporaryProject.with { project in
            let store = CacheStore(folder: project.root.appendingPathComponent("cache"))
            try project.write("cache/\(key.hex.prefix(2))/\(key.hex)/entry.json", "{ not json")
            #expect(throws: CacheError.self) { try store.entry(for: key) }
        }
    }

    @Test func twoWritersOfTheSameKeyLeaveOneEntry() async throws {
        try await TemporaryProject.with { project in
            let store = CacheStore(folder: project.root.appendingPathComponent("cache"))
            try await withThrowingTaskGroup(of: CacheEntry.self) { group in
                for _ in 0..<8 {
                    group.addTask { try store.store(images: [Self.png("1")], record: self.record(self.key)) }
                }
                for try await entry in group { #expect(entry.record.key == key) }
            }
            let folder = project.root.appendingPathComponent("cache/\(key.hex.prefix(2))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [key.hex])
            #expect(
                try FileManager.default.contentsOfDirectory(
                    atPath: project.root.appendingPathComponent("cache/.tmp").path
                ).isEmpty
            )
        }
    }

    @Test func theRecordHoldsNoSecretAndReadsAsJSON() async throws {
        try await TemporaryProject.with { project in
            let store = CacheStore(folder: project.root.appendingPathComponent("cache"))
            try store.store(images: [Self.png("1")], record: record(key))
            let json = try project.read("cache/\(key.hex.prefix(2))/\(key.hex)/entry.json")
            for field in [
                "\"latency_ms\" : 6200", "\"total_ms\" : 7000", "\"attempts\" : 2", "\"request_id\" : \"req_1\"",
                "\"prompt_file\" : \"prompts/cat.md\"", "\"created\" : \"2025-11-24T16:00:00Z\"",
            ] {
                #expect(json.contains(field), "\(field)")
            }
            #expect(!json.lowercased().contains("authorization") && !json.contains("sk-"))
        }
    }

    @Test func storedImagesAreReadOnlyBecauseTheSiteHardLinksThem() async throws {
        try await TemporaryProject.with { project in
            let store = CacheStore(folder: project.root.appendingPathComponent("cache"))
            let entry = try store.store(images: [Self.png("1")], record: record(key))
            let image = try #require(entry.imageURLs.first)
            let permissions = try FileManager.default.attributesOfItem(atPath: image.path)[.posixPermissions] as? Int
            #expect(permissions == 0o444)
        }
    }
}
