import Foundation

/// When to try a failed request again, and after how long: the official SDK's rules (SPEC §6).
///
/// 1. A server delay (`retry-after-ms`, then `retry-after` in seconds or as an HTTP date) over
///    120 s means no retry.
/// 2. `x-should-retry: true` or `false` decides.
/// 3. Otherwise 408, 409, 429, 5xx and transport failures are retried; a failure that ends the
///    run (a bad key, no credit) never is.
///
/// The delay is the server's when it gives one in (0, 120] s, else `min(0.5 · 2^k, 8)` s less up
/// to 25 % jitter, where k counts the retries already made.
struct RetryPolicy: Sendable {
    static let longestServerDelay: Duration = .seconds(120)

    var maxRetries: Int

    /// The wait before retry number `retriesSoFar + 1`, or nil when the request must not be retried.
    /// - Parameters:
    ///   - header: the failed answer's header by lower-case name (nil without an answer).
    ///   - jitter: a number in [0, 1).
    ///   - now: the current time, for `retry-after` dates.
    func delay(
        after error: APIError,
        header: (String) -> String?,
        retriesSoFar: Int,
        jitter: Double,
        now: Date
    ) -> Duration? {
        guard retriesSoFar < maxRetries, error.scope != .run else { return nil }
        let serverDelay = Self.serverDelay(header, now: now)
        if let serverDelay, serverDelay > Self.longestServerDelay { return nil }
        switch header("x-should-retry")?.lowercased() {
        case "true": break
        case "false": return nil
        default: guard error.isRetryable else { return nil }
        }
        if let serverDelay, serverDelay > .zero { return serverDelay }
        let base = min(0.5 * pow(2, Double(retriesSoFar)), 8)
        return .milliseconds(Int((base * (1 - 0.25 * jitter) * 1000).rounded()))
    }

    /// The delay the server asks for, if any.
    ///
    /// A server's number is clamped before it becomes an `Int`: `retry-after-ms: 1e300` would
    /// otherwise trap, and any wait past ``longestServerDelay`` means the same (no retry).
    static func serverDelay(_ header: (String) -> String?, now: Date) -> Duration? {
        if let text = header("retry-after-ms"), let ms = Double(text), ms.isFinite {
            return clamped(milliseconds: ms)
        }
        guard let text = header("retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(text), seconds.isFinite { return clamped(milliseconds: seconds * 1000) }
        guard let date = httpDate.date(from: text) else { return nil }
        return clamped(milliseconds: date.timeIntervalSince(now) * 1000)
    }

    /// `ms` as a duration in [0, longestServerDelay + 1 s]: far enough past the longest to refuse it.
    private static func clamped(milliseconds ms: Double) -> Duration {
        let ceiling = Double(longestServerDelay.milliseconds + 1000)
        return .milliseconds(Int(min(max(ms, 0), ceiling).rounded()))
    }

    /// RFC 9110's IMF-fixdate, e.g. "Wed, 25 Nov 2026 09:14:00 GMT".
    private static let httpDate: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter
    }()
}
