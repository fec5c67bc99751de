import Foundation
import Testing

@testable import EaselKit

/// A theme that makes a page repeat itself without end (sections over the page's cards inside a
/// card, partials included a thousand times by partials included a thousand times) ran a build
/// for as long as it was let run; it is refused when the theme loads.
struct ThemeExpansionTests {
    @Test(arguments: [
        ("cards", 100), ("site.albums", 100), ("reversed(cards)", 100), ("sorted(tags)", 30), ("images", 10),
        ("empty(cards)", 1), ("first(cards)", 1), ("count(images)", 1), ("title", 1), (".srcset", 1),
        ("isCurrent", 1),
    ])
    func aSectionRepeatsWhenItNamesAList(section: String, repeats: Int) {
        #expect(Theme.repeats(ofSection: ArraySlice(section.utf8)) == repeats)
    }

    @Test func theBuiltInThemeIsFarUnderTheLimit() throws {
        let theme = Theme.builtin
        var done: [String: Theme.Expansion] = [:]
        let largest = try theme.templates.keys.map { try theme.expansion(of: $0, &done).bytes }.max() ?? 0
        // The index: 100 cards of 30 tags each, and the navigation's 100 albums.
        #expect(largest > 100_000)
        #expect(largest * 16 < Theme.expansionLimit, "the built-in theme reckons to \(largest) bytes")
    }

    @Test func cardsInsideACardAreRefusedBeforeAPageIsRendered() async throws {
        try await TemporaryProject.with { project in
            let card = Theme.builtin.templates["card"] ?? ""
            let bomb = String(repeating: "{{#cards}}", count: 4) + "x" + String(repeating: "{{/cards}}", count: 4)
            try project.write("templates/card.mustache", card + "\n" + bomb + "\n")
            for index in 0..<3 { try project.write("prompts/p\(index).md", "# P\(index)\n\nA cat.") }
            if let error = try await project.themeErrorOfOfflineBuild() {
                #expect(error.template == "templates/card.mustache")
                let line = card.split(separator: "\n", omittingEmptySubsequences: false).count + 1
                // At the innermost section over cards: the fourth.
                #expect((error.line, error.column) == (line, 31))
                #expect(error.message.contains("cards → cards → cards → cards"))
            }
            #expect(!project.exists("site"))
        }
    }

    @Test func cardsInsideTheIndexsCardsAreRefusedWhereTheyAreIncluded() throws {
        // Two lists deep in the card, a third where the index repeats the card.
        var theme = Theme.builtin
        theme.add(path: "card.mustache", data: Data("{{#cards}}{{#cards}}<b>{{title}}</b>{{/cards}}{{/cards}}".utf8))
        #expect {
            try theme.refuseRunawayExpansion()
        } throws: { error in
            guard let error = error as? ThemeError else { return false }
            return error.template == "templates/index.mustache"
                && error.message.contains("every item of cards, with card, which it includes, reckoned at ")
        }
    }

    @Test func partialsIncludedThousandsOfTimesAreRefused() throws {
        var theme = Theme.builtin
        let thousand = { (name: String) in Data(String(repeating: "{{> \(name)}}", count: 1000).utf8) }
        theme.add(path: "footer.mustache", data: thousand("t1"))
        theme.add(path: "t1.mustache", data: thousand("t2"))
        theme.add(path: "t2.mustache", data: thousand("t3"))
        theme.add(path: "t3.mustache", data: Data("0123456789".utf8))
        #expect {
            try theme.refuseRunawayExpansion()
        } throws: { error in
            guard let error = error as? ThemeError else { return false }
            return error.template == "templates/footer.mustache" && error.message.contains("include fewer")
        }
        // A hundred times a hundred times a hundred is a page of 10 MB: allowed.
        theme.add(path: "footer.mustache", data: Data(String(repeating: "{{> t1}}", count: 100).utf8))
        theme.add(path: "t1.mustache", data: Data(String(repeating: "{{> t2}}", count: 100).utf8))
        theme.add(path: "t2.mustache", data: Data(String(repeating: "{{> t3}}", count: 100).utf8))
        try theme.refuseRunawayExpansion()
    }

    @Test func aParentsBlocksRepeatWhereTheParentRepeatsThem() throws {
        var theme = Theme.builtin
        // The parent renders its block once per card of a card of a card; the child's block is large.
        theme.add(
            path: "frame.mustache",
            data: Data("{{#cards}}{{#cards}}{{#cards}}{{$inner}}{{/inner}}{{/cards}}{{/cards}}{{/cards}}".utf8)
        )
        theme.add(
            path: "stats.mustache",
            data: Data("{{<frame}}{{$inner}}\(String(repeating: "y", count: 100)){{/inner}}{{/frame}}".utf8)
        )
        #expect(throws: ThemeError.self) { try theme.refuseRunawayExpansion() }
        theme.add(path: "stats.mustache", data: Data("{{<frame}}{{$inner}}y{{/inner}}{{/frame}}".utf8))
        try theme.refuseRunawayExpansion()
    }
}
