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
}
