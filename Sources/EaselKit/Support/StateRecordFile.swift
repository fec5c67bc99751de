import Foundation

/// A local state file of `.easel/` holding many JSON documents, one per line, after a header line
/// naming its format and the context it was made in (``ParseRecord``, ``CacheMemo``). Lines are
/// decoded on every core: one decoder call per line costs less than one for the whole file.
/// A file of another format or context, or one that cannot be read, is no file at all.
enum StateRecordFile {
    private struct Header: Codable {
        var format: String
        var context: String
    }

    /// The context every such file is made in: this Easel binary, and `parts` (folders, settings).
    static func context(_ parts: String...) -> String {
        var digest = InputDigest()
        digest.add("easel \(EaselVersion.current)")
        digest.add(SiteRenderer.executableIdentity)
        for part in parts { digest.add(part) }
        return digest.finalize()
    }

    /// The lines after the header, when the file at `url` is of `format` and made in `context`.
    static func lines(at url: URL, format: String, context: String) -> [Data]? {
        guard let data = try? BoundedRead.data(at: url.path, limit: Limits.parseRecordBytes).get() else { return nil }
        let lines = data.lines()
        guard let first = lines.first, let header = try? JSONDecoder().decode(Header.self, from: first),
            header.format == format, header.context == context
        else { return nil }
        return Array(lines.dropFirst())
    }

    /// Each line decoded as `T` on every core; nil for a line that does not decode.
    static func decode<T: Decodable & Sendable>(_ type: T.Type, _ lines: [Data], with decoder: JSONDecoder) -> [T?] {
        lines.concurrentMap { try? decoder.decode(T.self, from: $0) }
    }

    /// `items` as 16 JSON arrays, one per line, encoded on every core: one encoder call per
    /// item costs more than the item. Nil for an array that cannot be encoded.
    static func encodedInChunks<T: Encodable & Sendable>(_ items: [T], with encoder: JSONEncoder) -> [Data?] {
        let size = max(1, (items.count + 15) / 16)
        return stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min(items.count, $0 + size)]) }
            .concurrentMap { try? encoder.encode($0) }
    }

    /// The items of ``encodedInChunks(_:with:)``'s lines, in order; nil when a line does not decode.
    static func decodedChunks<T: Decodable & Sendable>(
        _ type: T.Type,
        _ lines: [Data],
        with decoder: JSONDecoder
    ) -> [T]? {
        let chunks = decode([T].self, lines, with: decoder)
        var items: [T] = []
        items.reserveCapacity(chunks.reduce(0) { $0 + ($1?.count ?? 0) })
        for chunk in chunks {
            guard let chunk else { return nil }
            items += chunk
        }
        return items
    }

    /// Writes the header and `lines` to `url` atomically, in the project's state folder; nothing
    /// when a line is missing (a failure only costs the next build its speed). `value`, what the lines
    /// decode to, is kept in ``StateFileMemory`` when it is on.
    static func write(
        _ lines: [Data?],
        format: String,
        context: String,
        to url: URL,
        in project: Project,
        value: (any Sendable)? = nil
    ) {
        guard var data = try? JSONEncoder().encode(Header(format: format, context: context)) else { return }
        for line in lines {
            guard let line else { return }
            data.append(UInt8(ascii: "\n"))
            data.append(line)
        }
        data.append(UInt8(ascii: "\n"))
        try? FileManager.default.createDirectory(at: project.stateFolder, withIntermediateDirectories: true)
        guard (try? AtomicFile.write(data, to: url, durable: false)) != nil else { return }
        if let value { StateFileMemory.remember(value, at: url, context: format + "\n" + context) }
    }

    /// The content of the file at `url`: what this process wrote or read there, when ``StateFileMemory`` keeps
    /// it and the file is still that one; otherwise `decode` of its lines (kept in turn), when it is of
    /// `format` and made in `context`. Nil when neither.
    static func value<T: Sendable>(
        at url: URL,
        format: String,
        context: String,
        decode: ([Data]) -> T?
    ) -> T? {
        if let kept = recall(T.self, at: url, format: format, context: context) { return kept }
        // Looked at before it is read: what is kept is what the file held when it looked so.
        let look = FileLook.of(url.path)
        guard let value = lines(at: url, format: format, context: context).flatMap(decode) else { return nil }
        StateFileMemory.remember(value, at: url, context: format + "\n" + context, readAs: look)
        return value
    }

    /// What ``write(_:format:context:to:in:value:)`` wrote to `url`, when this process keeps it and the file
    /// is still the one written.
    static func recall<T: Sendable>(_ type: T.Type, at url: URL, format: String, context: String) -> T? {
        StateFileMemory.recall(type, at: url, context: format + "\n" + context)
    }
}
