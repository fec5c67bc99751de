/// A prompt file split into its YAML front matter and its Markdown body.
struct FrontMatter: Sendable, Equatable {
    /// The YAML between the `---` fences, or nil when the file has no front matter.
    var yaml: String?
    /// Line of the file on which the YAML starts (2 when it opens on line 1).
    var yamlFirstLine: Int
    /// Everything after the closing fence.
    var body: String
    /// Line of the file on which the body starts.
    var bodyFirstLine: Int

    /// Splits `file`. Front matter opens with `---` on the first line and closes with `---` or `...`.
    /// - Returns: the parts, or a diagnostic when the front matter is never closed.
    static func split(_ file: TextFile) -> Result<FrontMatter, Diagnostic> {
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, isFence(first, opening: true) else {
            return .success(FrontMatter(yaml: nil, yamlFirstLine: 1, body: file.text, bodyFirstLine: 1))
        }
        guard let close = lines.indices.dropFirst().first(where: { isFence(lines[$0], opening: false) }) else {
            return .failure(
                .error(
                    "the front matter opened here is never closed; add a line '---' after the last setting",
                    at: .init(path: file.path, line: 1, column: 1)
                )
            )
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let body = lines[(close + 1)...].joined(separator: "\n")
        return .success(FrontMatter(yaml: yaml, yamlFirstLine: 2, body: body, bodyFirstLine: close + 2))
    }

    private static func isFence(_ line: Substring, opening: Bool) -> Bool {
        var line = line
        while line.last == " " || line.last == "\t" { line = line.dropLast() }
        return line == "---" || (!opening && line == "...")
    }
}
