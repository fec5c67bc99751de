import Foundation

/// What the last build found in each cache entry (`.easel/cache-index`), so that a build need
/// not open and decode 10,000 records one by one (1.2 s): the entries are still listed and
/// looked at on every build, and an entry is taken from here only when its folders are folders
/// and its record and every image have the same device, inode, size and modification time as
/// when it was read in full. Anything else, or a memo made by another Easel or for another
/// folder, reads the entry as ``CacheStore/entry(for:)`` does. Local state: safe to delete,
/// never committed, never trusted over the entries.
///
/// Entries are kept in a few JSON arrays, one per line, decoded on every core: one decoder call
/// per record costs more than the record.
struct CacheMemo: Sendable {
    struct Entry: Codable, Sendable {
        var key: String
        var record: FileIdentity
        var images: [FileIdentity]
        var digest: String
        var value: CacheRecord
    }

    private struct Header: Codable {
        var format: String
        var context: String
    }

    static let format = "easel-cache-index 1"
    let context: String
    private(set) var entries: [String: Entry]

    static func location(in project: Project) -> URL {
        project.stateFolder.appendingPathComponent("cache-index")
    }

    static func context(of project: Project) -> String {
        var digest = InputDigest()
        digest.add("easel \(EaselVersion.current)")
        digest.add(SiteRenderer.executableIdentity)
        digest.add(project.cache.folder.path)
        return digest.finalize()
    }

    /// The memo of `project`; empty when there is none, it cannot be read, or it is another's.
    static func load(for project: Project) -> CacheMemo {
        let context = context(of: project)
        let empty = CacheMemo(context: context, entries: [:])
        guard let data = try? BoundedRead.data(at: location(in: project).path, limit: Limits.parseRecordBytes).get()
        else { return empty }
        let lines = data.lines()
        guard let first = lines.first,
            let header = try? JSONDecoder().decode(Header.self, from: Data(first)),
            header.format == format, header.context == context
        else { return empty }
        let chunks = Array(lines.dropFirst()).concurrentMap { line -> [Entry]? in
            try? CacheEntry.decoder.decode([Entry].self, from: Data(line))
        }
        var entries: [String: Entry] = [:]
        for chunk in chunks {
            guard let chunk else { return empty }
            for entry in chunk { entries[entry.key] = entry }
        }
        return CacheMemo(context: context, entries: entries)
    }

    /// The entry of `key` in `store` as remembered, when nothing of it changed since.
    func entry(for key: CacheKey, in store: CacheStore) -> CacheEntry? {
        guard let remembered = entries[key.hex] else { return nil }
        let folder = store.entryFolder(for: key)
        guard FileKind.of(folder.deletingLastPathComponent().path) == .directory,
            FileKind.of(folder.path) == .directory,
            FileIdentity.of(folder.appendingPathComponent(CacheEntry.recordName).path) == remembered.record,
            remembered.value.images.count == remembered.images.count
        else { return nil }
        for (image, identity) in zip(remembered.value.images, remembered.images) {
            guard FileIdentity.of(folder.appendingPathComponent(image.file).path) == identity else { return nil }
        }
        return CacheEntry(folder: folder, record: remembered.value, recordDigest: remembered.digest)
    }

    /// The memo entry for `entry`, read in full just now; nil when a file cannot be looked at.
    static func remember(_ entry: CacheEntry) -> Entry? {
        guard let record = FileIdentity.of(entry.folder.appendingPathComponent(CacheEntry.recordName).path)
        else { return nil }
        var images: [FileIdentity] = []
        for url in entry.imageURLs {
            guard let identity = FileIdentity.of(url.path) else { return nil }
            images.append(identity)
        }
        return Entry(
            key: entry.record.key.hex,
            record: record,
            images: images,
            digest: entry.recordDigest,
            value: entry.record
        )
    }

    /// Writes `entries` as the memo (atomically; a failure only costs reading the entries again).
    static func save(_ entries: [Entry], context: String, in project: Project) {
        guard var data = try? JSONEncoder().encode(Header(format: format, context: context)) else { return }
        let sorted = entries.sorted { $0.key < $1.key }
        let size = max(1, (sorted.count + 15) / 16)
        let chunks = stride(from: 0, to: sorted.count, by: size).map {
            Array(sorted[$0..<min(sorted.count, $0 + size)])
        }
        let encoded = chunks.concurrentMap { chunk -> Data? in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return try? encoder.encode(chunk)
        }
        for chunk in encoded {
            guard let chunk else { return }
            data.append(UInt8(ascii: "\n"))
            data.append(chunk)
        }
        data.append(UInt8(ascii: "\n"))
        try? FileManager.default.createDirectory(at: project.stateFolder, withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: location(in: project), durable: false)
    }
}
