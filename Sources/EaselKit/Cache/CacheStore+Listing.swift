import Foundation

extension CacheStore {
    /// Every whole entry of the cache (folders holding an entry.json), by key.
    /// - Throws: ``CacheError`` for an entry whose record cannot be read.
    public func allEntries() throws -> [CacheEntry] {
        let manager = FileManager.default
        guard let shards = try? manager.contentsOfDirectory(atPath: folder.path) else { return [] }
        var entries: [CacheEntry] = []
        for shard in shards.sorted() where shard.count == 2 && !shard.hasPrefix(".") {
            let shardURL = folder.appendingPathComponent(shard, isDirectory: true)
            for name in (try? manager.contentsOfDirectory(atPath: shardURL.path))?.sorted() ?? []
            where name.hasPrefix(shard) {
                if let entry = try entry(for: CacheKey(hex: name)) { entries.append(entry) }
            }
        }
        return entries
    }

    /// Removes an entry at once: it is renamed into the staging area (atomic), then deleted.
    public func remove(_ entry: CacheEntry) throws {
        let staging = folder.appendingPathComponent(".tmp", isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let doomed = staging.appendingPathComponent("\(entry.record.key.hex).pruned.\(UUID().uuidString)")
        guard rename(entry.folder.path, doomed.path) == 0 else { throw FileError.posix(entry.folder.path, "rename") }
        try FileManager.default.removeItem(at: doomed)
    }

    /// The bytes the entry's files take.
    public func size(of entry: CacheEntry) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: entry.folder.path)) ?? []
        return names.reduce(0) { total, name in
            let path = entry.folder.appendingPathComponent(name).path
            return total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }
}
