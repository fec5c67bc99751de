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
        // The folders Easel reads prompts and templates from, and writes the cache and its state
        // into, are real folders of the project: a cloned `prompts -> ../..` would publish every
        // Markdown file above it, and `cache -> ~` would have Easel clear ~/.tmp.
        for name in ["prompts", "templates", "cache", ".easel"]
        where FileKind.of(root.appendingPathComponent(name).path) == .symbolicLink {
            throw ProjectError.linkedFolder(name)
        }
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
        guard FileKind.of(promptsFolder.path) == .directory else {
            throw FileError(path: promptsFolder.path, reason: "cannot list the folder")
        }
        // Read with readdir(3), whose entry types save a stat per file (listing 1,000 prompts
        // through FileManager's enumerator and resource values took 40 ms); linked folders are not
        // entered.
        var paths: Set<String> = []
        for entry in DirectoryWalk.entries(in: promptsFolder) {
            let path = "prompts/" + entry.path
            guard Self.isPromptName(entry.path) else { continue }
            switch entry.kind {
            case .regularFile:
                paths.insert(path)
            case .symbolicLink:
                // A link that leads to another prompt file is that prompt, listed once. Any other
                // link (out of prompts/, to .env, to a hidden or non-Markdown file, nowhere) is
                // listed by its own path, and PromptLoader reports it without reading it.
                paths.insert(promptPath(resolving: path) ?? path)
            case .directory, .missing, .other:
                continue
            }
        }
        return paths.sorted()
    }

    /// Whether the file at `path` is named as a prompt: with a Markdown extension (`.md`,
    /// `.markdown`, any case). Shared by the listing, links to prompts and `easel serve`.
    static func isPromptName(_ path: String) -> Bool {
        let name = path.split(separator: "/").last ?? ""
        let suffix = name.split(separator: ".").last?.lowercased()
        return name.contains(".") && (suffix == "md" || suffix == "markdown")
    }

    /// The prompt file the link at `path` leads to: a regular `.md` or `.markdown` file inside
    /// prompts/, with no hidden file or folder on the way; nil for anything else.
    private func promptPath(resolving path: String) -> String? {
        let url = root.appendingPathComponent(path)
        guard let target = relativePath(of: url), target.hasPrefix("prompts/"),
            (try? url.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        else { return nil }
        guard !target.split(separator: "/").contains(where: { $0.hasPrefix(".") }), Self.isPromptName(target)
        else { return nil }
        return target
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

    static func linkedFolder(_ name: String) -> ProjectError {
        ProjectError(
            message: "\(name)/ is a symbolic link; Easel reads and writes \(name)/ only as a real folder inside"
                + " the project: replace the link with the folder"
        )
    }

    public var description: String { message }
}
