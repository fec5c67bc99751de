import Foundation
import Testing

@testable import EaselKit

/// Which files under prompts/ are prompts.
struct PromptPathsTests {
    /// The album is the folders between prompts/ and the file, as splitting the path at "/" and
    /// dropping empty names makes it (the fast path must agree, for tidy paths and odd ones).
    @Test(
        arguments: [
            ("prompts/a.md", nil), ("prompts/space/a.md", "space"), ("prompts/space/deep/a.md", "space/deep"),
            ("prompts//space//a.md", "space"), ("/prompts/space/a.md", "space"), ("prompts/space/", nil),
            ("prompts/é/ü/a.md", "é/ü"), ("a.md", nil), ("prompts/a/b/", "a"),
        ] as [(String, String?)]
    )
    func theAlbumIsTheFoldersBetweenPromptsAndTheFile(path: String, album: String?) {
        #expect(PromptFile.bare(at: path).album == album)
    }

    @Test func anAlbumIsAtMostSixteenFoldersDeep() {
        let sixteen = (1...16).map { "f\($0)" }.joined(separator: "/")
        #expect(PromptFile.bare(at: "prompts/\(sixteen)/a.md").album == sixteen)
        #expect(PromptFile.bare(at: "prompts/\(sixteen)/f17/f18/a.md").album == sixteen)
        // The path split where a folder name is empty: the same album.
        #expect(PromptFile.bare(at: "prompts//\(sixteen)/f17/a.md").album == sixteen)
        #expect(PromptFile.folderDepth(of: "prompts/\(sixteen)/f17/a.md") == 17)
        #expect(PromptFile.folderDepth(of: "prompts/a.md") == 0)
    }

    @Test func aPromptTooDeepIsNotReadAndMakesNoPageForEachFolder() async throws {
        try await TemporaryProject.with { project in
            // Three files 800 folders deep made 805 pages and 708 MB of site in 67 s.
            let deep = "prompts/" + String(repeating: "a/", count: 200) + "p.md"
            try project.write(deep, "# P\n\nA cat.")
            try project.write("prompts/b.md", "# B\n\nA dog.")
            var options = BuildOptions()
            options.offline = true
            let report = try await Builder(project: try project.open(), source: nil).build(options)
            let refused = report.prompts.first { $0.file == deep }
            #expect(refused?.status == .failed)
            #expect(refused?.diagnostics.first?.message.contains("200 folders deep") == true)
            #expect(report.placeholders == 1)
            let albums = try FileManager.default.subpathsOfDirectory(
                atPath: project.root.appendingPathComponent("site/albums").path
            ).filter { $0.hasSuffix(".html") }
            #expect(albums.count == Limits.albumDepth)
        }
    }

    @Test func markdownFilesAtAnyDepthAreFoundHiddenOnesAndLinksOutsideAreNot() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A.")
            try project.write("prompts/B.MARKDOWN", "B.")
            try project.write("prompts/space/deep/c.md", "C.")
            try project.write("prompts/notes.txt", "not a prompt")
            try project.write("prompts/md", "not a prompt either")
            try project.write("prompts/.draft.md", "hidden")
            try project.write("prompts/.hidden/d.md", "hidden folder")
            let outside = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: outside) }
            try "Outside.".write(to: outside.appendingPathComponent("o.md"), atomically: true, encoding: .utf8)
            let prompts = project.root.appendingPathComponent("prompts")
            try FileManager.default.createSymbolicLink(
                at: prompts.appendingPathComponent("outside.md"),
                withDestinationURL: outside.appendingPathComponent("o.md")
            )
            try FileManager.default.createSymbolicLink(
                at: prompts.appendingPathComponent("linked-folder"),
                withDestinationURL: outside
            )
            try FileManager.default.createSymbolicLink(
                at: prompts.appendingPathComponent("again.md"),
                withDestinationURL: prompts.appendingPathComponent("a.md")
            )
            // The link out of prompts/ is listed by its own path, to be reported (never read);
            // the link to a prompt inside is that prompt, once; a linked folder is not entered.
            #expect(
                try project.open().promptPaths()
                    == ["prompts/B.MARKDOWN", "prompts/a.md", "prompts/outside.md", "prompts/space/deep/c.md"]
            )
            let outsideLink = try project.load("prompts/outside.md")
            #expect(outsideLink.diagnostics.map(\.message).first?.contains("not a prompt file inside prompts/") == true)
            #expect(outsideLink.text.isEmpty, "a link out of prompts/ is never read")
        }
    }
}
