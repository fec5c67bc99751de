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

    /// The unused entries, oldest first.
    /// - Throws: ``PruneError`` when a prompt is invalid (its entries could not be told apart from
    ///   unused ones), ``CacheError`` for a damaged entry.
    public func unused() throws -> [Unused] {
        let loader = PromptLoader(project: project)
        let prompts = try project.promptPaths().map(loader.load)
        let invalid = prompts.filter { !$0.isValid }.map(\.path)
        guard invalid.isEmpty else { throw PruneError(invalidPrompts: invalid) }
        let used = Set(prompts.compactMap { $0.request.map { CacheKey($0).hex } })
        let cache = project.cache
        return try cache.allEntries().filter { !used.contains($0.record.key.hex) }
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
