import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CacheStore {
    /// The key of every entry folder in the cache, sorted: `cache/<2 hex>/<64 hex>` names only.
    func keys() -> [CacheKey] {
        let manager = FileManager.default
        var keys: [CacheKey] = []
        for shard in ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        where shard.count == 2 && shard.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) {
            let shardPath = folder.appendingPathComponent(shard).path
            // A shard that is a link is listed through: the entries in it then say they are damaged.
            for name in ((try? manager.contentsOfDirectory(atPath: shardPath)) ?? []).sorted()
            where name.hasPrefix(shard) && CacheKey.isValidHex(name) {
                keys.append(CacheKey(hex: name))
            }
        }
        return keys
    }

    /// Every whole, readable entry of the cache.
    public func allEntries() -> [CacheEntry] {
        CacheIndex(store: self).entries
    }

    /// Every entry that exists but cannot be used, with why.
    public func damagedEntries() -> [(key: CacheKey, error: CacheError)] {
        CacheIndex(store: self).damaged
    }

    /// Removes an entry at once: it is renamed into the staging area (atomic), then deleted.
    public func remove(_ entry: CacheEntry) throws {
        try removeEntryFolder(of: entry.record.key)
    }

    /// Removes the folder of `key`, whole, damaged or a link: renamed into the staging area, then
    /// deleted. A link is removed itself; what it points at is never touched.
    public func removeEntryFolder(of key: CacheKey) throws {
        guard CacheKey.isValidHex(key.hex) else { return }
        let staging = folder.appendingPathComponent(".tmp", isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let doomed = staging.appendingPathComponent("\(key.hex).pruned.\(UUID().uuidString)")
        let source = entryFolder(for: key)
        guard rename(source.path, doomed.path) == 0 else { throw FileError.posix(source.path, "rename") }
        if FileKind.of(doomed.path) == .symbolicLink {
            unlink(doomed.path)
        } else {
            try FileManager.default.removeItem(at: doomed)
        }
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
