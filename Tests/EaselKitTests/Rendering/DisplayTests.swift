import Foundation
import Testing

@testable import EaselKit

struct DisplayTests {
    /// The definition: white space runs made one space, then cut at the last space within `limit`.
    private func reference(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard flat.count > limit else { return flat }
        let cut = flat.prefix(limit)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<end]) + "…"
    }

    @Test func anExcerptCollapsesWhiteSpaceAndCutsAtAWord() {
        #expect(Display.excerpt("  A cat\n\n on\ta   mat. ", limit: 100) == "A cat on a mat.")
        #expect(Display.excerpt("A cat on a mat.", limit: 9) == "A cat on…")
        #expect(Display.excerpt("Supercalifragilistic", limit: 5) == "Super…")
        #expect(Display.excerpt("", limit: 5) == "")
        #expect(Display.excerpt("   ", limit: 5) == "")
    }

    @Test func anExcerptAgreesWithItsDefinitionAtEveryLimit() {
        let texts = [
            "A cat on a mat.", "  leading and trailing  ", "one\ntwo\n\nthree\t four",
            "e\u{301}te\u{301} cafe\u{301} 👩‍👩‍👧 ok",
            String(repeating: "word ", count: 80),
            // ASCII takes a byte-by-byte path: every ASCII white space, and CR LF (one Character).
            "a\u{0B}b\u{0C}c\r\nd\r\n\r\ne \t f", "\r\n\r\nstart", "end\r\n",
        ]
        for text in texts {
            for limit in 0...40 {
                #expect(Display.excerpt(text, limit: limit) == reference(text, limit: limit), "\(text) \(limit)")
            }
        }
    }

    @Test func datesReadTheSameAsFoundationFormatsThem() {
        func formatter(_ format: String) -> DateFormatter {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            return formatter
        }
        let time = formatter("d MMM yyyy, HH:mm")
        let day = formatter("d MMM yyyy")
        var seconds = 0.0
        for step in 0..<2_000 {
            // 1970 to about 2100, with fractions, month ends, leap days and midnight.
            seconds = Double(step) * 2_071_234.567 + Double(step % 7) * 0.999
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Display.time(date) == time.string(from: date) + " UTC")
            #expect(Display.day(date) == day.string(from: date))
            #expect(Display.iso(date) == date.formatted(.iso8601))
        }
        #expect(Display.iso(Date(timeIntervalSince1970: 1_795_598_043.9)) == "2026-11-25T09:14:03Z")
        #expect(Display.time(Date(timeIntervalSince1970: 1_795_598_043)) == "25 Nov 2026, 09:14 UTC")
    }
}
