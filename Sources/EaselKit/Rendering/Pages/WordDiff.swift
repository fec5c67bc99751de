/// A word-level diff of two prompt texts, as HTML: removed words in `<del>`, added ones in `<ins>`.
///
/// Built on the standard library's `difference(from:)` (a Myers diff) over words; runs of changes
/// are merged so a replaced phrase reads as one deletion and one insertion.
enum WordDiff {
    /// The most words and separators, those of the old text times those of the new (once what
    /// both begin and end with is set aside), diffed word by word. The diff takes time and memory
    /// that grow with the product when the texts differ throughout: two different prompts of 4,000
    /// words took 0.7 s (a debug build), and an earlier version's prompt (a cache record, which a
    /// cloned gallery brings) may hold 128,000 characters. Beyond it, the changed part is shown as
    /// removed and added whole.
    static let maxCells = 4_000_000

    /// `old` against `new`, escaped for HTML; whitespace between words is kept as single spaces
    /// (line breaks as `<br>`).
    static func html(from old: String, to new: String) -> String {
        var budget = maxCells
        return html(from: old, to: new, budget: &budget)
    }

    /// ``html(from:to:)`` within `budget` cells, less what it used: a page of many versions shares
    /// one budget (a cache can name 10,000 entries as earlier versions of one prompt).
    static func html(from old: String, to new: String, budget: inout Int) -> String {
        let before = tokens(old)
        let after = tokens(new)
        // What both begin and end with is kept as it is; the diff is of what is left between.
        var prefix = 0
        while prefix < min(before.count, after.count), before[prefix] == after[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(before.count, after.count) - prefix,
            before[before.count - 1 - suffix] == after[after.count - 1 - suffix]
        {
            suffix += 1
        }
        let (oldMiddle, newMiddle) = (prefix..<(before.count - suffix), prefix..<(after.count - suffix))
        var removed = Set<Int>()
        var inserted = Set<Int>()
        let cells = oldMiddle.count * newMiddle.count
        if cells > min(budget, maxCells) {
            // Too different to diff word by word at a bounded cost: all of one out, all of the other in.
            removed = Set(oldMiddle)
            inserted = Set(newMiddle)
        } else {
            budget -= cells
            for change in after[newMiddle].difference(from: before[oldMiddle]) {
                switch change {
                case .remove(let offset, _, _): removed.insert(prefix + offset)
                case .insert(let offset, _, _): inserted.insert(prefix + offset)
                }
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
