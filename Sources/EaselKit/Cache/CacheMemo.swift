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

    /// 3: entries and records as arrays (``CacheRecord/Compact``).
    static let format = "easel-cache-index 5"
    let context: String
    private(set) var entries: [String: Entry]

    static func location(in project: Project) -> URL {
        project.stateFolder.appendingPathComponent("cache-index")
    }

    static func context(of project: Project) -> String {
        StateRecordFile.context(project.cache.folder.path)
    }

    /// The memo of `project`; empty when there is none, it cannot be read, or it is another's.
    static func load(for project: Project) -> CacheMemo {
        let context = context(of: project)
        let memo = StateRecordFile.value(at: location(in: project), format: format, context: context) { body in
            StateRecordFile.decodedChunks(Entry.self, body, with: JSONDecoder()).map { decoded in
                var entries: [String: Entry] = [:]
                entries.reserveCapacity(decoded.count)
                for entry in decoded { entries[entry.key] = entry }
                return CacheMemo(context: context, entries: entries)
            }
        }
        return memo ?? CacheMemo(context: context, entries: [:])
    }

    /// The entry of `key` in `store` as remembered, when nothing of it changed since.
    /// - Parameter looks: what the build saw of the project's `cache/`, which `store` is: its files
    ///   are not looked at again.
    func entry(for key: CacheKey, in store: CacheStore, looks: FolderLooks.Files? = nil) -> CacheEntry? {
        // Held to what a record read from its folder is held to (no `../` image, the key of its folder).
        guard let remembered = entries[key.hex], remembered.value.problem(inFolder: key.hex) == nil else { return nil }
        // Paths inside cache/: what the build saw of it, or a look now.
        let base = store.folder.path + "/"
        let isFolder = { (path: String) in looks?.isFolder("cache/" + path) ?? (FileKind.of(base + path) == .directory)
        }
        let identity = { (path: String) in
            looks.map { $0.identity(of: "cache/" + path) } ?? FileIdentity.of(base + path)
        }
        let folder = "\(key.hex.prefix(2))/\(key.hex)"
        guard isFolder(String(key.hex.prefix(2))), isFolder(folder),
            identity(folder + "/" + CacheEntry.recordName) == remembered.record,
            remembered.value.images.count == remembered.images.count
        else { return nil }
        for (image, recorded) in zip(remembered.value.images, remembered.images) {
            guard identity(folder + "/" + image.file) == recorded else { return nil }
        }
        return CacheEntry(
            folder: store.entryFolder(for: key),
            record: remembered.value,
            recordDigest: remembered.digest
        )
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

    /// Writes `entries` as the memo, in 16 arrays encoded on every core.
    static func save(_ entries: [Entry], context: String, in project: Project) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let lines = StateRecordFile.encodedInChunks(entries.sorted { $0.key < $1.key }, with: encoder)
        var byKey: [String: Entry] = [:]
        for entry in entries { byKey[entry.key] = entry }
        StateRecordFile.write(
            lines,
            format: format,
            context: context,
            to: location(in: project),
            in: project,
            value: CacheMemo(context: context, entries: byKey)
        )
    }
}

extension CacheMemo.Entry {
    // An array, as the record is (``CacheRecord/Compact``).
    init(from decoder: any Decoder) throws {
        var fields = try decoder.unkeyedContainer()
        key = try fields.decode(String.self)
        record = try fields.decode(FileIdentity.self)
        images = try fields.decode([FileIdentity].self)
        digest = try fields.decode(String.self)
        value = try fields.decode(CacheRecord.Compact.self).record
        try fields.requireEnd(of: "an entry")
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.unkeyedContainer()
        try fields.encode(key)
        try fields.encode(record)
        try fields.encode(images)
        try fields.encode(digest)
        try fields.encode(CacheRecord.Compact(value))
    }
}
