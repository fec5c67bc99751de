import Foundation
import Testing

@testable import EaselKit

/// The CBOR decoder over libcbor's stream: what C2PA manifests use, and what hostile bytes try.
@Suite struct CBORTests {
    static func decode(_ bytes: [UInt8]) throws -> CBOR { try CBOR.decode(Data(bytes)) }

    @Test func decodesTheKindsManifestsUse() throws {
        // {"alg": "sha256", "n": [1, -2, h'0102'], 18: true}
        let item = try Self.decode(
            [0xA3, 0x63] + Array("alg".utf8) + [0x66] + Array("sha256".utf8) + [
                0x61, 0x6E, 0x83, 0x01, 0x21, 0x42, 0x01, 0x02,
            ]
                + [0x12, 0xF5]
        )
        #expect(item["alg"]?.text == "sha256")
        #expect(item["n"] == .array([.unsigned(1), .negative(1), .bytes(Data([1, 2]))]))
        #expect(item[label: 18] == .bool(true))
        #expect(item["missing"] == nil)
    }

    /// libcbor 0.8 refuses the one-byte heads of tags 6 to 20; COSE_Sign1 is tag 18.
    @Test func oneByteTagsThatLibcbor08RefusesAreRead() throws {
        #expect(try Self.decode([0xD2, 0x80]) == .tagged(18, .array([])))
        #expect(try Self.decode([0xC6, 0x01]) == .tagged(6, .unsigned(1)))
        #expect(try Self.decode([0xD8, 0x12, 0x01]).untagged == .unsigned(1))
    }

    @Test func indefiniteLengthsAreJoined() throws {
        // [_ "ab" "c"(indefinite text), {_ "k": null}]
        let item = try Self.decode([0x9F, 0x7F, 0x62, 0x61, 0x62, 0x61, 0x63, 0xFF, 0xBF, 0x61, 0x6B, 0xF6, 0xFF, 0xFF])
        #expect(item == .array([.text("abc"), .map([CBOR.Pair(key: .text("k"), value: .null)])]))
    }

    @Test(
        arguments: [
            ("empty", [UInt8]()),
            ("cut short", [0x82, 0x01]),
            ("trailing bytes", [0x01, 0x02]),
            ("not UTF-8", [0x62, 0xFF, 0xFE]),
            ("reserved head", [0x1C]),
            ("break outside", [0xFF]),
            ("break after a tag", [0x9F, 0xD2, 0xFF]),
            ("wrong chunk kind", [0x5F, 0x61, 0x61, 0xFF]),
            ("2^64-1 items declared", [0x9B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
            ("2^63 pairs declared", [0xBB, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]),
            ("a key without a value", [0xBF, 0x01, 0xFF]),
        ] as [(String, [UInt8])]
    )
    func malformedCBORIsAnErrorNeverACrash(name: String, bytes: [UInt8]) {
        #expect(throws: CBOR.DecodingError.self, "\(name)") { try Self.decode(bytes) }
    }

    /// Nesting and item counts are bounded whatever the length says: a stack of a few hundred
    /// thousand arrays never reaches recursion, and a million tiny items never all become values.
    @Test func depthAndItemCountAreBounded() throws {
        let deep = [UInt8](repeating: 0x81, count: 200_000) + [0x01]
        #expect(throws: CBOR.DecodingError(description: "CBOR nested deeper than 32 at byte 32")) {
            try Self.decode(deep)
        }
        let ok = [UInt8](repeating: 0x81, count: CBOR.maxDepth) + [0x01]
        #expect(try Self.decode(ok) != .null)
        let many = [0x9B] + [0, 0, 0, 0, 0, 0x0F, 0x42, 0x40] + [UInt8](repeating: 0xF6, count: 1_000_000)
        #expect(throws: CBOR.DecodingError.self) { try Self.decode(many) }
    }
}
