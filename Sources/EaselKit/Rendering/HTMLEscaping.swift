public import Mustache

/// swift-mustache's `HTML` content type, escaping the same five characters (`<`, `>`, `&`, `"`,
/// `'`) with the same entities, over UTF-8 bytes instead of Characters.
///
/// The library's own escaping looks every Character up in a dictionary; it was a third of the
/// render of a 1,000-prompt site. Easel registers this one under the name `HTML`, and the
/// theme's top-level templates select it with `{{% CONTENT_TYPE: HTML }}`; a template without
/// the pragma gets the library's, with the same output. One difference, for the better: a
/// `<` followed by a combining mark is one Character, which the library leaves unescaped.
struct HTMLEscaping: MustacheContentType {
    /// Registers this content type as `HTML`, once per process.
    static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: "HTML")

    func escapeText(_ text: String) -> String {
        // Most values have nothing to escape: they are returned as they are, not copied (making a
        // new String of every value was most of the cost of a `{{title}}`).
        let clean =
            text.utf8.withContiguousStorageIfAvailable { !$0.contains(where: Self.needsEscaping) }
            ?? !text.utf8.contains(where: Self.needsEscaping)
        if clean { return text }
        var text = text
        return text.withUTF8 { bytes in
            var escaped: [UInt8] = []
            escaped.reserveCapacity(bytes.count + bytes.count / 8)
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): escaped.append(contentsOf: "&#39;".utf8)
                default: escaped.append(byte)
                }
            }
            return String(decoding: escaped, as: UTF8.self)
        }
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
