import Foundation

/// How values read on a page: times, durations, money and tokens.
enum Display {
    /// "6.2 s", "850 ms", "1 min 12 s".
    static func duration(milliseconds ms: Int) -> String {
        if ms < 1000 { return "\(ms) ms" }
        if ms < 60_000 { return String(format: "%.1f s", Double(ms) / 1000) }
        if ms < 3_600_000 { return "\(ms / 60_000) min \((ms % 60_000) / 1000) s" }
        return "\(ms / 3_600_000) h \((ms % 3_600_000) / 60_000) min"
    }

    /// "25 Nov 2026, 09:14 UTC": readable, and the same on every machine.
    static func time(_ date: Date) -> String {
        let t = UTCTime(date)
        return "\(t.day) \(t.monthName) \(t.year), \(t.two(t.hour)):\(t.two(t.minute)) UTC"
    }

    /// "25 Nov 2026".
    static func day(_ date: Date) -> String {
        let t = UTCTime(date)
        return "\(t.day) \(t.monthName) \(t.year)"
    }

    /// "2026-11-25T09:14:03Z", for `<time datetime>` and sorting.
    static func iso(_ date: Date) -> String {
        let t = UTCTime(date)
        return
            "\(t.four(t.year))-\(t.two(t.month))-\(t.two(t.day))T\(t.two(t.hour)):\(t.two(t.minute)):\(t.two(t.second))Z"
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
        // ASCII text (most prompts) byte by byte: walking Characters, with their grapheme breaks and
        // Unicode properties, was a twentieth of a 10,000-page render. The same result either way.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiExcerpt(text, limit: limit) }
        // The text with each run of white space made one space, read only as far as needed.
        var flat = ""
        var count = 0
        var space = false
        for character in text {
            if character.isWhitespace {
                space = count > 0
                continue
            }
            if space {
                flat.append(" ")
                count += 1
                space = false
            }
            flat.append(character)
            count += 1
            if count > limit { break }
        }
        guard count > limit else { return flat }
        let cut = flat.prefix(limit)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<end]) + "…"
    }

    /// ``excerpt(_:limit:)`` of text that is all ASCII, where a byte is a character.
    private static func asciiExcerpt(_ text: String, limit: Int) -> String {
        var flat: [UInt8] = []
        flat.reserveCapacity(min(text.utf8.count, limit + 1))
        var space = false
        for byte in text.utf8 {
            // Character.isWhitespace of ASCII: tab, line feed, vertical tab, form feed, return, space.
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                space = !flat.isEmpty
                continue
            }
            if space {
                flat.append(0x20)
                space = false
            }
            flat.append(byte)
            if flat.count > limit { break }
        }
        guard flat.count > limit else { return String(decoding: flat, as: UTF8.self) }
        let cut = flat.prefix(limit)
        let end = cut.lastIndex(of: 0x20) ?? cut.endIndex
        return String(decoding: cut[..<end], as: UTF8.self) + "…"
    }
}

/// A date's calendar fields in UTC, from the C library's `gmtime_r`: the pages show many dates, and
/// Foundation's formatters took a tenth of a 1,000-page render. Whole seconds, rounded down.
private struct UTCTime {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    init(_ date: Date) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        year = Int(fields.tm_year) + 1900
        month = Int(fields.tm_mon) + 1
        day = Int(fields.tm_mday)
        hour = Int(fields.tm_hour)
        minute = Int(fields.tm_min)
        second = Int(fields.tm_sec)
    }

    var monthName: String { Self.months[month - 1] }

    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    func four(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
