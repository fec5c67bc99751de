/// swift-mustache renders (and parses) recursively: a template that includes itself, directly or
/// through others, or nests sections thousands deep, ran the stack out and the process died with
/// a segmentation fault, in the middle of writing the site (a cloned gallery's templates/ could do
/// that to whoever built it). Easel's page models hold no nested data that a recursive partial
/// could end on (a name not found on a card is looked up on the page around it, and so on), so
/// cycles are refused when the theme is loaded, and depths bounded, with where they start.
extension Theme {
    /// A partial or parent tag of a template: the template it names (nil for a dynamic partial,
    /// `{{>*name}}`, which may name any), and where the tag is.
    struct Inclusion: Equatable {
        var name: String?
        var line: Int
        var column: Int
    }

    /// A tag of a template: its first character (`#`, `>`, `/`…; a variable's is its name's), what
    /// follows it, trimmed, and where the tag is.
    struct Tag {
        var sigil: UInt8
        var rest: ArraySlice<UInt8>
        var line: Int
        var column: Int
        /// Where the tag starts in the template's UTF-8 bytes (at its opening delimiter), and the
        /// first byte after its closing one.
        var start = 0
        var end = 0
    }

    /// The partial and parent tags of `text` (``tags(in:)``).
    static func inclusions(in text: String) -> [Inclusion] {
        tags(in: text).compactMap { tag in
            guard tag.sigil == UInt8(ascii: ">") || tag.sigil == UInt8(ascii: "<") else { return nil }
            let dynamic = tag.rest.first == UInt8(ascii: "*")
            return Inclusion(
                name: dynamic ? nil : String(decoding: tag.rest, as: UTF8.self),
                line: tag.line,
                column: tag.column
            )
        }
    }

    /// The tags of `text`, found as swift-mustache finds them: from the current delimiters to the
    /// next closing one, the delimiters changed by `{{=<% %>=}}` tags (which are not listed). A tag
    /// is taken wherever it is (in a section, a block): what may be rendered counts.
    static func tags(in text: String) -> [Tag] {
        let bytes = Array(text.utf8)
        var open = Array("{{".utf8)
        var close = Array("}}".utf8)
        var found: [Tag] = []
        var (index, line, lineStart) = (0, 1, 0)
        func advance(to end: Int) {
            while index < end {
                if bytes[index] == UInt8(ascii: "\n") { (line, lineStart) = (line + 1, index + 1) }
                index += 1
            }
        }
        while let start = Self.find(open, in: bytes, from: index) {
            advance(to: start)
            let (tagLine, tagColumn) = (line, start - lineStart + 1)
            let contentStart = start + open.count
            guard let end = Self.find(close, in: bytes, from: contentStart) else { break }
            let content = Self.trimmed(bytes[contentStart..<end])
            if content.first == UInt8(ascii: "="), content.last == UInt8(ascii: "="), content.count >= 2 {
                let delimiters = content.dropFirst().dropLast().split(whereSeparator: Self.isSpace)
                if delimiters.count == 2 { (open, close) = (Array(delimiters[0]), Array(delimiters[1])) }
            } else if let sigil = content.first {
                found.append(
                    Tag(
                        sigil: sigil,
                        rest: Self.trimmed(content.dropFirst()),
                        line: tagLine,
                        column: tagColumn,
                        start: start,
                        end: end + close.count
                    )
                )
            }
            advance(to: end + close.count)
        }
        return found
    }

    /// How deep a template may nest sections, inverted sections, blocks and parents (the built-in
    /// theme: 4). With ``inclusionDepth``, it bounds how deep the renderer recurses: 5,000 nested
    /// sections ran out of stack, parsing or rendering.
    static let nestingDepth = 32

    /// Throws ``ThemeError`` at the tag of `text` (the template `name`) that opens a section deeper
    /// than ``nestingDepth``: to be asked before the template is parsed.
    static func refuseDeepNesting(_ text: String, of name: String) throws {
        var depth = 0
        for tag in tags(in: text) {
            switch tag.sigil {
            case UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "<"):
                depth += 1
                guard depth <= nestingDepth else {
                    throw ThemeError(
                        template: "templates/\(name).mustache",
                        line: tag.line,
                        column: tag.column,
                        message: "nests sections more than \(nestingDepth) deep; flatten it"
                    )
                }
            case UInt8(ascii: "/"): depth = max(0, depth - 1)
            default: continue
            }
        }
    }

    /// How deep templates may include one another (the built-in theme: 3). Each level is a few
    /// frames of swift-mustache's recursive renderer (see ``nestingDepth``).
    static let inclusionDepth = 32

    /// Throws ``ThemeError`` at the first tag of a cycle of templates that include one another, of
    /// a chain of them deeper than ``inclusionDepth``, or at a dynamic partial (`{{>*name}}`: the
    /// data names the template, which may be the one it is in). Walked without recursion: a theme
    /// may hold any number of templates.
    func refuseCycles() throws {
        let names = templates.keys.sorted()
        let edges = Dictionary(uniqueKeysWithValues: names.map { ($0, Self.inclusions(in: templates[$0] ?? "")) })
        func refuse(_ template: String, at tag: Inclusion, _ why: String) -> ThemeError {
            ThemeError(template: "templates/\(template).mustache", line: tag.line, column: tag.column, message: why)
        }
        for name in names {
            if let dynamic = edges[name]?.first(where: { $0.name == nil }) {
                throw refuse(
                    name,
                    at: dynamic,
                    "includes a template its data names ({{>*…}}), which may be itself: name the partial"
                )
            }
        }
        func next(_ name: String) -> [(target: String, tag: Inclusion)] {
            (edges[name] ?? []).compactMap { tag in
                tag.name.flatMap { templates[$0] == nil ? nil : (target: $0, tag: tag) }
            }
        }
        var depth: [String: Int] = [:]  // of the templates done: the longest chain they start
        for root in names where depth[root] == nil {
            // The chain being walked: each template, the tag that led to it, what it includes and
            // how many of those were followed.
            var path: [(name: String, via: Inclusion?, next: [(target: String, tag: Inclusion)], tried: Int)] = [
                (root, nil, next(root), 0)
            ]
            while let top = path.last {
                guard top.tried < top.next.count else {
                    depth[top.name] = 1 + (top.next.map { depth[$0.target] ?? 0 }.max() ?? 0)
                    path.removeLast()
                    continue
                }
                path[path.count - 1].tried += 1
                let (target, tag) = top.next[top.tried]
                if let start = path.firstIndex(where: { $0.name == target }) {
                    let chain = path[start...].map(\.name) + [target]
                    throw refuse(
                        chain[0],
                        at: start + 1 < path.count ? path[start + 1].via ?? tag : tag,
                        "includes itself (\(chain.joined(separator: " → "))): Easel's pages have no nested data "
                            + "for a recursive partial to end on; take the partial out of the cycle"
                    )
                }
                guard path.count + (depth[target] ?? 1) <= Self.inclusionDepth else {
                    // Reported where the chain starts: its first template's tag that begins it.
                    throw refuse(root, at: path.count > 1 ? path[1].via ?? tag : tag, deep)
                }
                if depth[target] == nil { path.append((target, tag, next(target), 0)) }
            }
        }
    }

    private var deep: String {
        "includes templates more than \(Self.inclusionDepth) deep; make the chain of partials shorter"
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start <= bytes.count - needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var bytes = bytes
        while let first = bytes.first, isSpace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isSpace(last) { bytes = bytes.dropLast() }
        return bytes
    }
}
