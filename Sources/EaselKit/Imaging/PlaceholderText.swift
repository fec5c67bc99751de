// Text handling for placeholders that needs no libvips: Pango markup escaping, whitespace, truncation.

enum PlaceholderText {
    /// The prompt on one line: runs of whitespace (newlines included) become one space, and other
    /// control characters go, because Pango draws them as boxes of hex digits.
    static func collapsed(_ text: String) -> String {
        let printable = text.unicodeScalars.filter {
            $0.properties.generalCategory != .control || $0 == "\n" || $0 == "\t"
        }
        return String(String.UnicodeScalarView(printable)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `text` cut to at most `limit` characters at a word boundary where one is near, ending in "…" when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        guard limit > 1 else { return "…" }
        var cut = text.prefix(limit - 1)
        // Back up to the last space when that loses little, so the text does not end mid-word.
        if let space = cut.lastIndex(of: " "), cut.distance(from: space, to: cut.endIndex) < 16 {
            cut = cut[..<space]
        }
        return cut.trimmingSuffix(while: { $0 == " " || $0.isPunctuation && $0 != "?" && $0 != "!" }) + "…"
    }

    /// Escapes the characters Pango markup treats specially; vips_text always parses markup.
    static func markupEscaped(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return String(self[..<end])
    }
}
