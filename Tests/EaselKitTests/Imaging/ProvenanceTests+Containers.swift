import Foundation
import Testing

@testable import EaselKit

extension ImagingTests.ProvenanceTests {
    /// Where each container format gets its metadata, byte by byte.
    @Suite struct Containers {
        typealias Fixture = ImagingTests.ProvenanceTests.Fixture
        let provenance = ImagingTests.ProvenanceTests.provenance

        @Test func pngTextChunksComeRightAfterIHDRWithValidCRCs() throws {
            let embedded = try provenance.embed(into: Fixture.png.make(), format: "png")
            var chunks: [(type: String, body: Data)] = []
            var offset = 8
            while let length = embedded.bigEndian(at: offset, width: 4) {
                let typeAndBody = try #require(embedded.bytes(at: offset + 4, count: 4 + length))
                #expect(embedded.bigEndian(at: offset + 8 + length, width: 4) == Int(CRC32.checksum(typeAndBody)))
                chunks.append((String(decoding: typeAndBody.prefix(4), as: UTF8.self), Data(typeAndBody.dropFirst(4))))
                offset += 12 + length
            }
            #expect(offset == embedded.count)
            #expect(chunks.prefix(3).map(\.type) == ["IHDR", "iTXt", "iTXt"])
            #expect(chunks[1].body.starts(with: Data("easel\0\0\0\0\0{\"title\":".utf8)))
            #expect(chunks[2].body.starts(with: Data("XML:com.adobe.xmp\0\0\0\0\0<?xpacket begin=".utf8)))
            #expect(chunks.last?.type == "IEND")
        }

        @Test func crc32MatchesTheStandardCheckValue() {
            #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
            #expect(CRC32.checksum(Data()) == 0)
        }

        @Test(arguments: [Fixture.strippedJPEG, .jfifJPEG, .jpeg])
        func jpegXMPGoesAfterJFIFAndExifInOneSegment(fixture: Fixture) throws {
            let original = try fixture.make()
            // What must stay in front of the XMP: SOI, then a JFIF APP0 (18 bytes) or libvips's Exif APP1.
            let start =
                switch fixture {
                case .jfifJPEG: 2 + 18
                case .jpeg: try 2 + 2 + #require(original.bigEndian(at: 4, width: 2))
                default: 2
                }
            let embedded = try provenance.embed(into: original, format: "jpeg")
            #expect(embedded.prefix(start) == original.prefix(start))
            #expect(embedded.hasBytes([0xFF, 0xE1], at: start))
            #expect(embedded.hasBytes(Data("http://ns.adobe.com/xap/1.0/\0<?xpacket".utf8), at: start + 4))
            let length = try #require(embedded.bigEndian(at: start + 2, width: 2))
            // Everything after the XMP segment is the rest of the original file, byte for byte.
            #expect(embedded.dropFirst(start + 2 + length).elementsEqual(original.dropFirst(start)))
        }

        @Test func aJPEGPromptTooLongForOneSegmentIsCutWithAnEllipsis() throws {
            var long = provenance
            long.prompt = String(repeating: "Коло́чава <&> ", count: 4_000)  // ~100 kB once escaped
            let embedded = try long.embed(into: Fixture.jpeg.make(), format: "jpeg")
            let read = try #require(Provenance.read(from: embedded, format: "jpeg"))
            #expect(read.prompt.hasSuffix("…"))
            #expect(long.prompt.hasPrefix(read.prompt.dropLast()))
            #expect(read.prompt.count > 10_000)
            #expect(read.settings == long.settings)
            let xmp = try #require(try Vips.metadataBlob("xmp-data", of: embedded))
            #expect(xmp.count <= 65_502)
            #expect(xmp.count > 65_400)
            #expect(try Vips.decodedPixels(of: embedded) == Vips.decodedPixels(of: Fixture.jpeg.make()))
            // PNG and WebP chunks have no such limit.
            let png = try long.embed(into: Fixture.png.make(), format: "png")
            #expect(Provenance.read(from: png, format: "png") == long)
        }

        @Test func aJPEGWhoseSettingsAloneOverflowASegmentIsAnError() throws {
            var huge = provenance
            huge.settings.append(.init(key: "notes", value: String(repeating: "x", count: 70_000)))
            let error = try #require(throws: ImagingError.self) {
                try huge.embed(into: Fixture.jpeg.make(), format: "jpeg", label: "site/x.jpg")
            }
            #expect(error.description.hasPrefix("cannot make XMP for site/x.jpg: "))
        }

