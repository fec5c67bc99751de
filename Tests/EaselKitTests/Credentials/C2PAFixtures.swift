import Foundation

/// The images of Tests/EaselKitTests/Credentials/Fixtures, signed by c2pa-python
/// (scripts/make-c2pa-fixtures.py): signed.png, signed.jpg, signed.webp and edited.png carry a
/// time stamp of 2026-05-20T12:00:00Z, untimed.png none, plain.png no credentials at all.
enum C2PAFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    /// 2026-05-20T12:00:00Z, the time the fixtures' time-stamp authority stamps.
    static let signingTime = Date(timeIntervalSince1970: 1_779_278_400)

    /// The subject of the fixtures' signing certificate, short.
    static let signer = "Easel Test Signer (Easel Tests)"

    /// The offset of the first byte of pixel data of a PNG (inside its first IDAT chunk).
    static func firstIDATByte(of png: Data) -> Int? {
        var offset = 8
        while offset + 8 <= png.count {
            let length = png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            if png[(offset + 4)..<(offset + 8)].elementsEqual("IDAT".utf8) { return offset + 8 + length / 2 }
            offset += 12 + length
        }
        return nil
    }
}
