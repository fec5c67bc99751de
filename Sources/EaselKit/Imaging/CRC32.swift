/// The CRC-32 that PNG chunks carry (ISO 3309 / ITU-T V.42, the same as zlib's `crc32`).
///
/// zlib is not importable as a Swift module here, and a chunk's checksum is all we need, so this is the
/// classic byte-at-a-time table version from the PNG specification's sample code.
struct CRC32 {
    private var state: UInt32 = 0xFFFF_FFFF

    /// Starts a checksum over no bytes.
    init() {}

    /// Feeds `bytes` into the checksum.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        var crc = state
        for byte in bytes {
            crc = CRC32.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        state = crc
    }

    /// The checksum of everything fed so far.
    var value: UInt32 { state ^ 0xFFFF_FFFF }

    /// The checksum of `bytes`.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    // Built once, lazily and thread-safely, like every global `static let`.
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }
}
