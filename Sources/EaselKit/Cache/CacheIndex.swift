import Foundation

/// Every entry of the cache, read once per build (records decoded on every core): what a prompt's
/// key finds, and the entries each prompt file was first made for (its earlier versions).
struct CacheIndex: Sendable {
    private let byKey: [String: Result<CacheEntry, CacheError>]
    private let byFile: [String: [CacheEntry]]

    /// What the entries were read as, for the next build's ``CacheMemo``, and whether any was
    /// read in full (or is gone) rather than taken from the memo.
    private(set) var memoEntries: [CacheMemo.Entry] = []
    private(set) var memoIsStale = false

    /// Reads `store`. A record that cannot be read or trusted is kept as an error for its key.
    /// With `memo`, an entry none of whose files changed since it was remembered is taken from it.
    /// With `looks`, the memo's files are checked against what the build saw of `cache/` (a
    /// store of the project's own `cache/` folder only).
    init(store: CacheStore, memo: CacheMemo? = nil, looks: FolderLooks.Files? = nil) {
        let read = store.keys().concurrentMap { key -> (String, Result<CacheEntry, CacheError>?, Bool) in
            if let remembered = memo?.entry(for: key, in: store, looks: looks) {
                return (key.hex, .success(remembered), true)
            }
            do {
                return (key.hex, try store.entry(for: key).map { .success($0) }, false)
            } catch let error as CacheError {
                return (key.hex, .failure(error), false)
            } catch {
                let damaged = CacheError.damaged(store.displayPath(for: key), reason: String(describing: error))
                return (key.hex, .failure(damaged), false)
            }
        }
        if let memo {
            var entries: [CacheMemo.Entry] = []
            entries.reserveCapacity(read.count)
            var stale = false
            for case let (_, .success(entry)?, remembered) in read {
                if remembered, let kept = memo.entries[entry.record.key.hex] {
                    entries.append(kept)
                } else if let new = CacheMemo.remember(entry) {
                    entries.append(new)
                    stale = true
                }
            }
            memoEntries = entries
            memoIsStale = stale || entries.count != memo.entries.count
        }
        var byKey: [String: Result<CacheEntry, CacheError>] = [:]
        var byFile: [String: [CacheEntry]] = [:]
        byKey.reserveCapacity(read.count)
        for case let (name, result?, _) in read {
            byKey[name] = result
            if case .success(let entry) = result { byFile[entry.record.promptFile, default: []].append(entry) }
        }
        self.byKey = byKey
        self.byFile = byFile.mapValues { entries in
            entries.sorted { ($0.record.created, $0.record.key) > ($1.record.created, $1.record.key) }
        }
    }

    /// Every whole, readable entry, by key.
    var entries: [CacheEntry] {
        byKey.sorted { $0.key < $1.key }.compactMap { try? $0.value.get() }
    }

    /// Every entry that exists but cannot be used, by key, with why.
    var damaged: [(key: CacheKey, error: CacheError)] {
        byKey.sorted { $0.key < $1.key }.compactMap { name, result in
            guard case .failure(let error) = result else { return nil }
            return (CacheKey(hex: name), error)
        }
    }

    /// The entry of `key`, or nil when the cache has none.
    /// - Throws: ``CacheError`` when its record cannot be read.
    func entry(for key: CacheKey) throws -> CacheEntry? {
        try byKey[key.hex]?.get()
    }

    /// The entries first made for `file`, newest first, without `current`.
    func entries(firstMadeFor file: String, except current: CacheKey?) -> [CacheEntry] {
        (byFile[file] ?? []).filter { $0.record.key != current }
    }
}
