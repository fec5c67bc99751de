public import Foundation

/// A user's project folder: easel.yml, prompts/, cache/, templates/ (SPEC §2).
public struct Project: Sendable {
    /// The project folder, absolute, symbolic links resolved.
    public let root: URL
    public let config: SiteConfig
    /// The built-in model table plus easel.yml's `models:`.
    public let catalog: ModelCatalog

    /// Opens the project at `root` and reads its easel.yml.
    /// - Returns: the project and easel.yml's diagnostics; any error among them means nothing may be built.
    /// - Throws: ``ProjectError`` when the folder or its prompts/ folder is missing.
    public static func open(at root: URL) throws -> (Project, [Diagnostic]) {
        let root = root.standardizedFileURL.resolvingSymlinksInPath()
        guard FileSystem.isDirectory(root) else { throw ProjectError.missingFolder(root.path) }
        guard FileSystem.isDirectory(root.appendingPathComponent("prompts")) else {
            throw ProjectError.missingPrompts(root.path)
        }
        let (config, diagnostics) = ConfigLoader.load(projectRoot: root)
        var catalog = ModelCatalog.builtin
        for model in config.models { catalog.add(model) }
        return (Project(root: root, config: config, catalog: catalog), diagnostics)
    }

    /// Creates a project from parts already loaded (tests, and ``open(at:)``).
    init(root: URL, config: SiteConfig, catalog: ModelCatalog = .builtin) {
        self.root = root
        self.config = config
        self.catalog = catalog
    }

    public var promptsFolder: URL { root.appendingPathComponent("prompts", isDirectory: true) }
    public var cache: CacheStore { CacheStore(folder: root.appendingPathComponent("cache", isDirectory: true)) }
    /// Easel's local state: the build lock and the failure log (`.easel/`, not committed).
    public var stateFolder: URL { root.appendingPathComponent(".easel", isDirectory: true) }
    /// The default output folder, `site/`.
    public var siteFolder: URL { root.appendingPathComponent("site", isDirectory: true) }

    /// Every prompt file, as paths inside the project (`prompts/space/death-star.md`), sorted.
    ///
    /// A prompt is a `.md` or `.markdown` file anywhere under prompts/; hidden files and folders are skipped.
    public func promptPaths() throws -> [String] {
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey]
        guard
            let walker = FileManager.default.enumerator(
                at: promptsFolder,
                includingPropertiesForKeys: keys,
                options: [.skipsHiddenFiles]
            )
        else { throw FileError(path: promptsFolder.path, reason: "cannot list the folder") }
        var paths: [String] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            guard ["md", "markdown"].contains(url.pathExtension.lowercased()),
                let values = try? url.resourceValues(forKeys: Set(keys))
            else { continue }
            if values.isSymbolicLink == true {
                // Only a link is resolved (a path per file costs a realpath): it must stay inside.
                guard (try? url.resolvingSymlinksInPath().resourceValues(forKeys: Set(keys)).isRegularFile) == true,
                    let path = relativePath(of: url)
                else { continue }
                paths.append(path)
            } else if values.isRegularFile == true, url.path.hasPrefix(prefix) {
                paths.append(String(url.path.dropFirst(prefix.count)))
            }
        }
        // A link to another prompt inside prompts/ is that prompt, once.
        return Set(paths).sorted()
    }

    /// `url`'s path inside the project, or nil when it lies outside.
    func relativePath(of url: URL) -> String? {
        let full = url.standardizedFileURL.resolvingSymlinksInPath().path
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        guard full.hasPrefix(prefix) else { return nil }
        return String(full.dropFirst(prefix.count))
    }
}

/// The project folder cannot be used at all.
public struct ProjectError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    static func missingFolder(_ path: String) -> ProjectError {
        ProjectError(message: "\(path) is not a folder; give the project folder, or run easel inside it")
    }

    static func missingPrompts(_ path: String) -> ProjectError {
        ProjectError(message: "\(path) has no prompts/ folder; put your prompt files (.md) in \(path)/prompts/")
    }

    public var description: String { message }
}
