package import Foundation

/// `easel init`: writes a new project's starting files into a folder, all of them or none.
///
/// It never overwrites anything: when any of the paths it would write is taken, it writes nothing
/// and says which. Each file is written atomically, so an interrupted run leaves no half-written
/// file; when writing fails part-way, the files this run already wrote are removed again.
package struct Scaffolder: Sendable {
    /// The project folder; it need not exist yet.
    package let root: URL
    private let files: [ProjectTemplate.File]

    /// Creates a scaffolder for a project in `root`.
    package init(root: URL) {
        self.root = root.standardizedFileURL
        self.files = ProjectTemplate.files
    }

    /// The files ``create()`` writes, as paths inside the project, in the order it writes them.
    package func plannedFiles() -> [String] {
        files.map(\.path)
    }

    /// The title of the example prompt ``create()`` writes.
    package static var examplePromptTitle: String { ProjectTemplate.firstPromptTitle }

    /// The planned paths that are already taken, in the order of ``plannedFiles()``.
    ///
    /// A path is taken when anything is there (a file, a folder, a link, even a broken one), or
    /// when one of its parent folders is a file (`prompts` as a file takes `prompts/first.md`).
    package func existing() -> [String] {
        var taken: [String] = []
        for path in plannedFiles() {
            let components = path.split(separator: "/").map(String.init)
            let parents = components.indices.dropLast().map { components[...$0].joined(separator: "/") }
            let blocking = parents.first { isFile($0) } ?? (exists(path) ? path : nil)
            if let blocking, !taken.contains(blocking) { taken.append(blocking) }
        }
        return taken
    }

    /// Creates ``root`` when it is missing and writes every planned file into it.
    /// - Returns: the paths written, as ``plannedFiles()`` lists them.
    /// - Throws: ``ScaffoldError`` when a planned path is taken or ``root`` is a file (nothing is
    ///   written then); ``FileError`` when a file cannot be written (the files written before it
    ///   are removed).
    package func create() throws -> [String] {
        if FileManager.default.fileExists(atPath: root.path), !FileSystem.isDirectory(root) {
            throw ScaffoldError.notAFolder(root.path)
        }
        let taken = existing()
        guard taken.isEmpty else { throw ScaffoldError.existingFiles(taken, in: root.path) }

        var written: [URL] = []
        do {
            for file in files {
                let url = root.appendingPathComponent(file.path)
                try AtomicFile.write(Data(file.text.utf8), to: url)
                written.append(url)
            }
        } catch {
            for url in written { try? FileManager.default.removeItem(at: url) }
            throw error as? FileError ?? FileError(path: root.path, reason: FileSystem.reason(of: error))
        }
        return plannedFiles()
    }
}

extension Scaffolder {
    /// True when something is at `path`; a symbolic link counts, even one that points nowhere.
    fileprivate func exists(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)) != nil
    }

    /// True when `path` exists and is not a folder (nor a link to one).
    fileprivate func isFile(_ path: String) -> Bool {
        let url = root.appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: url.path) && !FileSystem.isDirectory(url)
    }
}
