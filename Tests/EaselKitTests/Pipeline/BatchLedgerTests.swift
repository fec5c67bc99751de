import Foundation
import Testing

@testable import EaselKit

/// The ledger of batches sent and not collected (issue 15): kept across builds and binaries, and
/// never taken for none when it cannot be read.
struct BatchLedgerTests {
    static let key = String(repeating: "ab", count: 32)

    static func ledger(batchID: String? = "batch_1", key: String = key) -> BatchLedger {
        BatchLedger(
            uploads: [String(repeating: "cd", count: 32): "file-img1"],
            submissions: [
                .init(
                    id: "sub-1",
                    endpoint: "/v1/images/edits",
                    begunAt: Date(timeIntervalSince1970: 1_764_900_000),
                    inputFileID: "file-in1",
                    batchID: batchID,
                    requests: [
                        .init(
                            key: key,
                            request: ImageRequest(endpoint: .edits, model: "gpt-image-2", prompt: "Night"),
                            promptFile: "prompts/a.md"
                        )
                    ]
                )
            ]
        )
    }

    private func withFolder<T>(_ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("easel-ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder.appendingPathComponent(BatchLedger.fileName))
    }

    @Test func aLedgerComesBackAsItWentAndNoneIsEmpty() throws {
        try withFolder { url in
            #expect(try BatchLedger.load(from: url) == BatchLedger())
            let ledger = Self.ledger()
            try ledger.save(to: url)
            #expect(try BatchLedger.load(from: url) == ledger)
            #expect(ledger.queued[Self.key]?.batchID == "batch_1")
        }
    }

    /// A ledger that cannot be read stops the build with a message naming it: taking it for none
    /// would forget batches already paid for.
    @Test(arguments: ["spoiled", "another format", "an id with a path", "not a key"])
    func aLedgerThatCannotBeTrustedIsAnError(kind: String) throws {
        try withFolder { url in
            switch kind {
            case "spoiled":
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try Data("{\"format\": \"easel-batches 1\", \"submissions\": [".utf8).write(to: url)
            case "another format":
                var ledger = Self.ledger()
                ledger.format = "easel-batches 99"
                try ledger.save(to: url)
            case "an id with a path": try Self.ledger(batchID: "../../x").save(to: url)
            default: try Self.ledger(key: "../../etc").save(to: url)
            }
            let error = #expect(throws: BatchLedger.Unreadable.self) { try BatchLedger.load(from: url) }
            #expect(error?.description.hasPrefix(url.path) == true, "\(kind): \(String(describing: error))")
        }
    }
}
