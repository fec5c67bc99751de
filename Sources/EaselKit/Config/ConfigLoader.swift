import Foundation
internal import Yams

/// Reads easel.yml. Unknown keys and wrong types are errors with a position; a missing file is an
/// empty configuration.
enum ConfigLoader {
    private static let keys = [
        "title", "description", "base_url", "page_size", "defaults", "concurrency", "max_cost", "confirm_above",
        "models",
    ]

    /// Loads `<root>/easel.yml`.
    /// - Returns: the configuration and every problem found; errors mean the project cannot build.
    static func load(projectRoot root: URL) -> (SiteConfig, [Diagnostic]) {
        let url = root.appendingPathComponent(SiteConfig.fileName)
        guard BoundedRead.exists(url.path) else { return (SiteConfig(), []) }
        switch TextFile.read(url, path: SiteConfig.fileName, limit: Limits.configFileBytes) {
        case .failure(let diagnostic): return (SiteConfig(), [diagnostic])
        case .success(let file):
            var (config, diagnostics) = parse(file.text)
            config.source = file.text
            return (config, diagnostics)
        }
    }

    /// The text of `key`, at most `limit` characters: the site's title and description are on
    /// every page (and the title three times), so a title of 500,000 characters made each page
    /// 3.7 MB.
    private static func bounded(_ node: Node, key: String, limit: Int, _ yaml: inout YAMLReader) -> String? {
        guard let text = yaml.string(node, key: key)?.value else { return nil }
        guard text.count <= limit else {
            yaml.error(
                "'\(key)' is \(text.count.formatted()) characters; it is shown on every page: at most \(limit)",
                at: node
            )
            return nil
        }
        return text
    }

    /// Parses the text of an easel.yml.
    static func parse(_ text: String, path: String = SiteConfig.fileName) -> (SiteConfig, [Diagnostic]) {
        let source = YAMLSource(path: path, firstLine: 1)
        let root: Node?
        switch source.compose(text) {
        case .failure(let diagnostic): return (SiteConfig(), [diagnostic])
        case .success(let node): root = node
        }
        var config = SiteConfig()
        guard let root else { return (config, []) }
        var yaml = YAMLReader(source: source)
        var extra: [Diagnostic] = []
        for (name, keyNode, value) in yaml.pairs(root, of: SiteConfig.fileName) {
            switch name {
            case "title": config.title = bounded(value, key: name, limit: Limits.siteTitleCharacters, &yaml)
            case "description":
                config.description = bounded(value, key: name, limit: Limits.siteDescriptionCharacters, &yaml)
            case "base_url": config.baseURL = baseURL(value, &yaml)
            case "page_size": config.pageSize = yaml.integer(value, key: name, in: SiteConfig.pageSizes)?.value
            case "concurrency": config.concurrency = yaml.integer(value, key: name, in: 1...64)?.value
            case "max_cost": config.maxCost = yaml.number(value, key: name, atLeast: 0)?.value
            case "confirm_above": config.confirmAbove = yaml.number(value, key: name, atLeast: 0)?.value
            case "defaults":
                var reader = SettingsReader(source: source)
                config.defaults = reader.read(value, what: "'defaults'")
                extra += reader.diagnostics
            case "models":
                var reader = ModelTableReader(yaml: yaml)
                config.models = reader.read(value)
                yaml = reader.yaml
            default:
                yaml.unknownKey(name, at: keyNode, known: keys, in: SiteConfig.fileName)
            }
        }
        return (config, yaml.diagnostics + extra)
    }

    private static func baseURL(_ node: Node, _ yaml: inout YAMLReader) -> String? {
        guard let value = yaml.string(node, key: "base_url") else { return nil }
        guard let url = URL(string: value.value), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host != nil
        else {
            yaml.error("'base_url' must be an http(s) address such as https://example.com/gallery/", at: node)
            return nil
        }
        return value.value.hasSuffix("/") ? value.value : value.value + "/"
    }
}
