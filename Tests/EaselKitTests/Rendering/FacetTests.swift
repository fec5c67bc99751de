import Foundation
import Testing

@testable import EaselKit

/// Every page of a list shows its filters: without a bound, a gallery with many tags of their own
/// had tens of thousands of buttons on each of its pages.
struct FacetTests {
    @Test func aListShowsItsHundredMostFrequentTagsAndHowManyMore() async throws {
        try await TemporaryProject.with { project in
            func tags(_ range: Range<Int>) -> String {
                range.map { String(format: "t%03d", $0) }.joined(separator: ", ")
            }
            // 150 tags: t050…t099 on both prompts, the others on one.
            try project.write("prompts/a.md", "---\ntags: [\(tags(0..<100))]\n---\n# A\n\nA cat.")
            try project.write("prompts/b.md", "---\ntags: [\(tags(50..<150))]\n---\n# B\n\nA dog.")
            var options = BuildOptions()
            options.offline = true
            _ = try await Builder(project: try project.open(), source: nil).build(options)
            let index = try project.read("site/index.html")
            let shown = try Regex(#"data-facet="tag" data-value="(t[0-9]+)""#)
            let values = index.matches(of: shown).map { String($0.output[1].substring ?? "") }
            // The fifty on both, then the first fifty of the others by name, in name order.
            #expect(values == (0..<100).map { String(format: "t%03d", $0) })
            #expect(index.contains("<li class=\"chips-more\">and 50 more: search finds them</li>"))
            // Every tag is still searchable.
            #expect(try project.read("site/search-index.js").contains("t149"))
            // The cards keep all their tags.
            #expect(index.contains("t149"))
        }
    }

    @Test func aListWithFewTagsShowsThemAllAndNoMore() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "---\ntags: [x, y]\n---\n# A\n\nA cat.")
            var options = BuildOptions()
            options.offline = true
            _ = try await Builder(project: try project.open(), source: nil).build(options)
            let index = try project.read("site/index.html")
            #expect(index.contains("data-facet=\"tag\" data-value=\"y\""))
            #expect(!index.contains("chips-more"))
        }
    }
}
