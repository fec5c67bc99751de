import Foundation

// The text of a PNG's `easel` chunk: one JSON object of strings, `title` and `prompt` first, then each setting
// in order. Foundation's JSON decoders forget the order of an object's keys, and the settings' order is part
// of the value, so this reads and writes that one shape itself.
extension Provenance {
    /// This provenance as a JSON object of strings: `{"title":…,"prompt":…,"model":…,…}`.
    var json: String {
        let pairs = [("title", title), ("prompt", prompt)] + embeddableSettings.map { ($0.key, $0.value) }
        return "{" + pairs.map { Provenance.quote($0) + ":" + Provenance.quote($1) }.joined(separator: ",") + "}"
    }

    /// Reads what ``json`` wrote.
    /// - Returns: nil unless `json` is one object whose values are all strings, with `title` and `prompt`.
    init?(json: String) {
        var reader = StringObjectReader(text: Substring(json))
        guard let pairs = reader.object(), reader.isAtEnd else { return nil }
        var (title, prompt): (String?, String?) = (nil, nil)
        var settings: [Setting] = []
        for (key, value) in pairs {
            switch key {
            case "title" where title == nil: title = value
            case "prompt" where prompt == nil: prompt = value
            default: settings.append(Setting(key: key, value: value))
            }
        }
        guard let title, let prompt else { return nil }
        self.init(title: title, prompt: prompt, settings: settings)
    }

    private static func quote(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case "\u{0}"..."\u{1F}": quoted += String(format: "\\u%04x", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}

/// Reads a JSON object whose values are all strings, keeping the keys' order.
private struct StringObjectReader {
    var text: Substring

    var isAtEnd: Bool {
        mutating get {
            skipSpace()
            return text.isEmpty
        }
    }

    mutating func object() -> [(String, String)]? {
        guard take("{") else { return nil }
        var pairs: [(String, String)] = []
        if take("}") { return pairs }
        repeat {
            guard let key = string(), take(":"), let value = string() else { return nil }
            pairs.append((key, value))
        } while take(",")
        return take("}") ? pairs : nil
    }

    private mutating func string() -> String? {
        guard take("\"") else { return nil }
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars[...]
        defer { text = Substring(scalars) }
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\"": return String(result)
            case "\\":
                guard let escaped = scalars.popFirst() else { return nil }
                switch escaped {
                case "\"", "\\", "/": result.append(escaped)
                case "b": result.append("\u{8}")
                case "f": result.append("\u{C}")
                case "n": result.append("\n")
                case "r": result.append("\r")
                case "t": result.append("\t")
                case "u":
                    guard let scalar = StringObjectReader.unicodeEscape(&scalars) else { return nil }
                    result.append(scalar)
                default: return nil
                }
            case "\u{0}"..."\u{1F}": return nil
            default: result.append(scalar)
            }
        }
        return nil
    }

    /// The scalar of `\uXXXX` (after the `u`), joining a UTF-16 surrogate pair written as two escapes.
    private static func unicodeEscape(_ scalars: inout Substring.UnicodeScalarView) -> Unicode.Scalar? {
        func unit() -> UInt32? {
            let digits = String(String.UnicodeScalarView(scalars.prefix(4)))
            guard digits.count == 4, let value = UInt32(digits, radix: 16) else { return nil }
            scalars.removeFirst(4)
            return value
        }
        guard let high = unit() else { return nil }
        guard (0xD800..<0xDC00).contains(high) else { return Unicode.Scalar(high) }
        guard scalars.starts(with: "\\u".unicodeScalars) else { return nil }
        scalars.removeFirst(2)
        guard let low = unit(), (0xDC00..<0xE000).contains(low) else { return nil }
        return Unicode.Scalar(0x10000 + (high - 0xD800) << 10 + (low - 0xDC00))
    }

    private mutating func take(_ character: Character) -> Bool {
        skipSpace()
        guard text.first == character else { return false }
        text.removeFirst()
        return true
    }

    private mutating func skipSpace() {
        text = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\t" }
    }
}
