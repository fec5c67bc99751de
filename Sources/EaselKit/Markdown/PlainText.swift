internal import Ccmark

/// Walks a cmark tree and keeps only its words: what the image API receives as the prompt.
///
/// Emphasis, links and code spans become their text, images their alt text; raw HTML is dropped,
/// as it is on the page. Paragraphs, headings and code blocks stay separated by a blank line, list
/// items keep a "- " or "1. " marker on their own line.
enum PlainText {
    /// How many levels a nested list item is indented, at most. Each level was two spaces more:
    /// 8,000 items nested in one another (a 32 KB prompt file of `> - > - …`) made 64 million
    /// characters of indentation and took 3.5 s, 120,000 (480 KB) ran for minutes, and a file of
    /// the allowed 1 MB would have filled the memory; deeper items now stay at this level.
    static let deepestIndent = 8

    static func extract(from root: OpaquePointer) -> String {
        var output = ""
        var listMarkers: [(ordered: Bool, next: Int)] = []
        let iterator = cmark_iter_new(root)!
        defer { cmark_iter_free(iterator) }

        func endBlock(_ node: OpaquePointer) {
            let parent = cmark_node_parent(node)
            let inItem = parent.map { cmark_node_get_type($0) == CMARK_NODE_ITEM } ?? false
            output += inItem ? "\n" : "\n\n"
        }

        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            let node = cmark_iter_get_node(iterator)!
            let entering = event == CMARK_EVENT_ENTER
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                output += literal(of: node)
            case CMARK_NODE_SOFTBREAK:
                output += " "
            case CMARK_NODE_LINEBREAK:
                output += "\n"
            case CMARK_NODE_CODE_BLOCK:
                output += literal(of: node)
                endBlock(node)
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
                if !entering { endBlock(node) }
            case CMARK_NODE_THEMATIC_BREAK:
                output += "\n\n"
            case CMARK_NODE_LIST:
                if entering {
                    let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
                    listMarkers.append((ordered, Int(cmark_node_get_list_start(node))))
                    if !output.isEmpty, !output.hasSuffix("\n") { output += "\n" }
                } else {
                    listMarkers.removeLast()
                    output += "\n"
                }
            case CMARK_NODE_ITEM:
                if entering, let marker = listMarkers.last {
                    let depth = String(repeating: "  ", count: min(listMarkers.count - 1, Self.deepestIndent))
                    output += marker.ordered ? "\(depth)\(marker.next). " : "\(depth)- "
                    listMarkers[listMarkers.count - 1].next += 1
                }
            default:
                break  // documents, quotes, emphasis, links, images: their children carry the text; HTML is dropped
            }
        }
        return normalize(output)
    }

    private static func literal(of node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    /// Trims each line's trailing spaces, keeps at most one blank line in a row, trims the ends.
    private static func normalize(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = line
            while line.last == " " || line.last == "\t" { line = line.dropLast() }
            if line.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
