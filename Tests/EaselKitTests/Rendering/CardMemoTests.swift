import Foundation
import Testing

@testable import EaselKit

/// The built-in card is rendered once for the list pages that show it from the same folder
/// (``CardMemo``): the pages must be the bytes rendering each card in its page makes.
struct CardMemoTests {
    @Test func cardsRenderedOnceAreTheCardsEachPageRenders() async throws {
        try await TemporaryProject.with { project in
            // Two cards a page: every card is on the index and on its album's pages (and those of
            // the album above), most of them at the same depth.
            try project.write("easel.yml", "title: Cards\npage_size: 2\n")
            for (index, album) in ["", "space/", "space/", "space/stations/", "sea/", "sea/", "space/"].enumerated() {
                let tags = index.isMultiple(of: 2) ? "tags: [blue, night]\n" : ""
                try project.write(
                    "prompts/\(album)p\(index).md",
                    "---\n\(tags)date: 2026-0\(1 + index % 9)-1\(index)\n---\n# Prompt & <\(index)>\n\nA \"study\" \(index)."
                )
            }
            try project.write("prompts/space/two.md", "---\nn: 2\n---\n# Two images\n\nTwice.")
            try project.write("prompts/sea/broken.md", "---\nmodel: no-such-model\n---\n# Broken\n\nNo.")
            let source = RecordingSource()
            _ = try await Builder(project: try project.open(), source: source).build(BuildOptions())
            let once = try project.snapshot().files
            #expect(try Theme.load(overridesIn: project.root.appendingPathComponent("templates")).rendersCardsOnce)
            // The same card as a file of the project's own: rendered in each page.
            let card = try #require(Theme.builtin.templates["card"])
            try project.write("templates/card.mustache", card + "{{! the project's own }}\n")
            #expect(try !Theme.load(overridesIn: project.root.appendingPathComponent("templates")).rendersCardsOnce)
            _ = try await Builder(project: try project.open(), source: source).build(BuildOptions())
            let each = try project.snapshot().files
            let pages = once.keys.filter { $0.hasSuffix(".html") }
            #expect(pages.filter { $0.hasPrefix("albums/") || $0.hasPrefix("page/") }.count >= 6)
            #expect(Set(pages) == Set(each.keys.filter { $0.hasSuffix(".html") }))
            for page in pages.sorted() {
                #expect(once[page] == each[page], "\(page) differs")
            }
            #expect(String(decoding: once["albums/space.html"] ?? Data(), as: UTF8.self).contains("Prompt &amp; &lt;"))
        }
    }

    @Test func aCardIsKeptOnlyForThePagesStillToShowIt() throws {
        let library = try Theme.builtin.library()
        let card = CardView(
            title: "A <card>",
            url: "../prompts/a.html",
            album: "space",
            tags: ["blue"],
            model: "gpt-image-2",
            size: "1024×1024",
            latency: "1.2 s",
            created: "1 Dec 2026",
            createdISO: "2026-12-01T00:00:00Z",
            status: "cached",
            isPlaceholder: false,
            isFailed: false,
            image: nil,
            searchText: "a card",
            imageCount: 1,
            kind: "generation",
            sortDate: "2026-12-01",
            models: ["gpt-image-2"]
        )
        let twice = CardMemo.Key(position: 0, root: "../")
        let once = CardMemo.Key(position: 1, root: "../")
        let memo = CardMemo(shown: [twice, once, twice])
        let first = try #require(memo.html(of: card, at: twice, with: library))
        #expect(first.contains("A &lt;card&gt;") && first.hasPrefix("<li class=\"card"))
        #expect(memo.kept == 1)
        #expect(memo.html(of: card, at: once, with: library) == first)
        #expect(memo.kept == 1)
        #expect(memo.html(of: card, at: twice, with: library) == first)
        #expect(memo.kept == 0)
        #expect(memo.summary == "2 cards rendered, 1 reused")
    }
}
