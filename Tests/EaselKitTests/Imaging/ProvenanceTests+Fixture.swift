import Foundation
import Testing

@testable import EaselKit

extension ImagingTests.ProvenanceTests {
    /// A fixture file: how it is encoded, and how to make it from a placeholder PNG with libvips.
    enum Fixture: String, CaseIterable, CustomTestStringConvertible {
        /// libvips's PNG: IHDR, pHYs, IDAT…, IEND.
        case png
        /// libvips's JPEG: SOI, an Exif APP1, then the tables.
        case jpeg
        /// A JPEG with a JFIF APP0 segment, as most other encoders write, and nothing else before the tables.
        case jfifJPEG
        /// A JPEG with no APP segment at all.
        case strippedJPEG
        /// libvips's lossy WebP: already extended (VP8X, VP8, EXIF).
        case lossyWebP
        /// libvips's lossless WebP: already extended (VP8X, VP8L, EXIF).
        case losslessWebP
        /// A simple lossy WebP: one VP8 chunk, as the Images API returns.
        case simpleLossyWebP
        /// A simple lossless WebP: one VP8L chunk.
        case simpleLosslessWebP

        var format: String {
            switch self {
            case .png: "png"
            case .jpeg, .jfifJPEG, .strippedJPEG: "jpeg"
            case .lossyWebP, .losslessWebP, .simpleLossyWebP, .simpleLosslessWebP: "webp"
            }
        }

        var testDescription: String { rawValue }

        /// The fixture, 97×61 unless told: odd sizes catch off-by-one canvas and padding errors.
        func make(width: Int = 97, height: Int = 61) throws -> Data {
            let png = try PlaceholderRenderer.renderSync(
                prompt: "fixture",
                width: width,
                height: height,
                key: ImagingTests.key("ab")
            )
            return try Self.encode(png, as: self)
        }

        /// `png` (any PNG, e.g. a mask with alpha) encoded as `fixture`.
        static func encode(_ png: Data, as fixture: Fixture) throws -> Data {
            switch fixture {
            case .png: return png
            case .jpeg: return try Vips.jpeg(from: png)
            case .jfifJPEG:
                let stripped = try Vips.jpeg(from: png, strip: true)
                // APP0: "JFIF\0", version 1.1, no units, 1:1 density, no thumbnail.
                let app0: [UInt8] = [0xFF, 0xE0, 0, 16] + Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0]
                return stripped.prefix(2) + app0 + stripped.dropFirst(2)
            case .strippedJPEG: return try Vips.jpeg(from: png, strip: true)
            case .lossyWebP: return try Vips.webp(from: png, lossless: false)
            case .losslessWebP: return try Vips.webp(from: png, lossless: true)
            case .simpleLossyWebP: return try simple(Vips.webp(from: png, lossless: false))
            case .simpleLosslessWebP: return try simple(Vips.webp(from: png, lossless: true))
            }
        }

        /// The image chunk of an extended WebP rewrapped alone in a RIFF container: a simple-format file.
        private static func simple(_ webp: Data) throws -> Data {
            var offset = 12
            while let fourCC = webp.bytes(at: offset, count: 4), let size = webp.littleEndian(at: offset + 4, width: 4)
            {
                if fourCC.elementsEqual("VP8 ".utf8) || fourCC.elementsEqual("VP8L".utf8) {
                    let chunk = try #require(webp.bytes(at: offset, count: 8 + size)) + (size % 2 == 1 ? [0] : [])
                    var simple = Data("RIFF".utf8)
                    simple.appendLittleEndian(4 + chunk.count, width: 4)
                    return simple + Data("WEBP".utf8) + chunk
                }
                offset += 8 + size + size % 2
            }
            Issue.record("no VP8 or VP8L chunk in libvips's WebP")
            return webp
        }
    }
}
