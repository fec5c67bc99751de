import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes into the output folder: only what changed, atomically, and removes what a previous build
/// wrote that this one did not.
///
/// The files a build writes are listed in `.easel-manifest`; a file Easel did not write is never removed.
struct SiteWriter {
    static let manifestName = ".easel-manifest"

    let folder: URL
    /// The folder's path, ending in "/".
    let base: String
    /// Paths (inside the folder) written or kept by this build.
    private(set) var written: Set<String> = []

    init(folder: URL) {
        self.folder = folder
        base = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
    }

    func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

    /// The output folder alone, to write into from another thread.
    struct Folder: Sendable {
        let url: URL
        func url(_ path: String) -> URL { url.appendingPathComponent(path) }
    }

    var destination: Folder { Folder(url: folder) }

    /// Whether a regular file is at `path` (never a link: there are none once ``removeLinksAndLeftovers()`` ran).
    func exists(_ path: String) -> Bool { FileKind.of(base + path) == .regularFile }

    /// Removes every symbolic link in the folder before anything is written into it.
    func removeLinksAndLeftovers() {
        OutputFolder.removeLinksAndLeftovers(in: folder)
    }

    /// Records `path` as part of the site without touching it (a file made elsewhere, e.g. a placeholder).
    mutating func keep(_ path: String) {
        written.insert(path)
    }

    /// Writes `data` at `path` unless the file already holds it.
    mutating func write(_ data: Data, to path: String) throws {
        written.insert(path)
        try AtomicFile.writeIfChanged(data, to: url(path), durable: false)
    }

    /// Writes `parts`, one after another, at `path` unless the file already holds them: a data
    /// file of 10,000 prompts is never put together in memory, nor read whole to compare.
    /// - Parameter comparing: false writes without reading the file first, for a caller that knows
    ///   its content changed.
    mutating func write(parts: [Data], to path: String, comparing: Bool = true) throws {
        written.insert(path)
        if comparing {
            try AtomicFile.writeIfChanged(parts: parts, to: url(path), durable: false)
        } else {
            try AtomicFile.write(parts: parts, to: url(path), durable: false)
        }
    }

    /// Puts a copy of `source` at `path`: a hard link when the file system allows, else a copy.
    ///
    /// Destination names carry the content's hash, so an existing file of the same size is the same file.
    mutating func publish(_ source: URL, to path: String) throws {
        written.insert(path)
        let destination = url(path)
        let sourceSize = try FileManager.default.attributesOfItem(atPath: source.path)[.size] as? Int
        if let existing = try? FileManager.default.attributesOfItem(atPath: destination.path),
            existing[.size] as? Int == sourceSize
        {
            return
        }
        try place(source, at: destination)
    }

    /// Puts `source` at `path` byte for byte, trusting no file already there: kept only when it
    /// is `source` itself (a hard link) or holds the same bytes. For signed originals, whose
    /// published bytes must be the API's (SPEC §7), whatever a cloned `site/` brought along.
    mutating func publishUnaltered(_ source: URL, to path: String) throws {
        written.insert(path)
        let destination = url(path)
        if let original = FileIdentity.of(source.path), let existing = FileIdentity.of(destination.path) {
            if existing.device == original.device && existing.inode == original.inode { return }
            if existing.size == original.size,
                let old = try? Data(contentsOf: destination), let new = try? Data(contentsOf: source), old == new
            {
                return
            }
        }
        try place(source, at: destination)
    }

    /// Links (or copies) `source` to a staged name beside `destination`, then renames it into place.
    private func place(_ source: URL, at destination: URL) throws {
        try FileManager.default.createDirectory(
            at: destination.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        let staged = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        if link(source.path, staged.path) != 0 {
            try AtomicFile.writeAndSync(try Data(contentsOf: source), to: staged.path, sync: false)
        }
        guard rename(staged.path, destination.path) == 0 else {
            let error = FileError.posix(destination.path, "rename")
            unlink(staged.path)
            throw error
        }
    }

    /// Adds what was written to the manifest, which lists `listed`, removing nothing: a patch
    /// (``SiteRenderer/patch(_:with:pagesWritten:)``) writes a few files, and the build after it
    /// decides what goes. The new paths go at the end (the next build writes it sorted): sorting
    /// 50,000 paths again was a sixth of a patch.
    func finishAdding(to listed: inout Set<String>) throws {
        let new = written.filter { !listed.contains($0) }.sorted()
        guard !new.isEmpty else { return }
        var data = manifest()
        if let last = data.last, last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        data.append(Data((new.joined(separator: "\n") + "\n").utf8))
        try AtomicFile.write(data, to: url(Self.manifestName), durable: false)
        listed.formUnion(new)
    }

    /// ``finishAdding(to:)`` the manifest the folder has.
    func finishAdding() throws {
        var listed = Set(listed())
        try finishAdding(to: &listed)
    }

    /// The manifest the folder has; empty when it has none.
    private func manifest() -> Data {
        (try? BoundedRead.data(at: url(Self.manifestName).path, limit: Limits.stateFileBytes).get()) ?? Data()
    }

    /// The paths the manifest in the folder lists.
    private func listed() -> [String] {
        manifest().lines().map { String(decoding: $0, as: UTF8.self) }
    }

    /// A manifest listing `paths`.
    private static func listing(_ paths: Set<String>) -> Data {
        Data((paths.sorted().joined(separator: "\n") + "\n").utf8)
    }

    /// Removes files listed by the previous build's manifest that this build did not write, then
    /// writes the new manifest.
    ///
    /// The manifest comes from the output folder, which may come from a cloned repository: only
    /// plain paths inside the folder are taken from it, and they are deleted without following a
    /// link (``OutputFolder/removeFile(_:in:)``).
    mutating func finish() throws {
        for path in listed() where !written.contains(path) {
            OutputFolder.removeFile(path, in: folder)
        }
        try AtomicFile.writeIfChanged(Self.listing(written), to: url(Self.manifestName), durable: false)
    }
}
