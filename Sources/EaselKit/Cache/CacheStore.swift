public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The project's `cache/` folder: every image the API returned, kept by request key.
///
/// Layout: `cache/<first two hex digits>/<key>/` holding `entry.json` and the images `1.png`, `2.png`…
/// An entry is assembled in `cache/.tmp/` and moved into place with one `rename(2)`, so a reader
/// sees a whole entry or none, and an interrupted build leaves nothing half-written behind.
public struct CacheStore: Sendable {
    /// The cache folder, usually `<project>/cache`.
    public let folder: URL

    /// Creates a store over `folder`; nothing is read or created until it is used.
    public init(folder: URL) {
        self.folder = folder
    }

    /// The folder of `key`'s entry, whether or not it exists.
    public func entryFolder(for key: CacheKey) -> URL {
        folder.appendingPathComponent(String(key.hex.prefix(2)), isDirectory: true)
            .appendingPathComponent(key.hex, isDirectory: true)
    }

    /// The entry stored for `key`, or nil when there is none.
    /// - Throws: ``CacheError`` when an entry exists but cannot be read.
    public func entry(for key: CacheKey) throws -> CacheEntry? {
        let recordURL = entryFolder(for: key).appendingPathComponent(CacheEntry.recordName)
        let data: Data
        do {
            data = try Data(contentsOf: recordURL)
        } catch {
            if FileManager.default.fileExists(atPath: recordURL.path) {
                throw CacheError.unreadable(recordURL.path, reason: FileSystem.reason(of: error))
            }
            return nil
        }
        do {
            let record = try CacheEntry.decoder.decode(CacheRecord.self, from: data)
            return CacheEntry(folder: entryFolder(for: key), record: record)
        } catch {
            throw CacheError.unreadable(recordURL.path, reason: String(describing: error))
        }
    }

    /// Stores `images` and their `record` as the entry of `record.key`, atomically.
    ///
    /// When another build stored the same key first, its entry is kept and returned.
    /// - Throws: ``FileError`` when the cache folder cannot be written.
    @discardableResult
    public func store(images: [Data], record: CacheRecord) throws -> CacheEntry {
        let key = record.key
        let staging = folder.appendingPathComponent(".tmp", isDirectory: true)
            .appendingPathComponent("\(key.hex).\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try ensureIgnoreFile()
        do {
            for (file, data) in zip(record.images.map(\.file), images) {
                // Read-only: the site hard-links these files, and a tool that edited a site image in
                // place would otherwise change an image that was paid for.
                try AtomicFile.writeAndSync(data, to: staging.appendingPathComponent(file).path, mode: 0o444)
            }
            // The record goes last: a folder with entry.json is always complete.
            let recordData = try CacheEntry.encoder.encode(record)
            try AtomicFile.writeAndSync(recordData, to: staging.appendingPathComponent(CacheEntry.recordName).path)

            let final = entryFolder(for: key)
            try FileManager.default.createDirectory(
                at: final.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            if rename(staging.path, final.path) != 0 {
                let code = errno
                guard code == EEXIST || code == ENOTEMPTY, let existing = try entry(for: key) else {
                    throw FileError.posix(final.path, "rename", errno: code)
                }
                try? FileManager.default.removeItem(at: staging)
                return existing
            }
            return CacheEntry(folder: final, record: record)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Removes what interrupted builds left in `cache/.tmp`.
    public func removeStaleStaging() {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(".tmp", isDirectory: true))
    }

    /// Keeps `cache/.tmp` out of git: the cache is committed, its staging area is not.
    private func ensureIgnoreFile() throws {
        let ignore = folder.appendingPathComponent(".gitignore")
        guard !FileManager.default.fileExists(atPath: ignore.path) else { return }
        try AtomicFile.write(Data("# Easel's staging area for entries being written\n.tmp/\n".utf8), to: ignore)
    }
}

/// One generation in the cache: its folder and metadata.
public struct CacheEntry: Sendable, Hashable {
    static let recordName = "entry.json"

    public var folder: URL
    public var record: CacheRecord

    /// The image files, in the API's order.
    public var imageURLs: [URL] { record.images.map { folder.appendingPathComponent($0.file) } }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
