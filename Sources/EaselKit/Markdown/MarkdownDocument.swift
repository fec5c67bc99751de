internal import Ccmark

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A prompt body parsed by libcmark: its title, the HTML for the page and the plain text for the API.
struct MarkdownDocument: Sendable, Equatable {
    /// The text of a leading level-1 heading, which titles the prompt and is not sent.
    var title: String?
    /// The body without that heading, rendered by cmark with raw HTML omitted (its safe default).
    var html: String
    /// The body without that heading as plain text: inline formatting removed, paragraphs kept.
    var text: String

    /// Parses `markdown`.
    init(parsing markdown: String) {
        let document = cmark_parse_document(markdown, markdown.utf8.count, CMARK_OPT_DEFAULT)!
        defer { cmark_node_free(document) }

        if let first = cmark_node_first_child(document), cmark_node_get_type(first) == CMARK_NODE_HEADING,
            cmark_node_get_heading_level(first) == 1
        {
            title = PlainText.extract(from: first).trimmingSpaces()
            cmark_node_unlink(first)
            cmark_node_free(first)
        } else {
            title = nil
        }
        text = PlainText.extract(from: document)
        html = Self.renderHTML(document)
    }

    private static func renderHTML(_ node: OpaquePointer) -> String {
        // cmark returns malloc'd memory: copy it into a Swift string, then free it.
        guard let rendered = cmark_render_html(node, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
