/// What a build saw of `prompts/` and `cache/` when it looked at them before reading anything
/// (``SettledBuild/folders(of:)``): the fingerprint, and each regular file's identity and each
/// folder, by path in the project. The parse record and the cache memo check their files against
/// it instead of looking at each again: a second `stat` of 30,000 files, and the URLs made to
/// name them, were a tenth of a one-prompt rebuild at 10,000 prompts.
///
/// Taken before anything is read, like the fingerprint: a file changed after the look is seen by
/// the next build, as with a file changed while it is read.
struct FolderLooks: Sendable {
    /// The fingerprint of the folders (``SettledBuild/folders(of:)``).
    let digest: String
    /// What the walk of each folder found, by path in it.
    let seen: [(folder: String, entries: [(path: String, look: FileLook)])]

    /// ``Files`` of what was seen: made when a build reads the folders, not by one that finds
    /// nothing changed (a table of 30,000 paths was a sixth of a no-op build).
    func files() -> Files {
        var files = Files()
        files.reserve(seen.reduce(0) { $0 + $1.entries.count })
        for (folder, entries) in seen {
            for (path, look) in entries { files.add(folder + "/" + path, look) }
        }
        return files
    }

    /// Regular files and folders, by path in the project ("prompts/space/orbit.md").
    struct Files: Sendable {
        private var identities: [String: FileIdentity] = [:]
        private var folders: Set<String> = []

        mutating func reserve(_ count: Int) {
            identities.reserveCapacity(identities.count + count)
        }

        mutating func add(_ path: String, _ look: FileLook) {
            switch look.kind {
            case .regularFile: identities[path] = FileIdentity(look)
            case .directory: folders.insert(path)
            default: break
            }
        }

        /// The identity of the regular file at `path` as it was seen; nil when none was (missing,
        /// not a regular file, or in a place that was not looked at).
        func identity(of path: String) -> FileIdentity? { identities[path] }

        /// Whether a folder was seen at `path`.
        func isFolder(_ path: String) -> Bool { folders.contains(path) }
    }
}
