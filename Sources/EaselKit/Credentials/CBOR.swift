internal import CCbor
package import Foundation

/// A decoded CBOR data item (RFC 8949), as C2PA manifests hold them.
///
/// Decoded by libcbor's streaming decoder: libcbor reads the bytes (headers, lengths, floats),
/// and ``decode(_:)`` builds the tree on a stack of its own, bounded in depth and item count. Not
/// `cbor_load`: its tree is freed by recursion (`cbor_decref`), which a hostile manifest of a few
/// hundred kilobytes of nested arrays would take past the end of a thread's stack.
package indirect enum CBOR: Sendable, Equatable {
    case unsigned(UInt64)
    /// A negative integer, `-1 - n`.
    case negative(UInt64)
    case bytes(Data)
    case text(String)
    case array([CBOR])
    /// A map's pairs in the order they were written.
    case map([Pair])
    case tagged(UInt64, CBOR)
    case bool(Bool)
    case null
    case undefined
    case float(Double)

    package struct Pair: Sendable, Equatable {
        package var key: CBOR
        package var value: CBOR
    }

    /// What a manifest may hold: deeper or larger is refused, whatever its length in bytes.
    package static let maxDepth = 32
    package static let maxItems = 100_000

    /// Why bytes are not one CBOR item.
    package struct DecodingError: Error, CustomStringConvertible, Equatable {
        package var description: String
    }

    /// Decodes exactly one item from `data`.
    /// - Throws: ``DecodingError`` for malformed or truncated CBOR, trailing bytes, nesting past
    ///   ``maxDepth``, more than ``maxItems`` items, or text that is not UTF-8.
    package static func decode(_ data: Data) throws -> CBOR {
        let builder = Builder()
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress, !raw.isEmpty else {
                throw DecodingError(description: "no CBOR data")
            }
            var offset = 0
            var callbacks = Builder.callbacks
            while builder.result == nil {
                guard offset < raw.count else { throw DecodingError(description: "CBOR ends early") }
                // libcbor 0.8 (Debian 12) refuses the one-byte tag heads 0xC6...0xD4 as unassigned;
                // RFC 8949 assigns several of them (COSE_Sign1, C2PA's signature, is tag 18).
                if (0xC6...0xD4).contains(base[offset]) {
                    builder.open(.tag(UInt64(base[offset] - 0xC0)))
                    offset += 1
                    continue
                }
                let start = offset
                let step = withUnsafeMutablePointer(to: &callbacks) { pointer in
                    cbor_stream_decode(
                        base + offset,
                        raw.count - offset,
                        pointer,
                        Unmanaged.passUnretained(builder).toOpaque()
                    )
                }
                switch step.status {
                case CBOR_DECODER_FINISHED: offset += step.read
                case CBOR_DECODER_NEDATA: throw DecodingError(description: "CBOR ends early")
                default: throw DecodingError(description: "malformed CBOR at byte \(offset)")
                }
                if let problem = builder.problem { throw DecodingError(description: "\(problem) at byte \(start)") }
            }
            if offset != raw.count {
                throw DecodingError(description: "\(raw.count - offset) bytes after the CBOR item")
            }
        }
        return builder.result!
    }

    /// The bytes of a COSE `Sig_structure` for a COSE_Sign1 (RFC 9052 §4.4): `["Signature1",
    /// protected, external_aad (empty), payload]`, what its signature signs. Heads by libcbor.
    package static func signatureStructure(protected: Data, payload: Data) -> Data {
        var out = Data()
        func head(_ encode: (Int, UnsafeMutablePointer<UInt8>?, Int) -> Int, _ count: Int) {
            var buffer = [UInt8](repeating: 0, count: 9)
            let written = encode(count, &buffer, buffer.count)
            out.append(contentsOf: buffer[..<written])
        }
        head(cbor_encode_array_start, 4)
        head(cbor_encode_string_start, 10)
        out.append(contentsOf: "Signature1".utf8)
        head(cbor_encode_bytestring_start, protected.count)
        out.append(protected)
        head(cbor_encode_bytestring_start, 0)
        head(cbor_encode_bytestring_start, payload.count)
        out.append(payload)
        return out
    }

    // MARK: Reading values

    /// The value of text key `key` in a map; nil when this is not a map or has no such key.
    package subscript(_ key: String) -> CBOR? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.key == .text(key) }?.value
    }

    /// The value of integer key `key` in a map (COSE header labels).
    package subscript(label key: Int) -> CBOR? {
        guard case .map(let pairs) = self else { return nil }
        let wanted: CBOR = key >= 0 ? .unsigned(UInt64(key)) : .negative(UInt64(-1 - key))
        return pairs.first { $0.key == wanted }?.value
    }

    package var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    package var bytes: Data? {
        if case .bytes(let value) = self { return value }
        return nil
    }

    package var array: [CBOR]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// A non-negative integer that fits an `Int`.
    package var int: Int? {
        if case .unsigned(let value) = self, value <= UInt64(Int.max) { return Int(value) }
        return nil
    }

    /// The item inside any tags.
    package var untagged: CBOR {
        var item = self
        while case .tagged(_, let inner) = item { item = inner }
        return item
    }
}

