import Foundation

@testable import EaselKit

/// Image files a hostile server sends, made in the test: no fixture is stored.
enum HostileImages {
    /// A valid RGB PNG of random pixels, stored without compression: `width × height × 3` bytes and
    /// a little more, so a large image costs no time to make and nothing to compress away.
    static func noisePNG(width: Int, height: Int, seed: UInt64 = 1) -> Data {
        var generator = SeededGenerator(seed: seed)
        var raw = [UInt8]()
        raw.reserveCapacity((width * 3 + 1) * height)
        for _ in 0..<height {
            raw.append(0)  // filter: none
            for _ in 0..<(width * 3) { raw.append(UInt8(truncatingIfNeeded: generator.next())) }
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, raw.count - offset)
            let final: UInt8 = offset + count == raw.count ? 1 : 0
            zlib.append(final)
            zlib += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            zlib += raw[offset..<(offset + count)]
            offset += count
        } while offset < raw.count
        zlib += bigEndian(adler32(raw), width: 4)
        return png(width: width, height: height, colourType: 2, idat: zlib)
    }

    /// A PNG whose header claims `width × height` (8-bit grey) but whose data holds one row.
    static func lyingPNG(width: Int, height: Int) -> Data {
        let row = [UInt8](repeating: 0, count: 1 + min(width, 4096))
        var zlib: [UInt8] = [0x78, 0x01, 0x00]
        let count = row.count
        zlib += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
        zlib += row
        return png(width: width, height: height, colourType: 0, idat: zlib)
    }

    private static func png(width: Int, height: Int, colourType: UInt8, idat: [UInt8]) -> Data {
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let header = bigEndian(width, width: 4) + bigEndian(height, width: 4) + [8, colourType, 0, 0, 0]
        for (type, body) in [("IHDR", header), ("IDAT", idat), ("IEND", [])] {
            data += bigEndian(body.count, width: 4)
            let typed = Array(type.utf8) + body
            data += typed
            data += bigEndian(Int(CRC32.checksum(typed)), width: 4)
        }
        return data
    }

    private static func adler32(_ bytes: [UInt8]) -> Int {
        var (a, b) = (1, 0)
        for byte in bytes {
            a = (a + Int(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    private static func bigEndian(_ value: Int, width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
