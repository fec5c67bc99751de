import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import EaselKit

/// A batch's output and error files read a line at a time (issue 15): images into the spool,
/// failures with the server's (redacted) words, lines that cannot be read reported without a
/// request, and a line too large skipped without losing the next.
struct BatchOutputTests {
    static let key = "sk-test-batch-output-0123456789"

    /// Each line's custom id and answer, with its images' bytes (read before the spool goes).
    private func read(
        _ text: String,
        maxBytesPerImage: Int = 128 << 20
    ) async throws -> [(String?, BatchOutput.Answer, [Data])] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("easel-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("output.jsonl")
        try Data(text.utf8).write(to: file)
        let asked = ["k1": 2, "k2": 1, "k3": 1, "k4": 1, "k5": 1]
        var answers: [(String?, BatchOutput.Answer, [Data])] = []
        try await BatchOutput.read(
            file,
            spool: folder.appendingPathComponent("spool"),
            maxBytesPerImage: maxBytesPerImage,
            redactor: Redactor(secrets: [Self.key]),
            images: { asked[$0] },
            handle: { id, answer in
                var images: [Data] = []
                if case .images(let result) = answer { images = try result.images.map { try $0.data() } }
                answers.append((id, answer, images))
            }
        )
        return answers
    }

    private static func line(_ id: String, images: Int, requestID: String = "req_1") -> String {
        let data = Array(repeating: #"{"b64_json":"\#(FakeImagesServer.pngBase64)"}"#, count: images)
            .joined(separator: ",")
        return
            #"{"id":"batch_req_\#(id)","custom_id":"\#(id)","response":{"status_code":200,"request_id":"\#(requestID)","body":{"created":1764000000,"data":[\#(data)],"usage":{"input_tokens":5,"output_tokens":272,"total_tokens":277}}},"error":null}"#
    }

    @Test func eachLineIsItsRequestsAnswer() async throws {
        let lines = [
            Self.line("k1", images: 2),
            #"{"id":"r2","custom_id":"k2","response":{"status_code":400,"request_id":"req_2","body":{"error":{"message":"Rejected for \#(Self.key)","type":"image_generation_user_error","code":"moderation_blocked","param":null}}},"error":null}"#,
            "",
            #"{"id":"r3","custom_id":"k3","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}"#,
            Self.line("zz", images: 1),
            "not json at all",
            Self.line("k4", images: 2),
        ]
        let answers = try await read(lines.joined(separator: "\n") + "\n")
        #expect(answers.map(\.0) == ["k1", "k2", "k3", nil, nil, "k4"])
        guard case .images(let result) = answers[0].1 else {
            Issue.record("k1 has its images")
            return
        }
        #expect(result.images.count == 2 && result.requestID == "req_1" && result.usage?.outputTokens == 272)
        #expect(
            answers[0].2 == [
                Data(base64Encoded: FakeImagesServer.pngBase64)!, Data(base64Encoded: FakeImagesServer.pngBase64)!,
            ]
        )
        guard case .failure(let moderated) = answers[1].1, case .failure(let expired) = answers[2].1,
            case .failure(let stranger) = answers[3].1, case .failure(let garbage) = answers[4].1,
            case .failure(let tooMany) = answers[5].1
        else {
            Issue.record("the other lines are failures: \(answers)")
            return
        }
        #expect(moderated.status == 400 && moderated.code == "moderation_blocked" && moderated.requestID == "req_2")
        #expect(!moderated.message.contains(Self.key), "a server's words are redacted")
        #expect(expired.code == "batch_expired")
        #expect(stranger.message.contains("did not send (zz)"))
        #expect(garbage.message.hasPrefix("line 6 of the batch's file"))
        #expect(tooMany.kind == .unusableAnswer && tooMany.message.contains("2 images; 1 were asked for"))
    }

    @Test func aLineTooLargeIsSkippedAndTheNextIsRead() async throws {
        let small = try #require(Data(base64Encoded: FakeImagesServer.pngBase64))
        let large = Data((0..<(small.count * 4)).map { UInt8(truncatingIfNeeded: $0 &* 31) }).base64EncodedString()
        let big = Self.line("k1", images: 1).replacingOccurrences(of: FakeImagesServer.pngBase64, with: large)
        let text = big + "\n" + Self.line("k5", images: 1)  // no newline at the end
        let answers = try await read(text, maxBytesPerImage: small.count * 2)
        #expect(answers.map(\.0) == [nil, "k5"])
        if case .failure(let error) = answers.first?.1 {
            #expect(error.kind == .unusableAnswer && error.message.hasPrefix("line 1"), "\(error)")
        } else {
            Issue.record("the large line is a failure")
        }
        if case .images = answers.last?.1 {
            #expect(answers.last?.2 == [small])
        } else {
            Issue.record("the line after it is read: \(answers)")
        }
    }
}
