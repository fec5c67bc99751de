import Testing

@testable import EaselKit

struct SuggestionTests {
    @Test(arguments: [
        ("modle", "model"),
        ("qualty", "quality"),
        ("sze", "size"),
        ("tag", "tags"),
        ("variation-of", "variation_of"),
    ])
    func suggestsTheNearestKey(typo: String, expected: String) {
        let keys = PromptKey.allCases.map(\.rawValue)
        #expect(Suggestion.nearest(to: typo, in: keys) == expected)
    }

    @Test func suggestsNothingForAnUnrelatedWord() {
        #expect(Suggestion.nearest(to: "colourfulness", in: ["size", "model", "n"]) == nil)
    }

    @Test func countsASwapOfNeighboursAsOneEdit() {
        #expect(Suggestion.editDistance(Array("hgih"), Array("high")) == 1)
        #expect(Suggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
    }
}
