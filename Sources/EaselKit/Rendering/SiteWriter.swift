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
    /// Paths (inside the folder) written or kept by this build.
    private(set) var written: Set<String> = []

    init(folder: URL) {
        self.folder = folder
    }

    func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

    /// The output folder alone, to write into from another thread.
    struct Folder: Sendable {
        let url: URL
        func url(_ path: String) -> URL { url.appendingPathComponent(path) }
    }

    var destination: Folder { Folder(url: folder) }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: url(path).path) }

    /// Records `path` as part of the site without touching it (a file made elsewhere, e.g. a placeholder).
    mutating func keep(_ path: String) {
        written.insert(path)
    }

    /// Writes `data` at `path` unless the file already holds it.
    mutating func write(_ data: Data, to path: String) throws {
        written.insert(path)
        try AtomicFile.writeIfChanged(data, to: url(path), durable: false)
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

    /// Removes files listed by the previous build's manifest that this build did not write, then
    /// writes the new manifest.
    mutating func finish() throws {
        let manifest = url(Self.manifestName)
        let previous =
            (try? String(contentsOf: manifest, encoding: .utf8))?.utf8.split(separator: UInt8(ascii: "\n"))
            .compactMap { String($0) } ?? []
        for path in previous where !written.contains(path) && !path.contains("..") {
            try? FileManager.default.removeItem(at: url(path))
            removeEmptyFolders(above: path)
        }
        let listing = written.sorted().joined(separator: "\n") + "\n"
        try AtomicFile.writeIfChanged(Data(listing.utf8), to: manifest, durable: false)
    }

    private func removeEmptyFolders(above path: String) {
        var parts = path.split(separator: "/").dropLast()
        while !parts.isEmpty {
            let folderURL = url(parts.joined(separator: "/"))
            guard (try? FileManager.default.contentsOfDirectory(atPath: folderURL.path))?.isEmpty == true else {
                return
            }
            try? FileManager.default.removeItem(at: folderURL)
            parts = parts.dropLast()
        }
    }
}
