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
///
/// A cache arrives with a cloned repository, so an entry is checked each time it is read: real
/// folders and files (never a symbolic link), a record that names only its own images, and images
/// of the size the record gives that start like the format it names.
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

    /// Where an image client streams answers (`cache/.tmp/incoming`): on the cache's file system,
    /// so that keeping an image is a rename, and cleared with the rest of the staging area.
    public var spoolFolder: URL {
        folder.appendingPathComponent(".tmp", isDirectory: true).appendingPathComponent("incoming", isDirectory: true)
    }

    /// `cache/3f/3fa9…`: how messages name an entry.
    func displayPath(for key: CacheKey) -> String {
        "\(folder.lastPathComponent)/\(key.hex.prefix(2))/\(key.hex)"
    }

    /// The entry stored for `key`, or nil when there is none.
    /// - Throws: ``CacheError`` when an entry exists but cannot be read or trusted.
    public func entry(for key: CacheKey) throws -> CacheEntry? {
        let name = displayPath(for: key)
        guard CacheKey.isValidHex(key.hex) else { throw CacheError.damaged(name, reason: "not a cache key") }
        let entryURL = entryFolder(for: key)
        for url in [entryURL.deletingLastPathComponent(), entryURL] {
            switch FileKind.of(url.path) {
            case .missing: return nil
            case .directory: continue
            case .symbolicLink:
                throw CacheError.damaged(
                    name,
                    reason: "\(url.lastPathComponent) is a symbolic link, which Easel never makes"
                )
            case .regularFile, .other:
                throw CacheError.damaged(name, reason: "\(url.lastPathComponent) is not a folder")
            }
        }
        let data: Data
        switch BoundedRead.data(
            at: entryURL.appendingPathComponent(CacheEntry.recordName).path,
            limit: Limits.cacheRecordBytes
        ) {
        case .success(let read): data = read
        // A folder without its record is an interrupted write, or images left behind: no entry.
        case .failure(.missing): return nil
        case .failure(let problem): throw CacheError.damaged(name, reason: "\(CacheEntry.recordName) \(problem.reason)")
        }
        let record: CacheRecord
        do {
            record = try CacheEntry.decoder.decode(CacheRecord.self, from: data)
        } catch {
            throw CacheError.damaged(name, reason: "\(CacheEntry.recordName) does not decode: \(Self.oneLine(error))")
        }
        if let problem = record.problem(inFolder: key.hex) { throw CacheError.damaged(name, reason: problem) }
        let entry = CacheEntry(folder: entryURL, record: record, recordDigest: CacheKey.sha256(data))
        try checkImages(of: entry, name: name)
        return entry
    }

    /// Checks that each image of `entry` is a regular file of the recorded size in the recorded format.
    ///
    /// A few system calls an image, no decoding: enough to catch a Git LFS pointer, a truncated file
    /// or a file swapped for another, on every build.
    private func checkImages(of entry: CacheEntry, name: String) throws {
        for (image, url) in zip(entry.record.images, entry.imageURLs) {
            let size: Int
            let head: [UInt8]
            switch BoundedRead.head(at: url.path, count: 64) {
            case .success(let found): (size, head) = found
            case .failure(.missing): throw CacheError.damaged(name, reason: "\(image.file) is missing")
            case .failure(.link), .failure(.notRegularFile):
                throw CacheError.damaged(name, reason: "\(image.file) is not a regular file")
            case .failure(let problem): throw CacheError.damaged(name, reason: "\(image.file) \(problem.reason)")
            }
            let format = ImageFormat(sniffing: head)
            if format == nil, ImageCheck.isGitLFSPointer(head) { throw CacheError.lfsPointer(name, file: image.file) }
            guard size == image.bytes else {
                throw CacheError.damaged(
                    name,
                    reason:
                        "\(image.file) is \(size) bytes, the record says \(image.bytes): it was cut short or changed"
                )
            }
            guard format?.rawValue == entry.record.format else {
                throw CacheError.damaged(
                    name,
                    reason: "\(image.file) is not a \(entry.record.format) image: it is"
                        + " \(ImageCheck.describe(nonImage: head))"
                )
            }
        }
    }

    /// Stores `images` and their `record` as the entry of `record.key`, atomically.
    ///
    /// Streamed images are moved in, not copied. When another build stored the same key first, its
    /// entry is kept and returned.
    /// - Throws: ``FileError`` when the cache folder cannot be written; ``CacheError`` when an
    ///   image does not start like the record's format (nothing is stored).
    @discardableResult
    public func store(images: [ReceivedImage], record: CacheRecord) throws -> CacheEntry {
        let key = record.key
        for (image, file) in zip(images, record.images)
        where ImageFormat(sniffing: image.head(ImageFormat.signatureLength))?.rawValue != record.format {
            throw CacheError.damaged(
                displayPath(for: key),
                reason: "not stored: \(file.file) is not a \(record.format)"
            )
        }
        let staging = folder.appendingPathComponent(".tmp", isDirectory: true)
            .appendingPathComponent("\(key.hex).\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try ensureIgnoreFile()
        do {
            for (file, image) in zip(record.images.map(\.file), images) {
                // Read-only: the site hard-links these files, and a tool that edited a site image in
                // place would otherwise change an image that was paid for.
                let destination = staging.appendingPathComponent(file).path
                switch image.storage {
                case .bytes(let data): try AtomicFile.writeAndSync(data, to: destination, mode: 0o444)
                case .file(let url): try Self.move(url, to: destination)
                }
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
            return CacheEntry(folder: final, record: record, recordDigest: CacheKey.sha256(recordData))
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Stores images held in memory: ``store(images:record:)`` for `Data`.
    @discardableResult
    public func store(images: [Data], record: CacheRecord) throws -> CacheEntry {
        try store(images: images.map(ReceivedImage.data), record: record)
    }

    /// Moves a streamed file into an entry being assembled, read-only and flushed to disk.
    private static func move(_ source: URL, to destination: String) throws {
        guard chmod(source.path, 0o444) == 0 else { throw FileError.posix(source.path, "chmod") }
        let fd = open(source.path, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
        if rename(source.path, destination) == 0 { return }
        guard errno == EXDEV else { throw FileError.posix(destination, "rename") }
        // Another file system (a spool folder elsewhere): copy, then drop the original.
        try AtomicFile.writeAndSync(try Data(contentsOf: source), to: destination, mode: 0o444)
        try? FileManager.default.removeItem(at: source)
    }

    /// Removes what interrupted builds left in `cache/.tmp`.
    public func removeStaleStaging() {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(".tmp", isDirectory: true))
    }

    /// Keeps `cache/.tmp` out of git: the cache is committed, its staging area is not.
    private func ensureIgnoreFile() throws {
        let ignore = folder.appendingPathComponent(".gitignore")
        guard !BoundedRead.exists(ignore.path) else { return }
        try AtomicFile.write(Data("# Easel's staging area for entries being written\n.tmp/\n".utf8), to: ignore)
    }

    private static func oneLine(_ error: any Error) -> String {
        let text = String(describing: error)
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }
}

/// One generation in the cache: its folder and metadata.
public struct CacheEntry: Sendable, Hashable {
    static let recordName = "entry.json"

    /// The fields, behind one reference: a record is some 600 bytes inline, and a build copies
    /// each of 10,000 entries into its index, outcomes and items (tens of MB at its peak).
    private final class Storage: Sendable {
        let folder: URL
        let record: CacheRecord
        let recordDigest: String

        init(folder: URL, record: CacheRecord, recordDigest: String) {
            self.folder = folder
            self.record = record
            self.recordDigest = recordDigest
        }
    }

    private var storage: Storage

    public var folder: URL {
        get { storage.folder }
        set { storage = Storage(folder: newValue, record: record, recordDigest: recordDigest) }
    }

    public var record: CacheRecord {
        get { storage.record }
        set { storage = Storage(folder: folder, record: newValue, recordDigest: recordDigest) }
    }

    /// SHA-256 of the record's bytes as stored: a page shows much of the record, and any change
    /// to it must render that page again (see ``SiteRenderer/itemDigest(_:)``).
    var recordDigest: String {
        get { storage.recordDigest }
        set { storage = Storage(folder: folder, record: record, recordDigest: newValue) }
    }

    init(folder: URL, record: CacheRecord, recordDigest: String = "") {
        storage = Storage(folder: folder, record: record, recordDigest: recordDigest)
    }

    public static func == (lhs: CacheEntry, rhs: CacheEntry) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.folder == rhs.folder && lhs.record == rhs.record && lhs.recordDigest == rhs.recordDigest)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(folder)
        hasher.combine(record)
        hasher.combine(recordDigest)
    }

    /// The image files, in the API's order.
    public var imageURLs: [URL] { record.images.map { folder.appendingPathComponent($0.file) } }

    /// The image files' paths, in the API's order: ``imageURLs`` without making a URL of each
    /// (URLs were most of publishing 10,000 prompts).
    var imagePaths: [String] {
        let base = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        return record.images.map { base + $0.file }
    }

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
