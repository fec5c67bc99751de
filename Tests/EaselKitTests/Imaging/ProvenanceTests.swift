import Foundation
import Testing

@testable import EaselKit

extension ImagingTests {
    /// Embedding provenance into PNG, JPEG and WebP files, checked against libvips's own decoders.
    @Suite struct ProvenanceTests {
        static let provenance = Provenance(
            title: "Death Star over Kolochava — «draft»",
            prompt: "DS-1 <Death Star> & \"village\" at 'golden' hour — Коло́чава 🌄\nsecond line\r\nthird\tline",
            settings: [
                "model": "gpt-image-2", "size": "1024x1024", "quality": "high", "created": "2026-11-25T09:14:00Z",
                "prompt_file": "prompts/death-star.md", "cache_key": ImagingTests.key("3fa9"),
            ]
        )

        @Test(arguments: Fixture.allCases)
        func theResultStillDecodesToTheSameSize(fixture: Fixture) throws {
            let original = try fixture.make()
            let embedded = try Self.provenance.embed(into: original, format: fixture.format)
            #expect(embedded != original)
            #expect(try ImageInfo.read(data: embedded) == ImageInfo.read(data: original))
            #expect(try ImageInfo.read(data: embedded).width == 97)
            #expect(try ImageInfo.read(data: embedded).height == 61)
            #expect(try ImageInfo.read(data: embedded).format == fixture.format)
        }

        @Test(arguments: Fixture.allCases)
        func thePixelsAreUnchanged(fixture: Fixture) throws {
            let original = try fixture.make()
            let embedded = try Self.provenance.embed(into: original, format: fixture.format)
            #expect(try Vips.decodedPixels(of: embedded) == Vips.decodedPixels(of: original))
            for (x, y) in [(0, 0), (48, 30), (96, 60), (13, 57)] {
                #expect(try Vips.pixel(of: embedded, x: x, y: y) == Vips.pixel(of: original, x: x, y: y))
            }
        }

        @Test(arguments: Fixture.allCases)
        func whatWasEmbeddedReadsBack(fixture: Fixture) throws {
            let original = try fixture.make()
            #expect(Provenance.read(from: original, format: fixture.format) == nil)
            let embedded = try Self.provenance.embed(into: original, format: fixture.format)
            #expect(Provenance.read(from: embedded, format: fixture.format) == Self.provenance)
        }

        @Test(arguments: Fixture.allCases)
        func libvipsSeesTheXMP(fixture: Fixture) throws {
            let embedded = try Self.provenance.embed(into: fixture.make(), format: fixture.format)
            let xmp = try #require(try Vips.metadataBlob("xmp-data", of: embedded))
            let text = try #require(String(data: xmp, encoding: .utf8))
            #expect(text.contains("DS-1 &lt;Death Star&gt; &amp; &quot;village&quot; at &apos;golden&apos; hour"))
            #expect(text.contains("Коло́чава 🌄\nsecond line&#xD;\nthird\tline"))
            #expect(text.contains("<easel:model>gpt-image-2</easel:model>"))
            #expect(text.contains("<xmp:CreatorTool>Easel \(EaselVersion.current)</xmp:CreatorTool>"))
            #expect(XMPPacket.parse(xmp) == Self.provenance)
        }

        @Test func libvipsSeesThePNGTextChunkAsAComment() throws {
            let embedded = try Self.provenance.embed(into: Fixture.png.make(), format: "png")
            // libvips 8.14 (libpng) names text chunks png-comment-INDEX-KEYWORD; XMP's iTXt becomes xmp-data.
            let fields = try Vips.metadataFields(of: embedded)
            #expect(fields.contains("png-comment-0-easel"))
            #expect(fields.contains("xmp-data"))
            let json = try #require(try Vips.metadataString("png-comment-0-easel", of: embedded))
            #expect(
                json.hasPrefix(
                    #"{"title":"Death Star over Kolochava — «draft»","prompt":"DS-1 <Death Star> & \"village\""#
                )
            )
            #expect(Provenance(json: json) == Self.provenance)
        }

        @Test(arguments: Fixture.allCases)
        func embeddingTwiceGivesTheBytesOfEmbeddingOnce(fixture: Fixture) throws {
            let once = try Self.provenance.embed(into: fixture.make(), format: fixture.format)
            let twice = try Self.provenance.embed(into: once, format: fixture.format)
            #expect(twice == once)
        }

        @Test(arguments: Fixture.allCases)
        func embeddingAgainReplacesTheOldProvenance(fixture: Fixture) throws {
            let original = try fixture.make()
            var newer = Self.provenance
            newer.prompt = "a different prompt"
            newer.settings.removeLast()
            let replaced = try newer.embed(
                into: Self.provenance.embed(into: original, format: fixture.format),
                format: fixture.format
            )
            #expect(replaced == (try newer.embed(into: original, format: fixture.format)))
            #expect(Provenance.read(from: replaced, format: fixture.format) == newer)
            let xmp = try #require(try Vips.metadataBlob("xmp-data", of: replaced))
            #expect(!String(decoding: xmp, as: UTF8.self).contains("Death Star&gt;"))
        }

        @Test(arguments: [("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WebP")])
        func bytesOfAnotherKindAreAnErrorNamingTheLabel(format: String, name: String) throws {
            for garbage in [Data("<html>rate limited</html>".utf8), Data(), Data([0x89, 0x50, 0x4E, 0x47])] {
                let error = try #require(throws: ImagingError.self) {
                    try Self.provenance.embed(into: garbage, format: format, label: "cache/3f/3fa9.\(format)")
                }
                #expect(error.path == "cache/3f/3fa9.\(format)")
                #expect(error.message.hasPrefix("not a well-formed \(name) file: "))
                #expect(Provenance.read(from: garbage, format: format) == nil)
            }
        }

        @Test(arguments: [Fixture.png, .jpeg, .lossyWebP, .simpleLosslessWebP])
        func aFileWithAWrongSignatureIsAnError(fixture: Fixture) throws {
            var wrong = try fixture.make()
            wrong[1] ^= 0x20  // PNG → "\u{89}pNG", JPEG SOI → FF F8, "RIFF" → "RiFF"
            #expect(throws: ImagingError.self) { try Self.provenance.embed(into: wrong, format: fixture.format) }
            #expect(Provenance.read(from: wrong, format: fixture.format) == nil)
        }

        @Test(arguments: Fixture.allCases)
        func aCutShortFileIsAnError(fixture: Fixture) throws {
            let original = try fixture.make()
            // PNG and WebP are cut before their last chunk ends; a JPEG before its image data starts.
            let cut = fixture.format == "jpeg" ? original.prefix(40) : original.prefix(original.count - 20)
            let error = try #require(throws: ImagingError.self) {
                try Self.provenance.embed(into: cut, format: fixture.format)
            }
            #expect(error.message.hasSuffix("runs past the end"))
            #expect(Provenance.read(from: cut, format: fixture.format) == nil)
        }

        @Test(arguments: ["gif", "heif", "PNG", ""])
        func anUnknownFormatIsReturnedUnchanged(format: String) throws {
            let original = try Fixture.png.make()
            #expect(try Self.provenance.embed(into: original, format: format) == original)
            #expect(try Self.provenance.embed(into: Data("junk".utf8), format: format) == Data("junk".utf8))
            #expect(Provenance.read(from: original, format: format) == nil)
        }
    }
}
