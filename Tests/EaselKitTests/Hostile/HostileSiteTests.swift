import Foundation
import Testing

@testable import EaselKit

/// The output folder, as a cloned repository may bring it, and `--out` pointed at the wrong place
/// (issue 11, holes 2 and 8): Easel writes and deletes only inside a folder it owns, never through
/// a link.
struct HostileSiteTests {
    /// A folder outside the project holding `important.txt`, removed afterwards.
    private func withOutsideFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("easel-outside-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "important\n".write(to: folder.appendingPathComponent("important.txt"), atomically: true, encoding: .utf8)
        return try await body(folder)
    }

    private func offlineBuild(_ project: TemporaryProject, output: URL? = nil) async throws -> BuildReport {
        var options = BuildOptions()
        options.offline = true
        options.output = output
        return try await Builder(project: try project.open(), source: nil).build(options)
    }

    /// A FIFO under a thumbnail's name (the current one, or the name an earlier Easel gave it)
    /// blocked the build for good when its header was read; it is now passed over, and replaced.
    @Test(.timeLimit(.minutes(1))) func aFifoUnderAThumbnailsNameIsNeverWaitedOn() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "# Cat\n\nA cat.")
            #expect(
                try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
                    .generated == 1
            )
            let thumbs = project.root.appendingPathComponent("site/thumbs")
            let names = try FileManager.default.contentsOfDirectory(atPath: thumbs.path)
            #expect(!names.isEmpty)
            for name in names {
                try FileManager.default.removeItem(at: thumbs.appendingPathComponent(name))
                #expect(mkfifo(thumbs.appendingPathComponent(name).path, 0o644) == 0)
            }
            // The old names too: site/thumbs/<published image's name>-<width>.webp.
            let image = try #require(
                try FileManager.default.contentsOfDirectory(
                    atPath: project.root.appendingPathComponent("site/images").path
                )
                .first
            )
            let stem = String(image[..<image.lastIndex(of: ".")!])
            for width in SiteRenderer.thumbnailWidths {
                #expect(mkfifo(thumbs.appendingPathComponent("\(stem)-\(width).webp").path, 0o644) == 0)
            }
            let report = try await offlineBuild(project)
            #expect(report.failed == 0)
            for name in names {
                #expect(FileKind.of(thumbs.appendingPathComponent(name).path) == .regularFile, "\(name)")
            }
        }
    }

    /// On 1d745f2, `easel build --offline` deleted /elsewhere/important.txt through site/evil.
    @Test func theManifestCannotDeleteThroughALinkOrOutOfTheSite() async throws {
        try await withOutsideFolder { outside in
            try await TemporaryProject.with { project in
                try project.write("prompts/cat.md", "A cat.")
                _ = try await offlineBuild(project)
                let site = project.root.appendingPathComponent("site")
                try FileManager.default.createSymbolicLink(
                    at: site.appendingPathComponent("evil"),
                    withDestinationURL: outside
                )
                let manifest = site.appendingPathComponent(SiteWriter.manifestName)
                let relativeOutside = "../../../../../../../../" + outside.path.dropFirst() + "/important.txt"
                let listed =
                    try String(contentsOf: manifest, encoding: .utf8)
                    + "evil/important.txt\n\(relativeOutside)\n\(outside.path)/important.txt\n"
                try listed.write(to: manifest, atomically: true, encoding: .utf8)

                let report = try await offlineBuild(project)
                #expect(report.placeholders == 1)
                #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("important.txt").path))
                #expect(FileKind.of(site.appendingPathComponent("evil").path) == .missing, "the link is removed")
            }
        }
    }

    /// A linked folder where Easel writes (site/images -> elsewhere) would have received the images.
    @Test func nothingIsWrittenThroughALinkInTheSite() async throws {
        try await withOutsideFolder { outside in
            try await TemporaryProject.with { project in
                try project.write("prompts/cat.md", "A cat.")
                _ = try await offlineBuild(project)
                let site = project.root.appendingPathComponent("site")
                try FileManager.default.removeItem(at: site.appendingPathComponent("images"))
                try FileManager.default.createSymbolicLink(
                    at: site.appendingPathComponent("images"),
                    withDestinationURL: outside
                )
                try FileManager.default.removeItem(at: site.appendingPathComponent("index.html"))
                try FileManager.default.createSymbolicLink(
                    at: site.appendingPathComponent("index.html"),
                    withDestinationURL: outside.appendingPathComponent("important.txt")
                )
                _ = try await offlineBuild(project)
                #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["important.txt"])
                #expect(
                    try String(contentsOf: outside.appendingPathComponent("important.txt"), encoding: .utf8)
                        == "important\n"
                )
                #expect(FileKind.of(site.appendingPathComponent("images").path) == .directory)
                #expect(FileKind.of(site.appendingPathComponent("index.html").path) == .regularFile)
            }
        }
    }

    /// On 1d745f2 `--out .`, `--out ..` and `--out docs` replaced the user's files with exit 0.
    @Test(arguments: [".", "..", "prompts", "cache", "inputs", "templates", "prompts/space", "docs"])
    func anOutputFolderThatIsNotEaselsIsRefusedAndNothingIsWritten(_ out: String) async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            try project.write("prompts/space/star.md", "A star.")
            try project.write("docs/index.html", "<p>the user's own page</p>")
            try project.write("index.html", "<p>the user's project page</p>")
            let before = try project.snapshot(of: ".")
            let output = project.root.appendingPathComponent(out)
            #expect(OutputFolder.refusal(for: output, in: try project.open(), isDefault: false) != nil)
            await #expect(throws: OutputFolderError.self) { _ = try await offlineBuild(project, output: output) }
            #expect(try project.snapshot(of: ".").files == before.files, "nothing was written")
        }
    }

    @Test func aFolderEaselWroteOrOneWithOnlyHiddenFilesIsAccepted() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            let pages = project.root.appendingPathComponent("gh-pages")
            try project.write("gh-pages/.git/HEAD", "ref: refs/heads/gh-pages\n")
            #expect(OutputFolder.refusal(for: pages, in: try project.open(), isDefault: false) == nil)
            _ = try await offlineBuild(project, output: pages)
            #expect(project.exists("gh-pages/index.html") && project.exists("gh-pages/.git/HEAD"))
            // Built once, it holds the manifest: building there again is fine.
            #expect(OutputFolder.refusal(for: pages, in: try project.open(), isDefault: false) == nil)
        }
    }

    @Test func aSiteFolderThatIsALinkIsRefused() async throws {
        try await withOutsideFolder { outside in
            try await TemporaryProject.with { project in
                try project.write("prompts/cat.md", "A cat.")
                try FileManager.default.createSymbolicLink(
                    at: project.root.appendingPathComponent("site"),
                    withDestinationURL: outside
                )
                let refusal = OutputFolder.refusal(
                    for: project.root.appendingPathComponent("site"),
                    in: try project.open(),
                    isDefault: true
                )
                #expect(refusal?.message.contains("symbolic link") == true)
                _ = try? await offlineBuild(project)
                #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["important.txt"])
            }
        }
    }
}
