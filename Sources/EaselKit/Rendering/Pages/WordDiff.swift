/// A word-level diff of two prompt texts, as HTML: removed words in `<del>`, added ones in `<ins>`.
///
/// Built on the standard library's `difference(from:)` (a Myers diff) over words; runs of changes
/// are merged so a replaced phrase reads as one deletion and one insertion.
enum WordDiff {
    /// `old` against `new`, escaped for HTML; whitespace between words is kept as single spaces
    /// (line breaks as `<br>`).
    static func html(from old: String, to new: String) -> String {
        let before = tokens(old)
        let after = tokens(new)
        let difference = after.difference(from: before)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var html = ""
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < before.count || newIndex < after.count {
            var deleted: [String] = []
            while oldIndex < before.count, removed.contains(oldIndex) {
                deleted.append(before[oldIndex])
                oldIndex += 1
            }
            var added: [String] = []
            while newIndex < after.count, inserted.contains(newIndex) {
                added.append(after[newIndex])
                newIndex += 1
            }
            if !deleted.isEmpty { html += "<del>" + render(deleted) + "</del>" }
            if !added.isEmpty { html += "<ins>" + render(added) + "</ins>" }
            if deleted.isEmpty, added.isEmpty, newIndex < after.count {
                html += render([after[newIndex]])
                oldIndex += 1
                newIndex += 1
            }
        }
        return html
    }

    /// Words and separators: "a cat\non" → ["a", " ", "cat", "\n", "on"].
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        for character in text {
            if character.isWhitespace {
                if !word.isEmpty { tokens.append(word) }
                word = ""
                let separator = character.isNewline ? "\n" : " "
                if tokens.last != separator, tokens.last != "\n" { tokens.append(separator) }
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }

    private static func render(_ tokens: [String]) -> String {
        tokens.map { $0 == "\n" ? "<br>" : escape($0) }.joined()
    }

    /// HTML escaping as Mustache does it.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
