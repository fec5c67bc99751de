import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Phase timings on standard error when `EASEL_TRACE` is set: where a build spends its time, for
/// profiling without a profiler (`EASEL_TRACE=1 easel build`).
public enum Trace {
    public static let enabled = ProcessInfo.processInfo.environment["EASEL_TRACE"] != nil
    private static let start = ContinuousClock.now

    /// Prints the time since the process started, the resident set and its peak so far, and `phase`.
    public static func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let elapsed = start.duration(to: .now)
        FileHandle.standardError.write(
            Data("trace \(elapsed.milliseconds) ms\(processorTime())\(memory()): \(phase())\n".utf8)
        )
    }

    private static let spent = NIOLockedValueBox<[String: Duration]>([:])

    /// Adds time spent by name (rendering templates), for ``tally()``.
    static func add(_ times: [String: Duration]) {
        guard enabled else { return }
        spent.withLockedValue { total in for (name, time) in times { total[name, default: .zero] += time } }
    }

    /// "page 6.1 s, index 1.2 s": what ``add(_:)`` was given since the last tally, most first (a
    /// `serve` process renders again and again: each rebuild's tally is its own).
    static func tally() -> String {
        spent.withLockedValue { total in
            defer { total = [:] }
            return total.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value.milliseconds) ms" }
                .joined(separator: ", ")
        }
    }

    /// " (cpu 1234 ms)": the processor time of every thread so far, user and system: a phase whose
    /// wall time grows by as much as its processor time uses one core.
    private static func processorTime() -> String {
        // clock(3): the processor time of the whole process (CLOCK_PROCESS_CPUTIME_ID on Linux).
        " (cpu \(Int(clock()) / max(1, Int(CLOCKS_PER_SEC) / 1000)) ms)"
    }

    /// ", 123 MiB (peak 150)" from /proc/self/status where there is one (Linux), else nothing.
    private static func memory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
        func mebibytes(_ key: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 / 1024 }
        }
        guard let now = mebibytes("VmRSS"), let peak = mebibytes("VmHWM") else { return "" }
        return ", \(now) MiB (peak \(peak))"
    }
}
