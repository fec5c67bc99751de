import Foundation
import Testing

@testable import EaselKit

struct WordDiffTests {
    @Test(arguments: [
        ("a cat on a mat", "a cat on a mat", "a cat on a mat"),
        ("a cat on a mat", "a black cat on a mat", "a <ins>black </ins>cat on a mat"),
        ("a cat on a mat", "a dog on a mat", "a <del>cat</del><ins>dog</ins> on a mat"),
        ("a cat on a mat", "a cat", "a cat<del> on a mat</del>"),
        ("x <b> & y", "x <i> & y", "x <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins> &amp; y"),
        ("one\ntwo", "one\nthree", "one<br><del>two</del><ins>three</ins>"),
    ])
    func marksDeletionsAndInsertionsWordByWord(old: String, new: String, expected: String) {
        #expect(WordDiff.html(from: old, to: new) == expected)
    }

    @Test func oneWordChangedInALongPromptIsOneChange() {
        let words = (0..<20_000).map { "w\($0)" }
        var changed = words
        changed[10_000] = "new"
        let html = WordDiff.html(from: words.joined(separator: " "), to: changed.joined(separator: " "))
        #expect(html.contains(" <del>w10000</del><ins>new</ins> w10001 "))
        #expect(html.components(separatedBy: "<del>").count == 2)
        #expect(html.components(separatedBy: "<ins>").count == 2)
    }

    @Test func textsDifferentThroughoutBeyondTheBoundAreRemovedAndAddedWhole() {
        // 2,001 words and 2,000 separators each: 16 million cells, more than the bound; the
        // same word first and last is kept.
        let old = "start " + (0..<2_000).map { "a\($0 % 7)" }.joined(separator: " ") + " end"
        let new = "start " + (0..<2_000).map { "b\($0 % 5)" }.joined(separator: " ") + " end"
        let html = WordDiff.html(from: old, to: new)
        // Compared as flags: a failure would print 12,000 characters of html otherwise.
        let (starts, turns, ends) = (
            html.hasPrefix("start <del>a0 a1 "), html.contains(" a4</del><ins>b0 b1 "), html.hasSuffix(" b4</ins> end")
        )
        #expect(starts && turns && ends)
        #expect(html.components(separatedBy: "<del>").count == 2)
        // Below the bound, the same kind of texts are diffed word by word.
        let short = WordDiff.html(from: "a0 a1 b1 a2", to: "b0 a1 b1 b2")
        #expect(short == "<del>a0</del><ins>b0</ins> a1 b1 <del>a2</del><ins>b2</ins>")
    }

    @Test func diffsShareABudget() {
        let old = (0..<600).map { "a\($0 % 7)" }.joined(separator: " ")
        let new = (0..<600).map { "b\($0 % 5)" }.joined(separator: " ")
        // 1,199 × 1,199 cells each: two fit in a budget of four million, the third does not.
        var budget = WordDiff.maxCells
        let diffs = (0..<3).map { _ in WordDiff.html(from: old, to: new, budget: &budget) }
        #expect(diffs[0] == diffs[1])
        #expect(diffs[0].components(separatedBy: "<del>").count > 2)
        #expect(diffs[2].components(separatedBy: "<del>").count == 2)
        #expect(budget == WordDiff.maxCells - 2 * 1_199 * 1_199)
    }
}
