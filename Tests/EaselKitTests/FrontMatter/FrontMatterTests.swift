import Foundation
import Testing

@testable import EaselKit

struct FrontMatterTests {
    private func split(_ text: String) throws -> FrontMatter {
        try FrontMatter.split(TextFile(path: "p.md", text: text)).get()
    }

    @Test func splitsYAMLFromTheBodyAndKeepsLineNumbers() throws {
        let parts = try split("---\nsize: auto\nn: 2\n---\n# Title\n\nBody\n")
        #expect(parts.yaml == "size: auto\nn: 2")
        #expect(parts.yamlFirstLine == 2)
        #expect(parts.body == "# Title\n\nBody\n")
        #expect(parts.bodyFirstLine == 5)
    }

    @Test func aFileWithoutFrontMatterIsAllBody() throws {
        let parts = try split("Just a prompt.\n")
        #expect(parts.yaml == nil)
        #expect(parts.body == "Just a prompt.\n")
    }

    @Test func dotsCloseFrontMatterToo() throws {
        #expect(try split("---\nn: 1\n...\nBody").yaml == "n: 1")
    }

    @Test func anUnclosedFrontMatterPointsAtItsOpeningLine() {
        let result = FrontMatter.split(TextFile(path: "p.md", text: "---\nsize: auto\n\nBody\n"))
        guard case .failure(let diagnostic) = result else {
            Issue.record("expected a diagnostic")
            return
        }
        #expect(diagnostic.location == SourceLocation(path: "p.md", line: 1, column: 1))
        #expect(diagnostic.message.contains("never closed"))
    }

    @Test func crlfAndByteOrderMarkAreNormalised() throws {
        let file = try TextFile.decode(Data("\u{FEFF}---\r\nn: 1\r\n---\r\nBody\r\n".utf8), path: "p.md").get()
        #expect(file.text == "---\nn: 1\n---\nBody\n")
    }

    @Test func binaryDataIsRejectedWithItsPosition() {
        let result = TextFile.decode(Data([0x2D, 0x2D, 0x0A, 0x41, 0x00, 0x42]), path: "p.md")
        guard case .failure(let diagnostic) = result else {
            Issue.record("expected a diagnostic")
            return
        }
        #expect(diagnostic.location == SourceLocation(path: "p.md", line: 2, column: 2))
        #expect(diagnostic.message.contains("binary"))
    }

    @Test func invalidUTF8IsRejectedWithItsPosition() {
        let result = TextFile.decode(Data([0x61, 0x0A, 0x62, 0x63, 0xFF, 0x64]), path: "p.md")
        guard case .failure(let diagnostic) = result else {
            Issue.record("expected a diagnostic")
            return
        }
        #expect(diagnostic.location == SourceLocation(path: "p.md", line: 2, column: 3))
        #expect(diagnostic.message.contains("UTF-8"))
    }
}
