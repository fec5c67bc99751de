import Testing

@testable import EaselKit

struct MarkdownDocumentTests {
    @Test func aLeadingHeadingIsTheTitleAndIsNotSent() {
        let document = MarkdownDocument(parsing: "# Death Star over *Kolochava*\n\nDS-1 Death Star in the sky\n")
        #expect(document.title == "Death Star over Kolochava")
        #expect(document.text == "DS-1 Death Star in the sky")
        #expect(document.html == "<p>DS-1 Death Star in the sky</p>\n")
    }

    @Test func aHeadingThatIsNotFirstStays() {
        let document = MarkdownDocument(parsing: "Intro.\n\n# Later\n\nMore.")
        #expect(document.title == nil)
        #expect(document.text == "Intro.\n\nLater\n\nMore.")
    }

    @Test(arguments: [
        ("Some *emphasis*, **strong** and `code`.", "Some emphasis, strong and code."),
        ("A [link](https://example.com) and ![alt words](x.png).", "A link and alt words."),
        ("Line one\nline two\n\nSecond paragraph.", "Line one line two\n\nSecond paragraph."),
        ("- one\n- two\n\nAfter.", "- one\n- two\n\nAfter."),
        ("1. first\n2. second", "1. first\n2. second"),
        ("> quoted *text*", "quoted text"),
        ("```\nlet x = 1\n```", "let x = 1"),
        ("Hard  \nbreak", "Hard\nbreak"),
    ])
    func plainTextDropsInlineFormattingAndKeepsParagraphs(markdown: String, expected: String) {
        #expect(MarkdownDocument(parsing: markdown).text == expected)
    }

    @Test func rawHTMLIsOmittedFromThePageAndTheText() {
        let document = MarkdownDocument(
            parsing: "Before <script>alert(1)</script> after.\n\n<div onclick=x>block</div>\n"
        )
        #expect(!document.html.contains("<script"))
        #expect(!document.html.contains("<div"))
        #expect(document.html.contains("<!-- raw HTML omitted -->"))
        #expect(document.text == "Before alert(1) after.")
    }

    @Test func unsafeLinksAreDropped() {
        let document = MarkdownDocument(parsing: "[click](javascript:alert(1))")
        #expect(!document.html.contains("javascript:"))
    }

    @Test func textIsEscapedInHTML() {
        let document = MarkdownDocument(parsing: "5 < 6 & \"quotes\"")
        #expect(document.html == "<p>5 &lt; 6 &amp; &quot;quotes&quot;</p>\n")
        #expect(document.text == "5 < 6 & \"quotes\"")
    }

    @Test func nestedListsAreIndentedTwoSpacesALevelUpToALimit() {
        let nested = (0..<12).map { String(repeating: "  ", count: $0) + "- \($0)" }.joined(separator: "\n")
        let lines = MarkdownDocument(parsing: nested).text.split(separator: "\n")
        #expect(lines.count == 12)
        #expect(lines[2] == "    - 2")
        #expect(lines[PlainText.deepestIndent] == String(repeating: "  ", count: PlainText.deepestIndent) + "- 8")
        #expect(lines[11] == String(repeating: "  ", count: PlainText.deepestIndent) + "- 11")
    }

    @Test func itemsNestedThousandsDeepMakeTextAsLongAsTheirMarkers() {
        // A quote holding a list holding a quote…: each level was indented two spaces more, and
        // 8,000 levels were 64 million characters.
        let document = MarkdownDocument(parsing: String(repeating: "> - ", count: 8_000) + "x")
        #expect(document.text.hasSuffix("- x"))
        #expect(document.text.utf8.count < 8_000 * (2 * PlainText.deepestIndent + 3))
    }

    @Test func anEmptyBodyHasNoText() {
        #expect(MarkdownDocument(parsing: "\n\n").text.isEmpty)
        #expect(MarkdownDocument(parsing: "# Only a title\n").text.isEmpty)
    }
}
