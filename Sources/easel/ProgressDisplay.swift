import EaselKit
import Foundation

/// Shows a build's progress on standard error: on a terminal a live line redrawn every second and
/// at each event, with finished prompts printed above it; elsewhere one plain line per prompt.
final class ProgressDisplay: Sendable {
    private let tracker: ProgressTracker
    private let live: Bool
    private let ticker: Task<Void, Never>?

    init(total: Int, live: Bool) {
        let tracker = ProgressTracker(total: total)
        self.tracker = tracker
        self.live = live && total > 0
        // The elapsed time and ETA move even when no event arrives: redraw every second.
        ticker =
            self.live
            ? Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if !Task.isCancelled { Self.draw(tracker.line()) }
                }
            } : nil
    }

    func record(_ event: BuildEvent) {
        tracker.record(event)
        if case .finished(let outcome) = event {
            let line = Console.printable(Console.line(for: outcome))
            FileHandle.standardError.write(Data(((live ? "\r\u{1B}[2K" : "") + line + "\n").utf8))
        }
        if live { Self.draw(tracker.line()) }
    }

    /// Stops the live line and clears it.
    func finish() {
        ticker?.cancel()
        if live { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    private static func draw(_ line: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }
}
