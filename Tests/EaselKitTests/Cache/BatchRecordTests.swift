import Foundation
import Testing

@testable import EaselKit

/// An entry made through the Batch API (issue 15) says so: its record names the batch and its
/// times, the pages show the batch's time as such, and the stats keep it out of the latencies.
struct BatchRecordTests {
    /// Builds one prompt, then rewrites its entry's record with `batch` (JSON) and the batch's time.
    private func entryFromABatch(
        _ project: TemporaryProject,
        batch: (String) -> String
    ) async throws -> String {
        try project.write("prompts/a.md", "# A\n\nA lighthouse.")
        let first = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
        let key = try #require(first.prompts.first?.key)
        let path = "cache/\(key.prefix(2))/\(key)/\(CacheEntry.recordName)"
        var record = try #require(
            try JSONSerialization.jsonObject(with: Data(project.read(path).utf8)) as? [String: Any]
        )
        record["batch"] = try JSONSerialization.jsonObject(with: Data(batch(key).utf8))
        record["latency_ms"] = 11_520_000
        record["total_ms"] = 11_520_000
        try project.write(path, data: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]))
        return key
    }

    static func batch(
        id: String = "batch_abc123",
        customID: String,
        completed: String = "2026-12-04T13:12:00Z"
    ) -> String {
        #"{"id":"\#(id)","custom_id":"\#(customID)","submitted_at":"2026-12-04T10:00:00Z","completed_at":"\#(completed)"}"#
    }

    @Test func thePagesShowTheBatchsTimeAndTheStatsKeepItOutOfTheLatencies() async throws {
        try await TemporaryProject.with { project in
            let key = try await entryFromABatch(project) { Self.batch(customID: $0) }
            let report = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
            #expect(report.cached == 1 && report.failed == 0, "\(report.prompts.compactMap(\.failure))")
            let page = try project.read("site/prompts/a.html")
            #expect(page.contains(#"<th scope="row">Latency</th><td>batch, 3 h 12 min</td>"#))
            #expect(try project.read("site/index.html").contains("batch, 3 h 12 min"))
            let stats = try project.read("site/stats.html")
            #expect(stats.contains("<dt>Through the Batch API</dt><dd>1</dd>"))
            #expect(stats.contains("<dt>Requests</dt><dd>1</dd>"))
            #expect(!stats.contains("<th scope=\"row\" class=\"mono\">gpt-image-2</th>"), "no latency row")
            let json = try project.read("site/gallery.json")
            #expect(json.contains(#""id" : "batch_abc123""#) && json.contains(key))
        }
    }

    /// A cloned cache's record is held to what Easel writes: a batch id that is no plain name, a
    /// custom_id that is not the entry's key, a batch done before it was sent.
    @Test(arguments: ["an id with a path", "another key", "done before sent"])
    func aBatchRecordEaselDidNotWriteIsDamaged(kind: String) async throws {
        try await TemporaryProject.with { project in
            _ = try await entryFromABatch(project) { key in
                switch kind {
                case "an id with a path": Self.batch(id: "../../x", customID: key)
                case "another key": Self.batch(customID: String(repeating: "a", count: 64))
                default: Self.batch(customID: key, completed: "2026-12-04T09:00:00Z")
                }
            }
            let report = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
            let prompt = try #require(report.prompts.first)
            #expect(prompt.status == .failed && prompt.failure?.contains("batch") == true, "\(kind): \(prompt)")
        }
    }
}
