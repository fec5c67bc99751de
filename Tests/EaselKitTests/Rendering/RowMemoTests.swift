import Foundation
import Testing

@testable import EaselKit

/// The rows of `gallery.json` and `search-index.js` of unchanged prompts come from `.easel/rows`
/// (DependencyTrackingTests checks that the files are then byte for byte a build from scratch).
struct RowMemoTests {
    private func build(_ project: TemporaryProject, into output: String? = nil) async throws {
        var options = BuildOptions()
        options.output = output.map { project.root.appendingPathComponent($0) }
        _ = try await Builder(project: try project.open(), source: RecordingSource()).build(options)
    }

    @Test func anUnchangedPromptsRowsAreTakenFromTheMemo() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# Apple\n\nA red apple.")
            try project.write("prompts/b.md", "# Banana\n\nA yellow banana.")
            try await build(project)
            let memo = try project.read(".easel/rows")
            let heads = try Regex("[gs][0-9a-f]{64} [0-9]+\n")
            #expect(memo.matches(of: heads).count == 4, "a row of each data file for each prompt")
            // A marked row for "Apple": what the next build shows if it takes rows from the memo.
            let marked = memo.replacingOccurrences(of: "A red apple.", with: "A red APPLE.")
            #expect(marked != memo)
            try project.write(".easel/rows", marked)
            try project.write("prompts/b.md", "# Banana\n\nA green banana.")
            try await build(project)
            let json = try project.read("site/gallery.json")
            #expect(json.contains("A red APPLE."), "the unchanged prompt's row came from the memo")
            #expect(json.contains("A green banana."), "the changed prompt's row was encoded")
            #expect(try project.read("site/search-index.js").contains("A green banana."))
        }
    }

    /// A row shows its prompt, and besides it only what the Easel binary and the models' default
    /// sizes make of it: a new title or template keeps the rows, a change to a model's row does not.
    @Test func theRowsOutliveATitleOrTemplateButNotAModelTable() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: First\n")
            try project.write("prompts/a.md", "# Apple\n\nA red apple.")
            try await build(project)
            let marked = try project.read(".easel/rows").replacingOccurrences(of: "A red apple.", with: "A red APPLE.")
            try project.write(".easel/rows", marked)
            try project.write("easel.yml", "title: Second\n")
            try project.write("templates/footer.mustache", "<footer>Made here.</footer>\n")
            try await build(project)
            #expect(try project.read("site/index.html").contains("Second"))
            #expect(try project.read("site/gallery.json").contains("A red APPLE."), "kept across a new title")
            try project.write("easel.yml", "title: Second\nmodels:\n  custom:\n    like: dall-e-2\n")
            try await build(project)
            #expect(!(try project.read("site/gallery.json").contains("A red APPLE.")), "encoded again")
        }
    }

    @Test func aDamagedOrForeignMemoIsNoMemo() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# Apple\n\nA red apple.")
            try await build(project)
            let memo = try project.read(".easel/rows")
            for damaged in [
                memo.replacingOccurrences(of: "A red apple.", with: "A red APPLE."),
                String(memo.dropLast(10)),
                memo.replacingOccurrences(of: "easel-rows 1 ", with: "easel-rows 1 0"),
            ] {
                // The marked row, behind a length that no longer matches, a cut file or another context.
                let cut = damaged == String(memo.dropLast(10))
                try project.write(
                    ".easel/rows",
                    cut ? damaged : damaged.replacingOccurrences(of: "A red", with: "A  red")
                )
                try project.write("prompts/a.md", "# Apple\n\nA red apple!")
                try await build(project)
                try project.write("prompts/a.md", "# Apple\n\nA red apple.")
                try await build(project)
                let json = try project.read("site/gallery.json")
                #expect(json.contains("A red apple."))
                #expect(!json.contains("APPLE") && !json.contains("A  red"))
            }
        }
    }

    @Test func aMemoBroughtByACloneIsNoMemo() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# Apple\n\nA red apple.")
            try await build(project)
            // What a hostile gallery would commit: a memo made by the same Easel for the same
            // prompts, its row changed, in a folder the victim clones (new inodes, same bytes).
            let memo = try project.read(".easel/rows")
            let marked = memo.replacingOccurrences(of: "A red apple.", with: "A red APPLE.")
            #expect(marked != memo)
            try project.write(".easel/rows", marked)
            try await TemporaryProject.with { clone in
                try FileManager.default.removeItem(at: clone.root)
                try FileManager.default.copyItem(at: project.root, to: clone.root)
                try FileManager.default.removeItem(at: clone.root.appendingPathComponent("site"))
                try await build(clone)
                #expect(!(try clone.read("site/gallery.json")).contains("A red APPLE."))
                #expect(try clone.read("site/gallery.json").contains("A red apple."))
            }
            // In the folder it was made in, the same memo is taken (the check above can fail).
            try project.write("prompts/b.md", "# Banana\n\nA banana.")
            try await build(project)
            #expect(try project.read("site/gallery.json").contains("A red APPLE."))
        }
    }

    @Test func aBuildIntoAnotherFolderLeavesTheMemoAlone() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            try await build(project)
            let memo = try project.read(".easel/rows")
            try await build(project, into: "elsewhere")
            #expect(try project.read(".easel/rows") == memo)
            #expect(project.exists("elsewhere/gallery.json"))
        }
    }
}
