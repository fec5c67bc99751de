import Foundation
import Testing

@testable import EaselKit

/// What `easel serve` notices, and how: inotify wakes the watcher at once (a poll interval of ten
/// minutes does not hold it back), folders made after it started are watched too, and without
/// inotify polling sees the same changes.
struct ProjectWatcherTests {
    /// The change the watcher reports after `edit`, given up after 30 s (the poll would take 10 min).
    private static func change(
        _ watcher: ProjectWatcher,
        interval: Duration,
        after edit: @escaping @Sendable () throws -> Void
    ) async throws -> [String]? {
        let start = watcher.snapshot()
        return try await withThrowingTaskGroup(of: [String]?.self) { group in
            group.addTask { try await watcher.nextChange(after: start, every: interval)?.changed ?? [] }
            group.addTask {
                try await Task.sleep(for: .milliseconds(100))
                try edit()
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test func inotifyWakesTheWatcherForAFolderMadeAfterItStarted() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            let watcher = ProjectWatcher(root: project.root)
            try #require(watcher.signal != nil, "inotify is available on Linux")
            // A new album first: its folder is watched from the next snapshot on.
            let made = try await Self.change(watcher, interval: .seconds(600)) {
                _ = try project.write("prompts/space/b.md", "A comet.")
            }
            #expect(made == ["prompts/space/b.md"])
            let edited = try await Self.change(watcher, interval: .seconds(600)) {
                _ = try project.write("prompts/space/b.md", "A comet, edited.")
            }
            #expect(edited == ["prompts/space/b.md"])
            // A folder deleted and made again under the same name is watched again.
            let gone = try await Self.change(watcher, interval: .seconds(600)) {
                try FileManager.default.removeItem(at: project.root.appendingPathComponent("prompts/space"))
            }
            #expect(gone == ["prompts/space/b.md"])
            let again = try await Self.change(watcher, interval: .seconds(600)) {
                _ = try project.write("prompts/space/c.md", "A star.")
            }
            #expect(again == ["prompts/space/c.md"])
            let inside = try await Self.change(watcher, interval: .seconds(600)) {
                _ = try project.write("prompts/space/c.md", "A star, edited.")
            }
            #expect(inside == ["prompts/space/c.md"])
            let config = try await Self.change(watcher, interval: .seconds(600)) {
                _ = try project.write("easel.yml", "title: Another\n")
            }
            #expect(config == ["easel.yml"])
        }
    }

    @Test func withoutInotifyPollingSeesTheSameChanges() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            let watcher = ProjectWatcher(root: project.root, notified: false)
            #expect(watcher.signal == nil)
            let made = try await Self.change(watcher, interval: .milliseconds(50)) {
                _ = try project.write("prompts/space/b.md", "A comet.")
            }
            #expect(made == ["prompts/space/b.md"])
        }
    }
}
