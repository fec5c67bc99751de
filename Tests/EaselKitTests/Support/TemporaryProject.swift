import Foundation
import Testing

@testable import EaselKit

/// A project folder of its own for one test, under a UUID temporary folder removed when done.
struct TemporaryProject {
    let root: URL

    /// Runs `body` with a new project holding an empty prompts/ folder, then removes it.
    static func with<T>(_ body: (TemporaryProject) async throws -> T) async throws -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("easel-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("prompts"),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: root) }
        return try await body(TemporaryProject(root: root.resolvingSymlinksInPath()))
    }

    /// Writes `text` at `path` inside the project, creating folders.
    @discardableResult
    func write(_ path: String, _ text: String) throws -> URL {
        try write(path, data: Data(text.utf8))
    }

    @discardableResult
    func write(_ path: String, data: Data) throws -> URL {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url
    }

    /// A PNG of `width`×`height` made with libvips (a placeholder: any real image will do).
    func writeImage(_ path: String, width: Int = 256, height: Int = 256, seed: String = "0") throws {
        let png = try PlaceholderRenderer.renderSync(prompt: "fixture", width: width, height: height, key: seed)
        try write(path, data: png)
    }

    /// An RGBA mask of `width`×`height`, transparent inside `rect`.
    func writeMask(
        _ path: String,
        width: Int = 256,
        height: Int = 256,
        rect: (Int, Int, Int, Int) = (0, 0, 64, 64)
    ) throws {
        try write(path, data: try MaskMaker.rectangleMask(width: width, height: height, rect: rect))
    }

    /// Opens the project, failing the test on configuration errors.
    func open() throws -> Project {
        let (project, diagnostics) = try Project.open(at: root)
        #expect(!diagnostics.contains { $0.isError }, "\(diagnostics)")
        return project
    }

    /// Loads one prompt file.
    func load(_ path: String) throws -> PromptFile {
        PromptLoader(project: try open()).load(path)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }
}

extension TemporaryProject {
    /// The regular files of a folder of the project, read before the project is removed.
    struct Snapshot {
        /// Contents by path inside the folder.
        var files: [String: Data]

        /// The file at `path` as UTF-8 text, or nil when there is none.
        func text(_ path: String) -> String? { files[path].map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Every regular file under `folder` (hidden ones included), without following links.
    func snapshot(of folder: String = "site") throws -> Snapshot {
        let base = root.appendingPathComponent(folder)
        var files: [String: Data] = [:]
        for entry in DirectoryWalk.entries(in: base, hidden: true) where entry.kind == .regularFile {
            files[entry.path] = try Data(contentsOf: base.appendingPathComponent(entry.path))
        }
        return Snapshot(files: files)
    }
}

extension TemporaryProject {
    /// The theme error an offline build of the project stops with; nil, recorded as an issue,
    /// when the build goes on.
    func themeErrorOfOfflineBuild() async throws -> ThemeError? {
        var options = BuildOptions()
        options.offline = true
        do {
            _ = try await Builder(project: try open(), source: nil).build(options)
            Issue.record("the build went on")
            return nil
        } catch let error as ThemeError {
            return error
        }
    }
}

extension PromptFile {
    /// A valid-looking prompt at `path` with nothing in it (its title is the path), for tests
    /// that need a prompt's place more than its content.
    static func bare(at path: String) -> PromptFile {
        PromptFile(
            path: path,
            title: path,
            tags: [],
            date: nil,
            isDraft: false,
            html: "",
            text: "",
            model: "gpt-image-2",
            kind: .generation,
            request: nil,
            diagnostics: []
        )
    }
}
