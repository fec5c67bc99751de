import Foundation

/// The generations that failed in earlier builds (`.easel/failures.json`), so that the plan can say
/// "failed last time" and a page can say when. Failures are never cached: the next build retries.
struct FailureLog: Sendable {
    struct Entry: Sendable, Codable, Hashable {
        var file: String
        var message: String
        var time: Date
    }

    static let fileName = "failures.json"

    /// Failures by cache key.
    var entries: [String: Entry] = [:]

    /// Reads the log of `project`; an unreadable log is an empty one (it is only a convenience).
    static func load(_ project: Project) -> FailureLog {
        let url = project.stateFolder.appendingPathComponent(fileName)
        guard let data = try? BoundedRead.data(at: url.path, limit: Limits.stateFileBytes).get(),
            let entries = try? CacheEntry.decoder.decode([String: Entry].self, from: data)
        else { return FailureLog() }
        return FailureLog(entries: entries)
    }

    /// Records this build's outcomes: failed generations are added, generated ones removed.
    mutating func update(with outcomes: [PromptOutcome]) {
        for outcome in outcomes {
            guard let key = outcome.key?.hex else { continue }
            if let time = outcome.failedAt, let message = outcome.failure {
                entries[key] = Entry(file: outcome.prompt.path, message: message, time: time)
            } else if outcome.entry != nil {
                entries[key] = nil
            }
        }
    }

    func save(_ project: Project) throws {
        let url = project.stateFolder.appendingPathComponent(Self.fileName)
        try AtomicFile.writeIfChanged(try CacheEntry.encoder.encode(entries), to: url)
    }
}
