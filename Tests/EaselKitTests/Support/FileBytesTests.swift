import Foundation
import Testing

@testable import EaselKit

/// A file read on demand answers exactly as the same bytes in memory, inside and across its window.
@Suite struct FileBytesTests {
    @Test func readsAsDataDoes() throws {
        var generator = SeededGenerator(seed: 7)
        let data = Data(
            (0..<(3 * FileBytes.windowSize + 123)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        )
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("filebytes-\(UUID().uuidString)")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var checked = 0
        let result = BoundedRead.withBytes(at: url.path, limit: data.count) { file in
            #expect(file.count == data.count)
            let cases: [(Int, Int)] =
                [(0, 8), (8, 4), (FileBytes.windowSize - 2, 4), (0, 2 * FileBytes.windowSize), (data.count - 1, 1)]
                + (0..<200).map { _ in
                    let offset = Int.random(in: 0..<data.count, using: &generator)
                    return (offset, Int.random(in: 0...min(data.count - offset, 70_000), using: &generator))
                }
            for (offset, count) in cases {
                #expect(
                    file.bytes(at: offset, count: count) == data.bytes(at: offset, count: count),
                    "\(offset)+\(count)"
                )
                checked += 1
            }
            #expect(file.bytes(at: data.count, count: 1) == nil)
            #expect(file.bytes(at: -1, count: 1) == nil)
            #expect(file.bigEndian(at: 0, width: 4) == data.bigEndian(at: 0, width: 4))
        }
        #expect((try? result.get()) != nil && checked == 205)
        let tooLarge = BoundedRead.withBytes(at: url.path, limit: data.count - 1) { _ in true }
        #expect(throws: BoundedRead.Problem.tooLarge(data.count)) { try tooLarge.get() }
    }
}
