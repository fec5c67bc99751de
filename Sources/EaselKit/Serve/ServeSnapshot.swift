import Foundation
import NIOConcurrencyHelpers

/// The site as `easel serve` last made it, kept in memory so that a saved prompt is answered by a
/// patch (``SiteRenderer/patch(_:with:)``) instead of a build of every prompt; a full build, when
/// the files stop changing, replaces it (``DevServer``).
struct ServeSnapshot: Sendable {
    /// The renderer of the build: project, theme, cache index.
    var renderer: SiteRenderer
    /// Every prompt's outcome, drafts included, in the order of the build.
    var outcomes: [PromptOutcome]
    var failures: FailureLog
    var kept: SiteRenderer.Kept
    /// The position of each prompt's outcome, by path.
    let positions: [String: Int]

    init(renderer: SiteRenderer, outcomes: [PromptOutcome], failures: FailureLog, kept: SiteRenderer.Kept) {
        (self.renderer, self.outcomes, self.failures, self.kept) = (renderer, outcomes, failures, kept)
        positions = SiteRenderer.positions(outcomes.lazy.map(\.prompt.path))
    }

    /// ``BuildReport/problems`` of the site as it is.
    var problems: [String] { BuildReport.problems(of: outcomes, broken: kept.failures) }

    /// Reads the prompts at `paths` (inside the project), saved since, again and patches their part
    /// of the site. False, before a page is written, when that takes a build: a prompt this
    /// snapshot does not show, one that is or becomes a draft or moves, a comparison, an image to generate
    /// (`generating`), or a cache entry the build did not see; the snapshot then describes
    /// nothing and is to be dropped. `pagesWritten` is given the ``problems`` once the pages are
    /// written (``SiteRenderer/patch(_:with:pagesWritten:)``).
    mutating func patch(
        _ paths: [String],
        generating: Bool,
        pagesWritten: ([String]) -> Void = { _ in }
    ) async throws -> Bool {
        Trace.mark("patch: \(paths.count) prompts saved")
        let project = renderer.project
        let loader = PromptLoader(project: project)
        let prompts = paths.concurrentMap(loader.load)
        // A comparison is a prompt of several outcomes, and its page their grid: a build's to make.
        guard prompts.allSatisfy({ $0.compare == nil }) else { return false }
        var changed = Builder(project: project, source: nil).classify(prompts, only: [], cache: renderer.history)
        let known = changed.allSatisfy { outcome in
            positions[outcome.prompt.path].map { self.outcomes[$0].cell == nil } ?? false
        }
        guard known else { return false }
        for index in changed.indices where changed[index].status == .placeholder {
            guard !generating, let key = changed[index].key, (try? project.cache.entry(for: key)) == nil else {
                return false
            }
            changed[index].previousFailure = failures.entries[key.hex]
        }
        // What the patch publishes from the cache is read again, with a build's checks: a cache the
        // snapshot's index knew is not trusted over its files, which may have changed since (a pull).
        for outcome in changed {
            let shown = outcome.entry.map { [$0] } ?? []
            for entry in shown + renderer.history.entries(firstMadeFor: outcome.prompt.path, except: outcome.key) {
                guard let now = try? project.cache.entry(for: entry.record.key), now.recordDigest == entry.recordDigest
                else { return false }
            }
        }
        for outcome in changed { outcomes[positions[outcome.prompt.path]!] = outcome }
        let outcomes = outcomes
        return try await renderer.patch(&kept, with: changed) { failures in
            pagesWritten(BuildReport.problems(of: outcomes, broken: failures))
        }
    }
}

/// Where a build leaves its ``ServeSnapshot`` (``BuildOptions/snapshot``).
final class ServeSnapshotBox: Sendable {
    private let value = NIOLockedValueBox<ServeSnapshot?>(nil)

    /// The snapshot left last, if any.
    var snapshot: ServeSnapshot? { value.withLockedValue { $0 } }

    /// Replaces the snapshot.
    func set(_ snapshot: ServeSnapshot?) {
        value.withLockedValue { $0 = snapshot }
    }

    /// The snapshot, which the box no longer holds: to change without a copy.
    func take() -> ServeSnapshot? {
        value.withLockedValue { snapshot in
            defer { snapshot = nil }
            return snapshot
        }
    }
}