        @Test(arguments: [Fixture.simpleLossyWebP, .simpleLosslessWebP])
        func aSimpleWebPBecomesExtendedWithTheCanvasSize(fixture: Fixture) throws {
            let original = try fixture.make(width: 301, height: 199)
            #expect(original.hasBytes(Data((fixture == .simpleLossyWebP ? "VP8 " : "VP8L").utf8), at: 12))
            let embedded = try provenance.embed(into: original, format: "webp")
            #expect(embedded.hasBytes(Data("RIFF".utf8), at: 0))
            #expect(embedded.littleEndian(at: 4, width: 4) == embedded.count - 8)
            #expect(embedded.count % 2 == 0)
            #expect(embedded.hasBytes(Data("VP8X".utf8), at: 12))
            #expect(embedded.littleEndian(at: 16, width: 4) == 10)
            #expect(embedded.byte(at: 20) == 0x04)  // XMP only: the fixture has no alpha
            #expect(embedded.littleEndian(at: 24, width: 3) == 300)
            #expect(embedded.littleEndian(at: 27, width: 3) == 198)
            // The bitstream chunk follows unchanged, then the XMP chunk.
            let rest = embedded.dropFirst(30)
            #expect(rest.starts(with: original.dropFirst(12)))
            #expect(rest.dropFirst(original.count - 12).starts(with: Data("XMP ".utf8)))
        }

        @Test func aSimpleLosslessWebPWithAlphaGetsTheAlphaFlag() throws {
            let mask = try MaskMaker.rectangleMask(width: 65, height: 33, rect: (x: 4, y: 4, width: 9, height: 9))
            let original = try Fixture.encode(mask, as: .simpleLosslessWebP)
            #expect(try ImageInfo.read(data: original).hasAlpha)
            let embedded = try provenance.embed(into: original, format: "webp")
            #expect(embedded.byte(at: 20) == 0x14)  // alpha and XMP
            #expect(try ImageInfo.read(data: embedded).hasAlpha)
            #expect(try Vips.decodedPixels(of: embedded) == Vips.decodedPixels(of: original))
        }

        @Test(arguments: [Fixture.lossyWebP, .losslessWebP])
        func anExtendedWebPKeepsItsChunksAndGainsTheXMPFlag(fixture: Fixture) throws {
            let mask = try MaskMaker.rectangleMask(width: 65, height: 33, rect: (x: 4, y: 4, width: 9, height: 9))
            let original = try Fixture.encode(mask, as: fixture)  // with alpha; lossy adds an ALPH chunk
            #expect(original.hasBytes(Data("VP8X".utf8), at: 12))
            let flags = try #require(original.byte(at: 20))
            #expect(flags & 0x18 == 0x18)  // alpha and EXIF
            let embedded = try provenance.embed(into: original, format: "webp")
            #expect(embedded.byte(at: 20) == flags | 0x04)
            // Every chunk after the VP8X flags is kept as it was, and the XMP chunk follows them.
            #expect(embedded.dropFirst(21).starts(with: original.dropFirst(21)))
            #expect(embedded.dropFirst(original.count).starts(with: Data("XMP ".utf8)))
            #expect(embedded.littleEndian(at: 4, width: 4) == embedded.count - 8)
            #expect(Provenance.read(from: embedded, format: "webp") == provenance)
            #expect(try Vips.decodedPixels(of: embedded) == Vips.decodedPixels(of: original))
        }

        @Test(arguments: [0, 1])
        func webPChunksArePaddedToEvenSizes(extraCharacters: Int) throws {
            var odd = provenance
            odd.title += String(repeating: "x", count: extraCharacters)  // one of the two packets has an odd size
            let embedded = try odd.embed(into: Fixture.losslessWebP.make(), format: "webp")
            #expect(embedded.count % 2 == 0)
            #expect(embedded.littleEndian(at: 4, width: 4) == embedded.count - 8)
            #expect(Provenance.read(from: embedded, format: "webp") == odd)
            #expect(try Vips.metadataBlob("xmp-data", of: embedded) == XMPPacket(odd).data())
        }
    }
}
