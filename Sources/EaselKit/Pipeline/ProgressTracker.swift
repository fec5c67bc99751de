import NIOConcurrencyHelpers

/// Counts a build's progress from its events, for the live line on a terminal:
/// `[12/40] 4 running · 1 failed · 0:12 elapsed · ETA 0:30 · $0.42 spent`.
public final class ProgressTracker: Sendable {
    private struct State {
        var done = 0
        var failed = 0
        var started = 0
        var finishedRequests: Set<CacheKey> = []
        var spent = 0.0
    }

    /// Prompts to finish.
    public let total: Int
    private let startedAt: ContinuousClock.Instant
    private let state = NIOLockedValueBox(State())

    /// A tracker for `total` prompts, counting time from `startedAt`.
    public init(total: Int, startedAt: ContinuousClock.Instant = .now) {
        self.total = total
        self.startedAt = startedAt
    }

    public func record(_ event: BuildEvent) {
        state.withLockedValue { state in
            switch event {
            case .started:
                state.started += 1
            case .finished(let outcome):
                state.done += 1
                if outcome.status == .failed { state.failed += 1 }
                if let key = outcome.key, outcome.status != .placeholder, state.finishedRequests.insert(key).inserted {
                    state.spent += outcome.entry?.record.costUSD ?? 0
                }
            case .siteWritten:
                break
            }
        }
    }

    /// The progress line at `now`.
    public func line(at now: ContinuousClock.Instant = .now) -> String {
        let state = state.withLockedValue { $0 }
        let elapsed = startedAt.duration(to: now)
        let running = max(0, state.started - state.finishedRequests.count)
        var parts = ["\(running) running"]
        if state.failed > 0 { parts.append("\(state.failed) failed") }
        parts.append("\(Self.clock(elapsed)) elapsed")
        if state.done > 0, state.done < total {
            let remaining = elapsed * Double(total - state.done) / Double(state.done)
            parts.append("ETA \(Self.clock(remaining))")
        }
        parts.append("\(Display.dollars(state.spent)) spent")
        return "[\(state.done)/\(total)] " + parts.joined(separator: " · ")
    }

    /// "0:12", "12:03", "1:02:03".
    static func clock(_ duration: Duration) -> String {
        let total = Int(duration.seconds.rounded())
        let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60)
        let padded = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(padded(minutes)):\(padded(seconds))" : "\(minutes):\(padded(seconds))"
    }
}
