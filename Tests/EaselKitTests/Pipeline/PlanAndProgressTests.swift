import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import EaselKit

struct PlanAndProgressTests {
    @Test func thePlanCountsAndEstimates() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "---\nsize: 1024x1024\nquality: low\nn: 2\n---\nA cat.")
            try project.write("prompts/b.md", "---\nsize: 1536x1024\nquality: high\n---\nA dog.")
            try project.write("prompts/c.md", "---\nmodel: gpt-image-2.5-flare\nquality: max\n---\nA fox.")
            try project.write("prompts/bad.md", "---\nn: 0\n---\nx")
            try project.write("prompts/d.md", "---\ndraft: true\n---\nLater.")
            let plan = try Builder(project: try project.open(), source: nil).plan(BuildOptions())
            let summary = plan.summary
            #expect((summary.prompts, summary.toGenerate, summary.requests, summary.images) == (5, 3, 3, 4))
            #expect((summary.invalid, summary.drafts, summary.unknownCost) == (1, 1, 1))
            // low 1024²: 2 × 272 tokens; high 1536x1024: 4,160 × 1.5 tokens; at $30 per 1M, plus the text.
            let images = (2.0 * 272 + 4_160 * 1.5) * 30 / 1_000_000
            #expect(abs(summary.estimatedCostUSD - images) < 0.0001)
            #expect(
                Console.line(for: plan, offline: false).contains(
                    "3 to generate (3 requests, 4 images, about $0.20 + 1 request of unknown cost)"
                )
            )
        }
    }

    /// The Batch API bills half of every token (issue 15): the plan's batch estimate of the same
    /// requests is half the synchronous one; a model without published batch prices has none,
    /// unless easel.yml gives it some.
    @Test func theBatchEstimateIsHalfTheSynchronousOne() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "---\nsize: 1024x1024\nquality: low\nn: 2\n---\nA cat.")
            try project.write("prompts/b.md", "---\nsize: 1536x1024\nquality: high\n---\nA dog.")
            var summary = try Builder(project: try project.open(), source: nil).plan(BuildOptions()).summary
            #expect(summary.estimatedCostUSD > 0.1 && summary.batchUnknownCost == 0)
            #expect(abs(summary.batchEstimatedCostUSD - summary.estimatedCostUSD / 2) < 1e-12)

            try project.write("prompts/c.md", "---\nmodel: gpt-image-2.6-flare\nquality: high\n---\nA fox.")
            summary = try Builder(project: try project.open(), source: nil).plan(BuildOptions()).summary
            #expect(summary.unknownCost == 0 && summary.batchUnknownCost == 1)

            try project.write(
                "easel.yml",
                "models:\n  gpt-image-2.6-flare:\n    batch_prices: {text_input: 2.5, image_input: 4, image_output: 15}\n"
            )
            summary = try Builder(project: try project.open(), source: nil).plan(BuildOptions()).summary
            #expect(summary.batchUnknownCost == 0)
            #expect(abs(summary.batchEstimatedCostUSD - summary.estimatedCostUSD / 2) < 1e-12)
        }
    }

    @Test func failuresAreRememberedAndRetried() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            let failing = RecordingSource(failingWith: "HTTP 400 moderation_blocked: no")
            let first = try await Builder(project: try project.open(), source: failing).build(BuildOptions())
            #expect(first.failed == 1)
            #expect(try project.read("site/prompts/a.html").contains("HTTP 400 moderation_blocked: no"))
            let plan = try Builder(project: try project.open(), source: nil).plan(BuildOptions())
            #expect(plan.summary.failedLastTime == 1, "the failure was not cached: it is to generate again")
            let source = RecordingSource()
            let second = try await Builder(project: try project.open(), source: source).build(BuildOptions())
            #expect(second.generated == 1 && source.received.count == 1)
            #expect(
                try Builder(project: try project.open(), source: nil).plan(BuildOptions()).summary.failedLastTime == 0
            )
        }
    }

    @Test func theSiteIsAnnouncedWrittenBeforeItsBookkeeping() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            try project.write("prompts/bad.md", "---\nn: 0\n---\nx")
            let stamp = SiteStamp.location(in: try project.open())
            let seen = NIOLockedValueBox<[(problems: [String], stampThere: Bool, pageThere: Bool)]>([])
            let report = try await Builder(project: try project.open(), source: nil).build(BuildOptions()) { event in
                guard case .siteWritten(let problems) = event else { return }
                let there = (
                    FileManager.default.fileExists(atPath: stamp.path),
                    (try? project.read("site/prompts/a.html")) != nil
                )
                seen.withLockedValue { $0.append((problems, there.0, there.1)) }
            }
            let events = seen.withLockedValue { $0 }
            #expect(events.count == 1)
            #expect(events.first?.problems == report.problems)
            #expect(report.problems.contains { $0.contains("prompts/bad.md") })
            #expect(events.first?.pageThere == true, "the pages are written when it is sent")
            #expect(events.first?.stampThere == false, "and the stamp is not yet saved")
            #expect(FileManager.default.fileExists(atPath: stamp.path))
            // Nothing to write, nothing announced: `serve` then reloads after the build.
            seen.withLockedValue { $0 = [] }
            _ = try await Builder(project: try project.open(), source: nil).build(BuildOptions()) { event in
                guard case .siteWritten(let problems) = event else { return }
                seen.withLockedValue { $0.append((problems, false, false)) }
            }
            #expect(seen.withLockedValue { $0.isEmpty })
        }
    }

    @Test func theProgressLineCountsTimesAndMoney() {
        let start = ContinuousClock.now
        let tracker = ProgressTracker(total: 4, startedAt: start)
        tracker.record(.started(path: "prompts/a.md", requests: 4))
        tracker.record(.started(path: "prompts/b.md", requests: 4))
        var failed = PromptOutcome(prompt: PromptFile.bare(at: "prompts/b.md"), status: .failed)
        failed.key = CacheKey(hex: "b")
        tracker.record(.finished(failed))
        #expect(
            tracker.line(at: start.advanced(by: .seconds(12)))
                == "[1/4] 1 running · 1 failed · 0:12 elapsed · ETA 0:36 · $0.00 spent"
        )
        #expect(ProgressTracker.clock(.seconds(3_723)) == "1:02:03")
    }

    @Test func oneBuildAtATimeAndALeftoverLockIsTakenOver() async throws {
        try await TemporaryProject.with { project in
            var first: BuildLock? = try BuildLock(project: try project.open())
            #expect {
                _ = try BuildLock(project: try project.open())
            } throws: { error in
                (error as? BuildLockError)?.description.contains("pid \(getpid())") == true
            }
            first = nil
            #expect(first == nil)
            #expect(throws: Never.self) { _ = try BuildLock(project: try project.open()) }
            #expect(try project.read(".easel/.gitignore").contains("*"))
        }
    }

}