extension CBOR {
    /// Collects libcbor's decoding events into a tree. Containers are open frames on `stack`; a
    /// finished item goes into the frame on top, or becomes the result. Frames are changed in
    /// place, so an array of n items or a string of n chunks costs O(n), not O(n²).
    fileprivate final class Builder {
        enum Kind: Equatable {
            case array, map
            case tag(UInt64)
            case bytes, text
        }

        struct Frame {
            var kind: Kind
            /// Items still to come (keys and values for a map), nil for an indefinite length.
            var remaining: UInt64?
            var items: [CBOR] = []
            /// The chunks of an indefinite string so far.
            var chunks = Data()
        }

        var stack: [Frame] = []
        var result: CBOR?
        var problem: String?
        var items = 0

        /// Adds a finished item to the open container, closing the containers it completes.
        func add(_ item: CBOR) {
            guard problem == nil else { return }
            items += 1
            guard items <= CBOR.maxItems else { return fail("more than \(CBOR.maxItems) CBOR items") }
            var item = item
            while let top = stack.indices.last {
                switch stack[top].kind {
                case .tag(let tag):
                    stack.removeLast()
                    item = .tagged(tag, item)
                case .bytes, .text:
                    return fail("a chunk of an indefinite string that is not a string")
                case .array, .map:
                    stack[top].items.append(item)
                    guard let remaining = stack[top].remaining else { return }
                    stack[top].remaining = remaining - 1
                    guard remaining == 1 else { return }
                    let frame = stack.removeLast()
                    item = frame.kind == .array ? .array(frame.items) : .map(Self.pairs(frame.items))
                }
            }
            if result != nil { return fail("a second CBOR item") }
            result = item
        }

        /// Opens a container; one of length zero is a finished item at once.
        func open(_ kind: Kind, remaining: UInt64? = nil) {
            guard problem == nil else { return }
            guard stack.count < CBOR.maxDepth else { return fail("CBOR nested deeper than \(CBOR.maxDepth)") }
            switch (kind, remaining) {
            case (.array, 0): add(.array([]))
            case (.map, 0): add(.map([]))
            default: stack.append(Frame(kind: kind, remaining: remaining))
            }
        }

        /// A definite string: a whole item, or a chunk of the indefinite string being read.
        func string(_ data: Data, text: Bool) {
            guard problem == nil else { return }
            guard let top = stack.indices.last, stack[top].kind == .bytes || stack[top].kind == .text else {
                return text ? addText(data) : add(.bytes(data))
            }
            guard stack[top].kind == (text ? .text : .bytes) else {
                return fail("a chunk of the wrong kind in an indefinite string")
            }
            stack[top].chunks.append(data)
        }

        func addText(_ data: Data) {
            guard let value = String(data: data, encoding: .utf8) else { return fail("CBOR text that is not UTF-8") }
            add(.text(value))
        }

        /// The end of an indefinite container or string.
        func indefiniteBreak() {
            guard problem == nil else { return }
            guard let top = stack.last, top.remaining == nil else {
                return fail("a CBOR break outside an indefinite item")
            }
            let frame = stack.removeLast()
            switch frame.kind {
            case .array: add(.array(frame.items))
            case .map:
                guard frame.items.count % 2 == 0 else { return fail("a CBOR map with a key and no value") }
                add(.map(Self.pairs(frame.items)))
            case .bytes: add(.bytes(frame.chunks))
            case .text: addText(frame.chunks)
            case .tag: fail("a CBOR break after a tag")
            }
        }

        func fail(_ message: String) {
            if problem == nil { problem = message }
        }

        static func pairs(_ items: [CBOR]) -> [Pair] {
            stride(from: 0, to: items.count - 1, by: 2).map { Pair(key: items[$0], value: items[$0 + 1]) }
        }

        static func from(_ context: UnsafeMutableRawPointer?) -> Builder {
            Unmanaged<Builder>.fromOpaque(context!).takeUnretainedValue()
        }

        /// A length libcbor gives as `size_t`, which Swift imports as `Int`: lengths of 2⁶³ and
        /// more arrive negative, and converting them traps (found by the bounded fuzz test).
        static func length(_ size: Int) -> UInt64 {
            UInt64(UInt(bitPattern: size))
        }

        /// Pair count of a definite map as an item count, refusing sizes that overflow.
        static func mapItems(_ pairs: Int) -> UInt64? {
            let (doubled, overflow) = length(pairs).multipliedReportingOverflow(by: 2)
            return overflow ? nil : doubled
        }

        static let callbacks: cbor_callbacks = {
            var callbacks = cbor_empty_callbacks
            callbacks.uint8 = { from($0).add(.unsigned(UInt64($1))) }
            callbacks.uint16 = { from($0).add(.unsigned(UInt64($1))) }
            callbacks.uint32 = { from($0).add(.unsigned(UInt64($1))) }
            callbacks.uint64 = { from($0).add(.unsigned($1)) }
            callbacks.negint8 = { from($0).add(.negative(UInt64($1))) }
            callbacks.negint16 = { from($0).add(.negative(UInt64($1))) }
            callbacks.negint32 = { from($0).add(.negative(UInt64($1))) }
            callbacks.negint64 = { from($0).add(.negative($1)) }
            // libcbor's names: `byte_string` is a definite string (or a chunk), `byte_string_start`
            // the start of an indefinite one; the same for `string`.
            callbacks.byte_string = { context, data, length in
                from(context).string(data.map { Data(bytes: $0, count: length) } ?? Data(), text: false)
            }
            callbacks.byte_string_start = { from($0).open(.bytes) }
            callbacks.string = { context, data, length in
                from(context).string(data.map { Data(bytes: $0, count: length) } ?? Data(), text: true)
            }
            callbacks.string_start = { from($0).open(.text) }
            callbacks.array_start = { from($0).open(.array, remaining: length($1)) }
            callbacks.indef_array_start = { from($0).open(.array) }
            callbacks.map_start = { context, pairs in
                let builder = from(context)
                guard let items = mapItems(pairs) else { return builder.fail("a CBOR map too large") }
                builder.open(.map, remaining: items)
            }
            callbacks.indef_map_start = { from($0).open(.map) }
            callbacks.tag = { from($0).open(.tag($1)) }
            callbacks.float2 = { from($0).add(.float(Double($1))) }
            callbacks.float4 = { from($0).add(.float(Double($1))) }
            callbacks.float8 = { from($0).add(.float($1)) }
            callbacks.undefined = { from($0).add(.undefined) }
            callbacks.null = { from($0).add(.null) }
            callbacks.boolean = { from($0).add(.bool($1)) }
            callbacks.indef_break = { from($0).indefiniteBreak() }
            return callbacks
        }()
    }
}
