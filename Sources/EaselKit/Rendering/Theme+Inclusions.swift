/// A theme's templates include each other (`{{> nav}}`, `{{<base}}`): one that includes itself,
/// directly or through others, made the renderer recurse until the stack ran out and the process
/// died with a segmentation fault, in the middle of writing the site (a cloned gallery's
/// templates/ could do that to whoever built it). Easel's page models hold no nested data that a
/// recursive partial could end on (a name not found on a card is looked up on the page around
/// it, and so on), so a cycle is refused when the theme is loaded, with where it starts.
extension Theme {
    /// A partial or parent tag of a template: the template it names (nil for a dynamic partial,
    /// `{{>*name}}`, which may name any), and where the tag is.
    struct Inclusion: Equatable {
        var name: String?
        var line: Int
        var column: Int
    }

    /// The partial and parent tags of `text`, found as swift-mustache finds tags: from the
    /// current delimiters to the next closing one, the delimiters changed by `{{=<% %>=}}` tags.
    /// A tag is taken wherever it is (in a section, a block, a comment's neighbourhood): what may
    /// be rendered counts.
    static func inclusions(in text: String) -> [Inclusion] {
        let bytes = Array(text.utf8)
        var open = Array("{{".utf8)
        var close = Array("}}".utf8)
        var found: [Inclusion] = []
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
            } else if let sigil = content.first, sigil == UInt8(ascii: ">") || sigil == UInt8(ascii: "<") {
                let name = Self.trimmed(content.dropFirst())
                found.append(
                    Inclusion(
                        name: name.first == UInt8(ascii: "*") ? nil : String(decoding: name, as: UTF8.self),
                        line: tagLine,
                        column: tagColumn
                    )
                )
            }
            advance(to: end + close.count)
        }
        return found
    }

    /// How deep templates may include one another (the built-in theme: 3). Each level is a few
    /// frames of swift-mustache's recursive renderer.
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
