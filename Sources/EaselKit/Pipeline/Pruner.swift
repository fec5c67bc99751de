public import Foundation

/// `easel prune`: the cache entries no prompt uses any more.
public struct Pruner: Sendable {
    public let project: Project

    /// Creates a pruner for `project`.
    public init(project: Project) {
        self.project = project
    }

    /// An entry no prompt uses, with what it takes on disk.
    public struct Unused: Sendable, Codable {
        public var key: String
        /// The prompt file it was first made for.
        public var promptFile: String
        public var images: Int
        public var bytes: Int
        public var created: Date

        enum CodingKeys: String, CodingKey {
            case key
            case promptFile = "prompt_file"
            case images, bytes, created
        }
    }

    /// An entry that cannot be used: its record or images are damaged, missing or Git LFS pointers.
    public struct Damaged: Sendable, Codable {
        public var key: String
        /// Why it cannot be used, with what to do about it.
        public var problem: String
    }

    /// The damaged entries, by key. A damaged entry fails only the prompts that use it; removing it
    /// lets the next build generate those prompts again.
    public func damaged() -> [Damaged] {
        Self.damaged(in: CacheIndex(store: project.cache))
    }

    private static func damaged(in index: CacheIndex) -> [Damaged] {
        index.damaged.map { Damaged(key: $0.key.hex, problem: $0.error.description) }
    }

    /// Deletes the folders of the given damaged entries (a link among them is removed, never followed).
    public func remove(_ damaged: [Damaged]) throws {
        for item in damaged { try project.cache.removeEntryFolder(of: CacheKey(hex: item.key)) }
    }

    /// The unused entries, oldest first. Damaged entries are not among them: see ``damaged()``.
    /// - Throws: ``PruneError`` when a prompt is invalid (its entries could not be told apart from
    ///   unused ones).
    public func unused() throws -> [Unused] {
        try review().unused
    }

    /// The unused entries and the damaged ones, from one reading of the cache.
    /// - Throws: ``PruneError`` when a prompt is invalid.
    public func review() throws -> (unused: [Unused], damaged: [Damaged]) {
        let loader = PromptLoader(project: project)
        let prompts = try project.promptPaths().map(loader.load)
        // A comparison with an invalid cell is invalid here: that cell's entry is not known to be unused.
        let invalid = prompts.filter { prompt in
            !prompt.isValid || prompt.compare?.cells.contains { $0.request == nil } == true
        }.map(\.path)
        guard invalid.isEmpty else { throw PruneError(invalidPrompts: invalid) }
        let used = Set(prompts.flatMap { $0.requests.map { CacheKey($0).hex } })
        let cache = project.cache
        let index = CacheIndex(store: cache)
        let unused = index.entries.filter { !used.contains($0.record.key.hex) }
            .map { entry in
                Unused(
                    key: entry.record.key.hex,
                    promptFile: entry.record.promptFile,
                    images: entry.record.images.count,
                    bytes: cache.size(of: entry),
                    created: entry.record.created
                )
            }
            .sorted { $0.created < $1.created }
        return (unused, Self.damaged(in: index))
    }

    /// Deletes the given entries.
    public func remove(_ unused: [Unused]) throws {
        let cache = project.cache
        for item in unused {
            if let entry = try cache.entry(for: CacheKey(hex: item.key)) { try cache.remove(entry) }
        }
    }
}

/// Prune refuses to run while a prompt is invalid.
public struct PruneError: Error, Hashable, Sendable, CustomStringConvertible {
    public var invalidPrompts: [String]

    public var description: String {
        "\(invalidPrompts.count) prompt\(invalidPrompts.count == 1 ? " is" : "s are") invalid"
            + " (\(invalidPrompts.prefix(3).joined(separator: ", "))\(invalidPrompts.count > 3 ? ", …" : "")):"
            + " prune cannot tell which cache entries they use; fix them (easel check) and prune again"
    }
}
