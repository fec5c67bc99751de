import Foundation

/// How values read on a page: times, durations, money and tokens.
enum Display {
    /// "6.2 s", "850 ms", "1 min 12 s".
    static func duration(milliseconds ms: Int) -> String {
        if ms < 1000 { return "\(ms) ms" }
        if ms < 60_000 { return String(format: "%.1f s", Double(ms) / 1000) }
        return "\(ms / 60_000) min \((ms % 60_000) / 1000) s"
    }

    /// "25 Nov 2026, 09:14 UTC": readable, and the same on every machine.
    static func time(_ date: Date) -> String {
        timeFormatter.string(from: date) + " UTC"
    }

    /// "25 Nov 2026".
    static func day(_ date: Date) -> String {
        dayFormatter.string(from: date)
    }

    /// "2026-11-25T09:14:03Z", for `<time datetime>` and sorting.
    static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// "$0.19", "$0.0042": enough digits to tell small costs apart.
    static func dollars(_ amount: Double) -> String {
        amount >= 0.1 || amount == 0 ? String(format: "$%.2f", amount) : String(format: "$%.4f", amount)
    }

    /// "12,345".
    static func count(_ value: Int) -> String {
        let digits = String(value)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return grouped
    }

    /// `text` on one line, cut at a word boundary to at most `limit` characters.
    static func excerpt(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard flat.count > limit else { return flat }
        let cut = flat.prefix(limit)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<end]) + "…"
    }

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    private static let timeFormatter = formatter("d MMM yyyy, HH:mm")
    private static let dayFormatter = formatter("d MMM yyyy")
}
