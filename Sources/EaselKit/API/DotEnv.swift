import Foundation

/// Reads a project's `.env` file: `NAME=value` lines, as the usual dotenv tools write them.
///
/// Supported: blank lines and `#` comments, an optional `export ` prefix, values in single quotes
/// (taken literally), in double quotes (with `\n`, `\"` and `\\` escapes), or bare (a ` #` starts a
/// comment). Lines that are not assignments are skipped: a `.env` must never stop a build.
enum DotEnv {
    /// The variables of `url`, or none when the file does not exist or cannot be read.
    static func load(_ url: URL) -> [String: String] {
        guard let data = try? BoundedRead.data(at: url.path, limit: 64 << 10).get() else { return [:] }
        return parse(String(decoding: data, as: UTF8.self))
    }

    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            var line = Substring(rawLine).drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            values[name] = value(line[line.index(after: equals)...])
        }
        return values
    }

    private static func value(_ raw: Substring) -> String {
        let text = raw.drop { $0 == " " || $0 == "\t" }
        if text.first == "'", let end = text.dropFirst().firstIndex(of: "'") {
            return String(text[text.index(after: text.startIndex)..<end])
        }
        if text.first == "\"" {
            var result = ""
            var escaped = false
            for character in text.dropFirst() {
                if escaped {
                    result.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    return result
                } else {
                    result.append(character)
                }
            }
            return result
        }
        let bare = text.range(of: " #").map { text[..<$0.lowerBound] } ?? text
        return bare.trimmingCharacters(in: .whitespaces)
    }
}
