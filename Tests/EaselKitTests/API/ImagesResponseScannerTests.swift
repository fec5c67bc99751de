import Foundation
import Testing

@testable import EaselKit

/// The scanner finds the images of an answer where the answer is: the whole body of an Images API
/// call, or `response.body` of a line of a batch's output file (issue 15), and nowhere else.
struct ImagesResponseScannerTests {
    /// What scanning `text` in pieces of `piece` bytes finds: each image's base64, and the skeleton.
    private func scan(_ text: String, path: [String] = [], piece: Int) throws -> (images: [String], skeleton: String) {
        var scanner = ImagesResponseScanner(path: path)
        var images: [String] = []
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + piece)
                try scanner.feed(UnsafeBufferPointer(rebasing: all[start..<end])) { event in
                    switch event {
                    case .imageStart: images.append("")
                    case .imageText(let run): images[images.count - 1] += String(decoding: run, as: UTF8.self)
                    case .imageEnd: break
                    }
                }
                start = end
            }
        }
        try scanner.finish()
        return (images, String(decoding: scanner.skeleton, as: UTF8.self))
    }

    static let answer = #"{"created":1,"data":[{"b64_json":"QUJD"},{"b64_json":"RE\/G"}],"usage":{"output_tokens":3}}"#
    static let line =
        #"{"id":"batch_req_1","custom_id":"k1","response":{"status_code":200,"request_id":"req_1","body":\#(answer)},"error":null}"#

    @Test(arguments: [1, 2, 7, 4096])
    func theImagesOfAnAnswerAndOfABatchLineAreFoundInAnyPieces(piece: Int) throws {
        let direct = try scan(Self.answer, piece: piece)
        #expect(direct.images == ["QUJD", "RE/G"])
        #expect(
            direct.skeleton == #"{"created":1,"data":[{"b64_json":""},{"b64_json":""}],"usage":{"output_tokens":3}}"#
        )
        let batch = try scan(Self.line, path: ["response", "body"], piece: piece)
        #expect(batch.images == ["QUJD", "RE/G"])
        let decoded = try JSONSerialization.jsonObject(with: Data(batch.skeleton.utf8)) as? [String: Any]
        #expect(decoded?["custom_id"] as? String == "k1")
        #expect(!batch.skeleton.contains("QUJD"))
    }

    /// An image is only where the answer's images are: not a `data` at the line's top, not one
    /// under `error`, not the answer's `data` read by a scanner for the other kind.
    @Test func aB64StringElsewhereIsNoImage() throws {
        let elsewhere =
            #"{"custom_id":"k","data":[{"b64_json":"AAAA"}],"response":{"status_code":400,"body":{"error":{"data":[{"b64_json":"BBBB"}]}}}}"#
        let batch = try scan(elsewhere, path: ["response", "body"], piece: 3)
        #expect(batch.images.isEmpty && batch.skeleton.contains("AAAA") && batch.skeleton.contains("BBBB"))
        #expect(try scan(Self.line, piece: 5).images.isEmpty, "a synchronous scanner reads no batch line")
        #expect(try scan(Self.answer, path: ["response", "body"], piece: 5).images.isEmpty)
    }
}
