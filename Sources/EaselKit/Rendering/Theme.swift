import Foundation
internal import Mustache

/// The templates and assets a site is rendered with: the built-in theme, with each file that the
/// project's own templates/ folder holds replacing the built-in file of the same name.
struct Theme: Sendable {
    /// Template sources by name ("index", "card"), from `<name>.mustache` files.
    private(set) var templates: [String: String] = [:]
    /// Static files by path inside assets/ ("style.css").
    private(set) var assets: [String: Data] = [:]
    /// Which files came from the project, for `check` and messages.
    private(set) var overridden: [String] = []

    /// The built-in theme alone.
    static let builtin: Theme = {
        var theme = Theme()
        for (path, encoded) in BuiltinTheme.encodedFiles {
            // The generator wrote valid base64.
            theme.add(path: path, data: Data(base64Encoded: encoded)!)
        }
        return theme
    }()

    /// The built-in theme with the files of `folder` (a project's templates/) laid over it.
    ///
    /// Only regular files inside the folder are read, hidden ones skipped, links refused: the
    /// assets are published, and a cloned `templates/assets/x.css -> ~/.aws/credentials` must
    /// not be.
    /// - Throws: ``ThemeError`` for a link, or a file that cannot be read or is too large.
    static func load(overridesIn folder: URL) throws -> Theme {
        var theme = builtin
        guard FileSystem.isDirectory(folder) else { return theme }
        for entry in DirectoryWalk.entries(in: folder) {
            let shown = "templates/\(entry.path)"
            switch entry.kind {
            case .directory, .other: continue
            case .symbolicLink, .missing:
                throw ThemeError(
                    template: shown,
                    line: 1,
                    column: 1,
                    message: "is a symbolic link; put the file itself here"
                )
            case .regularFile:
                switch BoundedRead.data(at: folder.path + "/" + entry.path, limit: Limits.themeFileBytes) {
                case .success(let data):
                    if theme.add(path: entry.path, data: data) { theme.overridden.append(entry.path) }
                case .failure(let problem):
                    throw ThemeError(template: shown, line: 1, column: 1, message: problem.reason)
                }
            }
        }
        return theme
    }

    /// Adds a theme file; returns false for files that are neither templates nor assets.
    @discardableResult
    mutating func add(path: String, data: Data) -> Bool {
        if path.hasPrefix("assets/") {
            assets[String(path.dropFirst("assets/".count))] = data
            return true
        }
        guard path.hasSuffix(".mustache"), !path.contains("/") else { return false }
        templates[String(path.dropLast(".mustache".count))] = String(decoding: data, as: UTF8.self)
        return true
    }

    /// True when the card and the index are the built-in ones: each card is then rendered once
    /// for the list pages that show it (``CardMemo``), and `card` is a partial that gives a page
    /// that text. A theme's own card or index renders its cards in its pages.
    var rendersCardsOnce: Bool {
        let builtin = Self.builtin.templates
        return templates["card"] == builtin["card"] && templates["index"] == builtin["index"]
    }

    /// True when the navigation, footer, layout and prompt page are the built-in ones: the
    /// navigation and footer of the prompt pages are then rendered once for each depth
    /// (``ChromeMemo``), and `nav` and `footer` are partials that give a page that text.
    var rendersChromeOnce: Bool {
        let builtin = Self.builtin.templates
        return ["nav", "footer", "base", "prompt"].allSatisfy { templates[$0] != nil && templates[$0] == builtin[$0] }
    }

    /// Parses every template.
    /// - Throws: ``ThemeError`` naming the template, line and column of a syntax error.
    func library() throws -> MustacheLibrary {
        HTMLEscaping.registered
        var library = MustacheLibrary()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                try Self.refuseDeepNesting(text, of: name)
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw ThemeError(
                    template: "templates/\(name).mustache",
                    line: error.context.lineNumber,
                    column: error.context.columnNumber,
                    message: String(describing: error.error)
                )
            }
        }
        if rendersCardsOnce, let card = templates["card"] {
            library.register(try MustacheTemplate(string: card), named: CardMemo.template)
            library.register(try MustacheTemplate(string: CardMemo.partial), named: "card")
        }
        if rendersChromeOnce, let nav = templates["nav"], let footer = templates["footer"] {
            library.register(try MustacheTemplate(string: nav), named: ChromeMemo.navTemplate)
            library.register(try MustacheTemplate(string: footer), named: ChromeMemo.footerTemplate)
            library.register(try MustacheTemplate(string: ChromeMemo.navPartial), named: "nav")
            library.register(try MustacheTemplate(string: ChromeMemo.footerPartial), named: "footer")
        }
        try refuseCycles()
        try refuseRunawayExpansion()
        for required in ["index", "prompt"] where library.getTemplate(named: required) == nil {
            throw ThemeError(template: "templates/\(required).mustache", line: 1, column: 1, message: "missing")
        }
        return library
    }
}

/// A theme template cannot be used.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var template: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(template):\(line):\(column): error: template \(message)" }
}
