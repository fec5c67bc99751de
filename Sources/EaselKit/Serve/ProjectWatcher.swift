import Foundation

/// Notices edits to the files a site is built from — prompts/, templates/, inputs/, easel.yml and
/// .env — by comparing their sizes and modification times (polling works on every file system,
/// containers and network mounts included).
struct ProjectWatcher: Sendable {
    /// A file's size and modification time.
    struct Stamp: Equatable, Sendable {
        var size: Int
        var modified: Date
    }

    let root: URL
    static let watched = ["prompts", "templates", "inputs", SiteConfig.fileName, ".env"]

    /// Every watched file now, by path inside the project (hidden files skipped, links not followed:
    /// a cloned `inputs -> /` must not have the server walk the whole disk five times a second).
    func snapshot() -> [String: Stamp] {
        var stamps: [String: Stamp] = [:]
        for name in Self.watched {
            let url = root.appendingPathComponent(name)
            let files: [String]
            switch FileKind.of(url.path) {
            case .directory:
                files = DirectoryWalk.entries(in: url).filter { $0.kind == .regularFile }.map { name + "/" + $0.path }
            case .regularFile:
                files = [name]
            default:
                files = []
            }
            for path in files {
                let keys: Set<URLResourceKey> = [.fileSizeKey, .contentModificationDateKey]
                guard let values = try? root.appendingPathComponent(path).resourceValues(forKeys: keys) else {
                    continue
                }
                stamps[path] = Stamp(
                    size: values.fileSize ?? 0,
                    modified: values.contentModificationDate ?? .distantPast
                )
            }
        }
        return stamps
    }

    /// Waits for the next change after `previous`, then for the files to stop changing for
    /// `quiet` (an editor saving several files, a `git checkout`), and returns the new snapshot
    /// and the paths that changed.
    func nextChange(
        after previous: [String: Stamp],
        every interval: Duration = .milliseconds(200),
        quiet: Duration = .milliseconds(150)
    ) async throws -> (snapshot: [String: Stamp], changed: [String]) {
        var current = previous
        while current == previous {
            try await Task.sleep(for: interval)
            current = snapshot()
        }
        while true {
            try await Task.sleep(for: quiet)
            let settled = snapshot()
            if settled == current { break }
            current = settled
        }
        let paths = Set(previous.keys).union(current.keys).filter { previous[$0] != current[$0] }
        return (current, paths.sorted())
    }
}
