import Foundation

/// A project text file read for parsing: UTF-8, newlines normalised to `\n`, byte-order mark dropped.
struct TextFile: Sendable {
    /// Path inside the project, used in diagnostics.
    var path: String
    var text: String

    /// Reads and decodes `url`: a regular file (not a link) of at most `limit` bytes.
    /// - Returns: the file, or a diagnostic saying why it is not a text file Easel reads.
    static func read(_ url: URL, path: String, limit: Int) -> Result<TextFile, Diagnostic> {
        switch BoundedRead.data(at: url.path, limit: limit) {
        case .success(let data):
            return decode(data, path: path)
        case .failure(.tooLarge(let size)):
            return .failure(
                .error(
                    "the file is \(Self.kibibytes(size)); Easel reads at most \(Self.kibibytes(limit)) here",
                    at: .init(path: path)
                )
            )
        case .failure(let problem):
            return .failure(.error("cannot read this file: it \(problem.reason)", at: .init(path: path)))
        }
    }

    /// "64 KiB", "1,024 KiB".
    static func kibibytes(_ bytes: Int) -> String {
        "\(((bytes + 1023) / 1024).formatted()) KiB"
    }

    /// Decodes `data`, rejecting binary content (NUL bytes or invalid UTF-8) with its position.
    static func decode(_ data: Data, path: String) -> Result<TextFile, Diagnostic> {
        let bytes = [UInt8](data)
        if let nul = bytes.firstIndex(of: 0) {
            return .failure(
                .error(
                    "this is a binary file, not Markdown; prompt files must be UTF-8 text"
                        + " (remove it from prompts/ or give it another extension than .md)",
                    at: location(ofByte: nul, in: bytes, path: path)
                )
            )
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8Offset(bytes)
            return .failure(
                .error(
                    "the file is not valid UTF-8 (byte \(offset)); save it as UTF-8 text",
                    at: location(ofByte: offset, in: bytes, path: path)
                )
            )
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.contains("\r") {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return .success(TextFile(path: path, text: text))
    }

    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        // Decode longer and longer prefixes is quadratic; instead walk with the transcoder.
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }

    private static func location(ofByte offset: Int, in bytes: [UInt8], path: String) -> SourceLocation {
        let before = bytes[..<offset]
        let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return SourceLocation(path: path, line: line, column: offset - lineStart + 1)
    }
}
