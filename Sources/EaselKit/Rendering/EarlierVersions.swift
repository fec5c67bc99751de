/// The cache entries each prompt file was first made for: a page shows those it no longer uses as
/// its earlier versions (SPEC §4: an entry a prompt used before it was edited stays).
struct EarlierVersions: Sendable {
    private let byFile: [String: [CacheEntry]]

    /// Reads every entry of `cache` once.
    init(cache: CacheStore) throws {
        var byFile: [String: [CacheEntry]] = [:]
        for entry in try cache.allEntries() { byFile[entry.record.promptFile, default: []].append(entry) }
        self.byFile = byFile.mapValues { entries in
            entries.sorted { ($0.record.created, $0.record.key) > ($1.record.created, $1.record.key) }
        }
    }

    /// The entries first made for `file`, newest first, without the one it uses now.
    func entries(of file: String, except current: CacheKey?) -> [CacheEntry] {
        (byFile[file] ?? []).filter { $0.record.key != current }
    }
}
