import Foundation
import NIOCore
import Testing

@testable import EaselKit

/// The lines of a batch's JSONL input (issue 15): the body a synchronous call sends, the edit's
/// images by upload id, and input files cut at the Batch API's limits.
struct BatchInputTests {
    private func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func aGenerationsLineCarriesTheBodyASynchronousCallSends() throws {
        let request = ImageRequest(
            endpoint: .generations,
            model: "gpt-image-2",
            prompt: "RESTfull API security",
            size: "1024x1536",
            quality: "high",
            n: 2,
            format: "webp",
            compression: 80
        )
        let line = try object(BatchInput.line(for: request, customID: "key-1", images: [], mask: nil))
        #expect(line["custom_id"] as? String == "key-1" && line["method"] as? String == "POST")
        #expect(line["url"] as? String == "/v1/images/generations")
        let prepared = try PreparedRequest(request, settings: APISettings(baseURL: "http://x/v1", apiKey: "k"))
        guard case .bytes(let buffer) = prepared.body else {
            Issue.record("a generation is sent as JSON")
            return
        }
        let sent = try object(Data(buffer.readableBytesView))
        #expect(
            NSDictionary(dictionary: try #require(line["body"] as? [String: Any])) == NSDictionary(dictionary: sent)
        )
        #expect((line["body"] as? [String: Any])?["n"] as? Int == 2)
    }

    @Test func anEditsLineNamesItsImagesAndMaskByUpload() throws {
        let input = InputImage(path: "inputs/a.png", url: URL(fileURLWithPath: "/p/inputs/a.png"), sha256: "aa")
        let request = ImageRequest(
            endpoint: .edits,
            model: "gpt-image-2",
            prompt: "Night falls",
            n: 3,
            inputFidelity: "high",
            images: [input, input],
            mask: .rectangle(PixelRect(x: 0, y: 0, width: 8, height: 8))
        )
        let data = try BatchInput.line(for: request, customID: "k", images: ["file-1", "file-2"], mask: "file-m")
        let line = try object(data)
        #expect(line["url"] as? String == "/v1/images/edits")
        let body = try #require(line["body"] as? [String: Any])
        #expect((body["images"] as? [[String: String]]) == [["file_id": "file-1"], ["file_id": "file-2"]])
        #expect((body["mask"] as? [String: String]) == ["file_id": "file-m"])
        #expect(body["n"] as? Int == 3 && body["input_fidelity"] as? String == "high")
        #expect(Set(body.keys) == ["model", "prompt", "n", "input_fidelity", "images", "mask"])
        #expect(!String(decoding: data, as: UTF8.self).contains("\n"), "one line")
        #expect(throws: APIError.self) {
            try BatchInput.line(for: request, customID: "k", images: ["file-1"], mask: "m")
        }
        #expect(throws: APIError.self) {
            try BatchInput.line(for: request, customID: "k", images: ["file-1", "file-2"], mask: nil)
        }
    }

    @Test func whatTheBatchAPIDoesNotTakeIsRefused() {
        let legacy = ImageRequest(endpoint: .generations, model: "dall-e-3", dialect: .legacy, prompt: "A cat.")
        let variation = ImageRequest(endpoint: .variations, model: "dall-e-2", dialect: .legacy, prompt: "")
        for request in [legacy, variation] {
            #expect(BatchInput.endpoint(of: request) == nil)
            #expect(throws: APIError.self) { try BatchInput.line(for: request, customID: "k", images: [], mask: nil) }
        }
    }

    @Test func inputFilesAreCutAtTheLimitsInOrder() {
        let lines = (0..<7).map { Data(String(repeating: "x", count: $0 + 1).utf8) }
        #expect(BatchInput.files(lines, maxLines: 3, maxBytes: 1_000).map(\.count) == [3, 3, 1])
        // Lines of 1…7 bytes and their newlines, at most 10 bytes a file: 2+3+4 (9), then 5 and 6
        // (11 > 10) apart, …
        let bySize = BatchInput.files(lines, maxLines: 100, maxBytes: 10)
        #expect(bySize.map { $0.map(\.count) } == [[1, 2, 3], [4], [5], [6], [7]])
        #expect(bySize.flatMap { $0 } == lines)
        #expect(BatchInput.files([], maxLines: 3, maxBytes: 10).isEmpty)
        #expect(BatchInput.maxLines == 50_000 && BatchInput.maxBytes == 200_000_000)
    }
}
