import Foundation
import NIOConcurrencyHelpers

/// Each prompt's row of `gallery.json` and of `search-index.js` as the last render encoded it
/// (`.easel/rows`), by the digest of what the row is made from (``SiteRenderer/itemDigest(_:)``):
/// a change to one prompt encodes one row of each, not 10,000 (JSONEncoder took a third of a
/// one-prompt rebuild). The file is made in the context of ``SiteRenderer/rowsDigest()`` (the Easel
/// binary and the models' default sizes: what a row shows besides its item), so a new title or
/// theme encodes no row, and another Easel every row.
///
/// Local state: safe to delete, never committed, and a file of another Easel or model table is no
/// file. Its format is bytes, not JSON, so that reading it costs no decoding: a header line,
/// then for each row a line "<kind><digest> <length>" and that many bytes.
final class RowMemo: Sendable {
    static let format = "easel-rows 1"

    /// What a row is: a prompt of `gallery.json`, or a row of `search-index.js`.
    enum Kind: String, Sendable, CaseIterable {
        case gallery = "g"
        case search = "s"
    }

    /// Nil for a memo kept in memory only (``init(rows:digests:)``).
    private let location: URL?
    private let context: String
    /// Each item's digest, in the order of the render's items.
    private let digests: [String]
    private let old: [String: Data]
    /// The rows of this render, by key; and whether any was encoded now.
    private let made = NIOLockedValueBox<(rows: [String: Data], encoded: Set<Kind>, new: Bool)>(([:], [], false))

    /// The memo of `project`, for a render whose shared digest is `shared` and whose items
    /// digest as `digests`; empty when there is none, it cannot be read, or it is another's.
    init(project: Project, shared: String, digests: [String]) {
        let location = project.stateFolder.appendingPathComponent("rows")
        self.location = location
        // Rows go into gallery.json and search-index.js as they are, found by digests anyone can
        // compute, and a context anyone could guess (an installed release's path, size and time):
        // a cloned gallery's .easel/rows would have been taken. The memo is bound to this .easel/
        // folder, by its device and inode, which no clone or copy has.
        let folder = FileLook.of(project.stateFolder.path).map { "\($0.device):\($0.inode)" } ?? "-"
        context = StateRecordFile.context(shared, folder)
        self.digests = digests
        old = Self.read(location, context: context)
    }

    /// A memo of `rows` (``current()`` of an earlier render of the same shared digest), for a render
    /// whose items digest as `digests`, that is never saved: `easel serve`'s patches. It keeps only
    /// the rows it encodes (``new()``): the caller has the rest.
    init(rows: [String: Data], digests: [String]) {
        location = nil
        context = ""
        self.digests = digests
        old = rows
    }

    /// The rows a memo kept in memory encoded in this render, by key (the only ones it records).
    func new() -> [String: Data] {
        made.withLockedValue { $0.rows }
    }

    /// Item `index`'s row of `kind`: the remembered one, or `encode()`.
    func row(_ kind: Kind, _ index: Int, encode: () throws -> Data) rethrows -> Data {
        let key = kind.rawValue + digests[index]
        let row: Data
        var new = false
        if let remembered = old[key] {
            row = remembered
        } else {
            row = try encode()
            new = true
        }
        // A memo kept in memory has the rows it was given: 20,000 of them taken under a lock again
        // were a tenth of a patch.
        if location != nil || new {
            made.withLockedValue {
                $0.rows[key] = row
                $0.new = $0.new || new
            }
        }
        return row
    }

    /// Notes that every row of `kind` was asked for (its data file was encoded).
    func encoded(_ kind: Kind) {
        made.withLockedValue { _ = $0.encoded.insert(kind) }
    }

    /// The rows of this render, with the remembered rows of a kind not encoded this time whose item
    /// is still there.
    func current() -> [String: Data] {
        current(made.withLockedValue { $0 }).rows
    }

    private func current(
        _ made: (rows: [String: Data], encoded: Set<Kind>, new: Bool)
    ) -> (rows: [String: Data], changed: Bool) {
        let present = Set(digests)
        var kept = made.rows
        for (key, row) in old {
            // A memo kept in memory records only the rows it encodes: the others are all still rows.
            guard let kind = key.first.flatMap({ Kind(rawValue: String($0)) }),
                location == nil || !made.encoded.contains(kind),
                present.contains(String(key.dropFirst()))
            else { continue }
            kept[key] = row
        }
        return (kept, made.new || kept.count != old.count)
    }

    /// Writes ``current()``; nothing when no row is new and none is gone, or no data file was encoded.
    func save(in project: Project) {
        let made = made.withLockedValue { $0 }
        guard let location, !made.encoded.isEmpty else { return }
        let (kept, changed) = current(made)
        guard changed else { return }
        // Written part by part: the rows are slices of the file read, not copied into a new one.
        var parts = [Data("\(Self.format) \(context)\n".utf8)]
        for key in kept.keys.sorted() {
            let row = kept[key]!
            parts.append(Data("\(key) \(row.count)\n".utf8))
            parts.append(row)
        }
        try? AtomicFile.write(parts: parts, to: location, durable: false)
    }

    /// The rows in the file at `url` made in `context`; none for anything else.
    private static func read(_ url: URL, context: String) -> [String: Data] {
        let header = Data("\(format) \(context)\n".utf8)
        // The header first: a site-wide change makes every row stale, and the 20 MB of a
        // 10,000-prompt memo are then not read at all (they were a sixth of the peak memory).
        guard let head = try? BoundedRead.head(at: url.path, count: header.count).get(),
            head.bytes.elementsEqual(header),
            let data = try? BoundedRead.data(at: url.path, limit: Limits.parseRecordBytes).get(),
            data.starts(with: header)
        else { return [:] }
        var rows: [String: Data] = [:]
        var at = data.startIndex + header.count
        while at < data.endIndex {
            guard let newline = data[at...].firstIndex(of: UInt8(ascii: "\n")) else { return [:] }
            let fields = data[at..<newline].split(separator: UInt8(ascii: " "))
            guard fields.count == 2, let key = String(bytes: fields[0], encoding: .utf8),
                let length = Int(String(decoding: fields[1], as: UTF8.self)), length >= 0,
                length <= data.endIndex - (newline + 1)
            else { return [:] }
            rows[key] = data[(newline + 1)..<(newline + 1 + length)]
            at = newline + 1 + length
        }
        return rows
    }
}
