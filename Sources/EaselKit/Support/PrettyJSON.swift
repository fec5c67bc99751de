public import Foundation

/// Pretty-printed JSON (two spaces a level, keys sorted, slashes as they are) put together from
/// values encoded apart on every core: what `JSONEncoder` prints for the whole, at a
/// fraction of the time for the 10,000 items of a big gallery's report or `gallery.json`.
enum PrettyJSON {
    /// The encoder whose output this reproduces.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `bytes`, a value encoded alone, as it is printed `levels` levels deep: every line after the
    /// first indented by two spaces a level, but the empty line inside an empty array or object,
    /// which the encoder leaves empty. With `first`, the first line is indented too.
    /// Into an array, made Data once: a byte appended to Data at a time was a tenth of a
    /// 10,000-prompt render.
    static func indented(_ bytes: [UInt8], levels: Int, first: Bool = true) -> Data {
        let indent = [UInt8](repeating: 0x20, count: 2 * levels)
        var indented = first ? indent : []
        indented.reserveCapacity(bytes.count * 5 / 4)
        for (at, byte) in bytes.enumerated() {
            indented.append(byte)
            if byte == UInt8(ascii: "\n"), bytes.indices.contains(at + 1), bytes[at + 1] != UInt8(ascii: "\n") {
                indented.append(contentsOf: indent)
            }
        }
        return Data(indented)
    }
}

extension BuildReport {
    /// What `JSONEncoder` with ``PrettyJSON/encoder()`` prints for the report (`easel build
    /// --json`), with the prompts encoded in runs on every core: encoding 10,000 at once on one
    /// was a twentieth of a one-prompt rebuild of such a gallery.
    public func prettyJSON() throws -> Data {
        try assembledJSON() ?? PrettyJSON.encoder().encode(self)
    }

    /// ``prettyJSON()`` put together; nil for fewer than two prompts, or when the outline is not
    /// printed as expected. The prompts are ``encodedPrompts`` when the report has them.
    func assembledJSON() throws -> Data? {
        let encoder = PrettyJSON.encoder()
        guard prompts.count > 1 else { return nil }
        var rest = self
        rest.prompts = []
        let outline = try encoder.encode(rest)
        // The prompts' empty array, the only value of that key: `[` to the next `]`.
        let key = Data("\n  \"prompts\" : [".utf8)
        guard let found = outline.firstRange(of: key),
            let close = outline[found.upperBound...].firstIndex(of: UInt8(ascii: "]")),
            let elements = try encodedPrompts ?? promptsJSON()
        else { return nil }
        var json = Data(outline[..<found.upperBound])
        json.append(UInt8(ascii: "\n"))
        json.append(elements)
        json.append(contentsOf: Array("\n  ]".utf8))
        json.append(outline[outline.index(after: close)...])
        return json
    }

    /// The prompts as ``prettyJSON()`` prints them between the brackets of their array, encoded in
    /// runs on every core; nil for fewer than two, or when a run is not printed as expected.
    func promptsJSON() throws -> Data? {
        let encoder = PrettyJSON.encoder()
        guard prompts.count > 1 else { return nil }
        let prompts = self.prompts
        let size = max(1, (prompts.count + 31) / 32)
        // Each run encoded as an array (one encoder call per prompt cost more than it saved), its
        // brackets taken off and its lines put a level deeper.
        let runs = stride(from: 0, to: prompts.count, by: size)
            .map { Array(prompts[$0..<min(prompts.count, $0 + size)]) }
            .concurrentMap { run in
                Result { () throws -> Data? in
                    let bytes = Array(try encoder.encode(run))
                    guard bytes.count > 4, bytes.starts(with: Array("[\n".utf8)), bytes.suffix(2) == Array("\n]".utf8)
                    else { return nil }
                    return PrettyJSON.indented(Array(bytes[2..<(bytes.count - 2)]), levels: 1)
                }
            }
        var json = Data()
        for (index, run) in runs.enumerated() {
            guard let elements = try run.get() else { return nil }
            if index > 0 { json.append(contentsOf: Array(",\n".utf8)) }
            json.append(elements)
        }
        return json
    }
}
