package import Foundation

/// A JUMBF box (ISO/IEC 19566-5), the container C2PA manifests are stored in: a superbox (`jumb`)
/// holds a description box (`jumd`: content type UUID, label) and content boxes (`cbor`, `json`,
/// nested superboxes…).
///
/// Parsed from untrusted bytes: every length is checked against what is left, nesting stops at
/// ``maxDepth`` and the number of boxes at ``maxBoxes``, so any input parses or throws.
package struct JUMBFBox: Sendable, Equatable {
    /// The box type, e.g. "jumb", "cbor".
    package var type: String
    /// The content after the box header (for a superbox: the description and the children).
    package var payload: Data
    /// For a superbox: its description's label ("c2pa", "c2pa.claim.v2"…), nil when it has none.
    package var label: String?
    /// For a superbox: its description's content type.
    package var contentType: UUID?
    /// For a superbox: the boxes after the description.
    package var children: [JUMBFBox]

    package static let maxDepth = 8
    package static let maxBoxes = 10_000

    package struct ParseError: Error, CustomStringConvertible, Equatable {
        package var description: String
    }

    /// The boxes in `data`, which must be boxes from start to end.
    package static func parse(_ data: Data) throws -> [JUMBFBox] {
        var count = 0
        return try parse(data, depth: 0, count: &count)
    }

    private static func parse(_ data: Data, depth: Int, count: inout Int) throws -> [JUMBFBox] {
        guard depth <= maxDepth else { throw ParseError(description: "JUMBF boxes nested deeper than \(maxDepth)") }
        var boxes: [JUMBFBox] = []
        var offset = data.startIndex
        while offset < data.endIndex {
            count += 1
            guard count <= maxBoxes else { throw ParseError(description: "more than \(maxBoxes) JUMBF boxes") }
            let left = data.endIndex - offset
            guard left >= 8 else { throw ParseError(description: "a JUMBF box header cut short") }
            let size32 = data.bigEndianUInt32(at: offset - data.startIndex)
            let type = String(decoding: data[(offset + 4)..<(offset + 8)], as: UTF8.self)
            var header = 8
            var size: UInt64
            switch size32 {
            case 0:
                size = UInt64(left)  // to the end
            case 1:
                guard left >= 16 else { throw ParseError(description: "a JUMBF box's large size cut short") }
                size =
                    UInt64(data.bigEndianUInt32(at: offset + 8 - data.startIndex)) << 32
                    | UInt64(data.bigEndianUInt32(at: offset + 12 - data.startIndex))
                header = 16
            default:
                size = UInt64(size32)
            }
            guard size >= UInt64(header), size <= UInt64(left) else {
                throw ParseError(
                    description: "a JUMBF '\(Console.printable(type))' box of \(size) bytes where \(left) are left"
                )
            }
            let payload = data[(offset + header)..<(offset + Int(size))]
            var box = JUMBFBox(type: type, payload: Data(payload), label: nil, contentType: nil, children: [])
            if type == "jumb" {
                let inner = try parse(Data(payload), depth: depth + 1, count: &count)
                guard let description = inner.first, description.type == "jumd" else {
                    throw ParseError(description: "a JUMBF superbox without a description box")
                }
                (box.contentType, box.label) = try Self.describe(description.payload)
                box.children = Array(inner.dropFirst())
            }
            boxes.append(box)
            offset += Int(size)
        }
        return boxes
    }

    /// The content type and label of a description box's payload.
    private static func describe(_ payload: Data) throws -> (UUID, String?) {
        let bytes = [UInt8](payload)
        guard bytes.count >= 17 else { throw ParseError(description: "a JUMBF description box cut short") }
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
        let toggles = bytes[16]
        guard toggles & 0x02 != 0 else { return (uuid, nil) }
        let rest = bytes[17...]
        guard let end = rest.firstIndex(of: 0) else {
            throw ParseError(description: "a JUMBF label without its terminating zero")
        }
        guard let label = String(bytes: rest[..<end], encoding: .utf8) else {
            throw ParseError(description: "a JUMBF label that is not UTF-8")
        }
        return (uuid, label)
    }

    /// The first child superbox labelled `label`.
    package func child(_ label: String) -> JUMBFBox? {
        children.first { $0.label == label }
    }

    /// The payload of the first content box of type `type` ("cbor", "json").
    package func content(_ type: String) -> Data? {
        children.first { $0.type == type }?.payload
    }
}

extension Data {
    /// The big-endian 32-bit value at `offset` from the start (the caller checked the bounds).
    fileprivate func bigEndianUInt32(at offset: Int) -> UInt32 {
        let start = startIndex + offset
        return self[start..<(start + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
