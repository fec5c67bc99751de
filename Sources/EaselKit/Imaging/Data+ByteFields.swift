import Foundation

// Fixed-width integer fields of image containers: PNG and JPEG are big-endian, RIFF (WebP) little-endian.
// Offsets count from the first byte of the value, so slices of a larger `Data` read the same as copies.

/// Bytes read by offset: a `Data` in memory, or a file read piece by piece (``FileBytes``), so that the
/// container walkers can look at a file's chunk headers without reading its image data.
protocol ByteFields {
    /// The number of bytes.
    var count: Int { get }
    /// The `count` bytes at `offset`, or nil when they run past the end (or cannot be read).
    func bytes(at offset: Int, count: Int) -> Data?
}

extension ByteFields {
    /// The byte at `offset`, or nil past the end.
    func byte(at offset: Int) -> UInt8? {
        bytes(at: offset, count: 1)?.first
    }

    /// The big-endian unsigned integer of `width` bytes at `offset`, or nil when it runs past the end.
    func bigEndian(at offset: Int, width: Int) -> Int? {
        guard let field = bytes(at: offset, count: width) else { return nil }
        return field.reduce(0) { $0 << 8 | Int($1) }
    }

    /// The little-endian unsigned integer of `width` bytes at `offset`, or nil when it runs past the end.
    func littleEndian(at offset: Int, width: Int) -> Int? {
        guard let field = bytes(at: offset, count: width) else { return nil }
        return field.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// Whether the bytes at `offset` are `prefix`.
    func hasBytes(_ prefix: some Collection<UInt8>, at offset: Int) -> Bool {
        guard let field = bytes(at: offset, count: prefix.count) else { return false }
        return field.elementsEqual(prefix)
    }
}

extension Data: ByteFields {
    /// The `count` bytes at `offset`, or nil when they run past the end.
    func bytes(at offset: Int, count: Int) -> Data? {
        guard offset >= 0, count >= 0, offset <= self.count - count else { return nil }
        return self[(startIndex + offset)..<(startIndex + offset + count)]
    }

    /// The byte at `offset`, or nil past the end.
    func byte(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < count else { return nil }
        return self[startIndex + offset]
    }
}

extension Data {
    /// Appends `value` as `width` big-endian bytes.
    mutating func appendBigEndian(_ value: Int, width: Int) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    /// Appends `value` as `width` little-endian bytes.
    mutating func appendLittleEndian(_ value: Int, width: Int) {
        for shift in stride(from: 0, to: width * 8, by: 8) {
            append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

}
