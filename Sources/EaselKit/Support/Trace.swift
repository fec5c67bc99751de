import Foundation

/// Phase timings on standard error when `EASEL_TRACE` is set: where a build spends its time, for
/// profiling without a profiler (`EASEL_TRACE=1 easel build`).
public enum Trace {
    public static let enabled = ProcessInfo.processInfo.environment["EASEL_TRACE"] != nil
    private static let start = ContinuousClock.now

    /// Prints the time since the process started and `phase`.
    public static func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let elapsed = start.duration(to: .now)
        FileHandle.standardError.write(Data("trace \(elapsed.milliseconds) ms: \(phase())\n".utf8))
    }
}
