import Foundation
import Testing

@testable import EaselKit

/// JUMBF boxes: lengths checked against what is left, nesting and counts bounded.
@Suite struct JUMBFTests {
    static func box(_ type: String, _ payload: Data) -> Data {
        var data = Data()
        data.appendBigEndian(payload.count + 8, width: 4)
        return data + Data(type.utf8) + payload
    }

    /// A superbox labelled `label` around `children`.
    static func superbox(_ label: String, _ children: Data = Data()) -> Data {
        let description = Data(repeating: 0x11, count: 16) + Data([0x03]) + Data(label.utf8) + Data([0])
        return box("jumb", box("jumd", description) + children)
    }

    @Test func readsLabelsChildrenAndContent() throws {
        let store = Self.superbox("c2pa", Self.superbox("urn:c2pa:1", Self.box("cbor", Data([0xF5]))))
        let boxes = try JUMBFBox.parse(store)
        #expect(boxes.count == 1 && boxes[0].label == "c2pa")
        let manifest = try #require(boxes[0].child("urn:c2pa:1"))
        #expect(manifest.content("cbor") == Data([0xF5]))
        #expect(manifest.content("json") == nil)
    }

    @Test func largeSizesAndSizeZeroAreRead() throws {
        var large = Data([0, 0, 0, 1]) + Data("free".utf8)
        large.appendBigEndian(16 + 3, width: 8)
        large.append(contentsOf: [1, 2, 3])
        #expect(try JUMBFBox.parse(large).first?.payload == Data([1, 2, 3]))
        let toEnd = Data([0, 0, 0, 0]) + Data("free".utf8) + Data([9, 9])
        #expect(try JUMBFBox.parse(toEnd).first?.payload == Data([9, 9]))
    }

    @Test(
        arguments: [
            ("a header cut short", Data([0, 0, 0])),
            ("a size past the end", Data([0, 0, 1, 0]) + Data("free".utf8)),
            ("a size below the header", Data([0, 0, 0, 4]) + Data("free".utf8)),
            ("a large size cut short", Data([0, 0, 0, 1]) + Data("free".utf8) + Data([0, 0])),
            ("a superbox without description", JUMBFTests.box("jumb", JUMBFTests.box("cbor", Data()))),
            (
                "a label without its zero",
                JUMBFTests.box("jumb", JUMBFTests.box("jumd", Data(repeating: 0, count: 16) + Data([2, 0x61])))
            ),
        ] as [(String, Data)]
    )
    func malformedBoxesAreErrors(name: String, data: Data) {
        #expect(throws: JUMBFBox.ParseError.self, "\(name)") { try JUMBFBox.parse(data) }
    }

    @Test func nestingIsBounded() throws {
        var nested = Self.box("cbor", Data())
        for _ in 0...JUMBFBox.maxDepth { nested = Self.superbox("x", nested) }
        #expect(throws: JUMBFBox.ParseError.self) { try JUMBFBox.parse(nested) }
    }
}
