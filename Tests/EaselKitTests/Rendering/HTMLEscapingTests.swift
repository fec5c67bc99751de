import Mustache
import Testing

@testable import EaselKit

/// Easel's HTML escaping writes what swift-mustache's own does.
struct HTMLEscapingTests {
    private static let samples = [
        "", "plain text", #"<script>alert("x")</script> & 'quotes'"#, "a < b > c & d", "&amp; already",
        "café, naïve, 東京, emoji 👩‍👩‍👧 and é composed", "tab\tnew\nline", "\"\"''<<>>&&", "<\u{301}",
    ]

    @Test(arguments: samples)
    func theSameBytesAsTheLibrary(_ text: String) throws {
        HTMLEscaping.registered
        let library = try MustacheTemplate(string: "{{value}}")
        let easel = try MustacheTemplate(string: "{{% CONTENT_TYPE: HTML }}\n{{value}}")
        let theirs = library.render(["value": text])
        let ours = easel.render(["value": text])
        #expect(text.isEmpty || !theirs.isEmpty, "the value was not found: the comparison would be empty")
        if text == "<\u{301}" {
            // One Character to the library, which leaves it alone; a `<` byte to Easel.
            #expect(theirs == text)
            #expect(ours == "&lt;\u{301}")
        } else {
            #expect(ours == theirs)
        }
        #expect(!ours.contains("<") || text.isEmpty)
    }
}
