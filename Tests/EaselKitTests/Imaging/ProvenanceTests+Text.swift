import Foundation
import Testing

@testable import EaselKit

extension ImagingTests.ProvenanceTests {
    /// The JSON and XMP texts, and metadata that other tools wrote before Easel.
    @Suite struct Text {
        typealias Fixture = ImagingTests.ProvenanceTests.Fixture
        let provenance = ImagingTests.ProvenanceTests.provenance

        static let awkwardTexts = [
            "", "plain", "quote \" backslash \\ slash / apostrophe ' <tag> &amp; literally",
            "tab\t cr\r lf\n crlf\r\n end", "emoji 🌄, combining é, flag 🇺🇦, U+2028 \u{2028}",
            "  leading and trailing spaces  ",
        ]

        @Test(arguments: awkwardTexts)
        func anyTextRoundTripsThroughJSONAndXMP(text: String) throws {
            let value = Provenance(title: text, prompt: text, settings: ["note": text, "empty": ""])
            #expect(Provenance(json: value.json) == value)
            let packet = try #require(XMPPacket(value).data())
            #expect(XMPPacket.parse(packet) == value)
        }

        @Test func controlCharactersXMLCannotHoldAreDroppedFromXMPOnly() throws {
            let value = Provenance(title: "bell\u{7}", prompt: "nul\u{0} esc\u{1B}", settings: [])
            #expect(Provenance(json: value.json) == value)
            #expect(value.json.contains(#"nul\u0000 esc\u001b"#))
            let packet = try #require(XMPPacket(value).data())
            #expect(XMPPacket.parse(packet) == Provenance(title: "bell", prompt: "nul esc", settings: []))
        }

        @Test func theJSONReaderTakesStandardEscapesAndSpacing() {
            let json = #" { "title" : "\u00e9\ud83c\udf04" ,"prompt":"a\/b\b\f\"" , "size":"1024x1024" } "#
            #expect(
                Provenance(json: json)
                    == Provenance(title: "é🌄", prompt: "a/b\u{8}\u{C}\"", settings: ["size": "1024x1024"])
            )
        }

        @Test(arguments: [
            "", "[]", #"{"prompt":"p"}"#, #"{"title":"t"}"#, #"{"title":1,"prompt":"p"}"#,
            #"{"title":"t","prompt":"p"} x"#, #"{"title":"t","prompt":"p""#, #"{"title":"\ud800","prompt":"p"}"#,
            #"{"title":"t","prompt":"p\q"}"#, "{\"title\":\"t\",\"prompt\":\"raw\nnewline\"}",
        ])
        func theJSONReaderRejectsAnythingElse(json: String) {
            #expect(Provenance(json: json) == nil)
        }

        @Test func referencesAreResolvedAndBrokenOnesKept() {
            #expect(XMPPacket.unescape("&#65;&#x42;&#x1F304;&lt;&foo;&amp &#xZZ;") == "AB🌄<&foo;&amp &#xZZ;")
        }

        @Test(arguments: Fixture.allCases)
        func settingsThatCannotBeEmbeddedAreLeftOut(fixture: Fixture) throws {
            let value = Provenance(
                title: "t",
                prompt: "p",
                settings: ["title": "x", "prompt": "y", "9lives": "z", "has space": "w", "é": "v", "ok-key.v_2": "u"]
            )
            let embedded = try value.embed(into: fixture.make(), format: fixture.format)
            #expect(
                Provenance.read(from: embedded, format: fixture.format)
                    == Provenance(title: "t", prompt: "p", settings: ["ok-key.v_2": "u"])
            )
        }

        @Test func xmpWithoutEaselsNamespaceReadsAsNil() {
            let foreign =
                #"<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">x"#
                + "</rdf:li></rdf:Alt></dc:title></x:xmpmeta>"
            #expect(XMPPacket.parse(Data(foreign.utf8)) == nil)
            #expect(XMPPacket.parse(Data([0xFF, 0xFE, 0x00])) == nil)
        }

        @Test func anotherToolsXMPInAJPEGIsReplaced() throws {
            let original = try Fixture.strippedJPEG.make()
            func app1(_ payload: String) -> Data {
                var segment = Data([0xFF, 0xE1])
                segment.appendBigEndian(2 + payload.utf8.count, width: 2)
                return segment + Data(payload.utf8)
            }
            let foreign = app1("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>by another tool</x:xmpmeta>")
            let extended = app1("http://ns.adobe.com/xmp/extension/\0" + String(repeating: "0", count: 40))
            let tagged = original.prefix(2) + foreign + extended + original.dropFirst(2)
            let embedded = try provenance.embed(into: tagged, format: "jpeg")
            #expect(embedded == (try provenance.embed(into: original, format: "jpeg")))
            let text = String(decoding: try #require(try Vips.metadataBlob("xmp-data", of: embedded)), as: UTF8.self)
            #expect(text.contains("Коло́чава"))
        }

        @Test func aPNGWithOnlyTheXMPChunkReadsFromTheXMP() throws {
            let embedded = try provenance.embed(into: Fixture.png.make(), format: "png")
            // The easel chunk comes right after the 8-byte signature and the 25-byte IHDR chunk.
            let length = try #require(embedded.bigEndian(at: 33, width: 4))
            let xmpOnly = embedded.prefix(33) + embedded.dropFirst(33 + 12 + length)
            #expect(xmpOnly.hasBytes(Data("iTXtXML:com.adobe.xmp".utf8), at: 37))
            #expect(Provenance.read(from: xmpOnly, format: "png") == provenance)
        }

        @Test func pngTextChunksWithEaselsKeywordsAreReplaced() throws {
            let original = try Fixture.png.make()
            func chunk(_ type: String, _ body: String) -> Data {
                var chunk = Data()
                chunk.appendBigEndian(body.utf8.count, width: 4)
                chunk.append(Data((type + body).utf8))
                chunk.appendBigEndian(Int(CRC32.checksum(Data((type + body).utf8))), width: 4)
                return chunk
            }
            // libvips reads only the text chunks before the first IDAT, so the old XMP after it stays unseen.
            let tagged =
                original.prefix(33) + chunk("tEXt", "easel\0an old note") + original.dropFirst(33).dropLast(12)
                + chunk("iTXt", "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>old</x:xmpmeta>") + original.suffix(12)
            #expect(try Vips.metadataString("png-comment-0-easel", of: tagged) == "an old note")
            let embedded = try provenance.embed(into: tagged, format: "png")
            #expect(embedded == (try provenance.embed(into: original, format: "png")))
            #expect(
                try Vips.metadataFields(of: embedded).filter { $0.hasPrefix("png-comment-") } == ["png-comment-0-easel"]
            )
        }
    }
}
