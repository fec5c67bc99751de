import Foundation
import Testing

@testable import EaselKit

/// A build with nothing changed skips rendering; every kind of change still renders, and a site
/// file deleted or edited by hand is written again.
struct SiteStampTests {
    private func build(
        _ project: TemporaryProject,
        _ options: BuildOptions = BuildOptions()
    ) async throws
        -> BuildReport
    {
        try await Builder(project: try project.open(), source: RecordingSource()).build(options)
    }

    @Test func aBuildWithNothingChangedRendersNothingAndEveryChangeRenders() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: First title\n")
            try project.write("prompts/a.md", "# Cat\n\nA cat on a mat.")
            try project.write("prompts/b.md", "A dog.")
            var report = try await build(project)
            #expect(report.generated == 2)
            #expect(!report.siteUnchanged)
            #expect(project.exists(".easel/site-stamp"))

            report = try await build(project)
            #expect(report.cached == 2)
            #expect(report.siteUnchanged)

            // easel.yml
            try project.write("easel.yml", "title: Second title\n")
            report = try await build(project)
            #expect(!report.siteUnchanged)
            #expect(try project.read("site/index.html").contains("Second title"))
            #expect(try await build(project).siteUnchanged)

            // A title in a prompt file: no request, a new page.
            try project.write("prompts/a.md", "# Tabby\n\nA cat on a mat.")
            report = try await build(project)
            #expect(report.generated == 0)
            #expect(!report.siteUnchanged)
            #expect(try project.read("site/prompts/a.html").contains("Tabby"))

            // New prompt text: a new image, and the old one becomes an earlier version.
            try project.write("prompts/a.md", "# Tabby\n\nA black cat on a mat.")
            report = try await build(project)
            #expect(report.generated == 1)
            #expect(!report.siteUnchanged)
            let page = try project.read("site/prompts/a.html")
            #expect(page.contains("A black cat on a mat."))
            #expect(page.contains("Earlier versions"))
            #expect(try await build(project).siteUnchanged)

            // A template override.
            try project.write("templates/prompt.mustache", "<p>custom {{title}}</p>")
            report = try await build(project)
            #expect(!report.siteUnchanged)
            #expect(try project.read("site/prompts/a.html") == "<p>custom Tabby</p>")
            try FileManager.default.removeItem(at: project.root.appendingPathComponent("templates"))
            #expect(try await !build(project).siteUnchanged)
            let restored = try project.read("site/prompts/a.html")
            #expect(restored.contains("A black cat on a mat."))

            // A site file deleted, or edited by hand, is written again.
            try FileManager.default.removeItem(at: project.root.appendingPathComponent("site/prompts/b.html"))
            #expect(try await !build(project).siteUnchanged)
            #expect(project.exists("site/prompts/b.html"))
            try project.write("site/prompts/a.html", restored + "<!-- edited -->")
            #expect(try await !build(project).siteUnchanged)
            #expect(try project.read("site/prompts/a.html") == restored)

            // A removed prompt.
            try FileManager.default.removeItem(at: project.root.appendingPathComponent("prompts/b.md"))
            #expect(try await !build(project).siteUnchanged)
            #expect(!project.exists("site/prompts/b.html"))
            #expect(try await build(project).siteUnchanged)
        }
    }

    @Test func anotherOutputFolderOrAnUnreadableStampRenders() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            _ = try await build(project)
            var options = BuildOptions()
            options.output = project.root.appendingPathComponent("elsewhere")
            #expect(try await !build(project, options).siteUnchanged)
            #expect(project.exists("elsewhere/index.html"))
            #expect(try await build(project, options).siteUnchanged)
            // The stamp now names elsewhere/: site/ is rendered (its files are the same, so none is rewritten).
            #expect(try await !build(project).siteUnchanged)

            try project.write(".easel/site-stamp", "not a stamp\n")
            #expect(try await !build(project).siteUnchanged)
            #expect(try await build(project).siteUnchanged)
        }
    }

    @Test func theStampRoundTrips() throws {
        let stamp = SiteStamp(
            output: "/tmp/site with space",
            inputs: String(repeating: "ab", count: 32),
            files: [.init(path: "prompts/a b.html", size: 12, modified: 1_795_610_543_079_865_606)]
        )
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("stamp")
        try stamp.save(to: url)
        #expect(SiteStamp.load(from: url) == stamp)
        // A size or time that is not a number an Int64 holds, or a path that is not UTF-8, is no stamp.
        let saved = try Data(contentsOf: url)
        for (bad, good) in [
            ("99999999999999999999\t", "12\t"), ("1x\t", "12\t"), ("-\t", "12\t"), ("\t\t", "\t"),
        ] {
            let text = String(decoding: saved, as: UTF8.self).replacingOccurrences(of: good, with: bad)
            try Data(text.utf8).write(to: url)
            #expect(SiteStamp.load(from: url) == nil, "\(bad)")
        }
        var invalid = saved
        invalid.replaceSubrange(invalid.range(of: Data("a b".utf8))!, with: [0x61, 0xFF, 0x62])
        try invalid.write(to: url)
        #expect(SiteStamp.load(from: url) == nil)
        #expect(Data("-42".utf8).withUnsafeBytes { SiteStamp.integer($0[...]) } == -42)
    }

    /// The credentials counts come back as saved; counts that are negative, huge, missing or not
    /// numbers make the stamp unreadable (a full render), never a number in a summary.
    @Test func credentialsCountsRoundTripAndBadOnesAreRefused() throws {
        var stamp = SiteStamp(output: "/tmp/site", inputs: String(repeating: "cd", count: 32), files: [])
        stamp.credentials.with = 3
        stamp.credentials.altered = 1
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("stamp")
        try stamp.save(to: url)
        #expect(SiteStamp.load(from: url)?.credentials == stamp.credentials)
        let saved = try String(contentsOf: url, encoding: .utf8)
        for bad in ["-1 0 0 0", "99999999999999999999 0 0 0", "1 2 3", "a b c d", ""] {
            try saved.replacingOccurrences(of: "3 0 1 0\n", with: bad + "\n").write(
                to: url,
                atomically: true,
                encoding: .utf8
            )
            #expect(SiteStamp.load(from: url) == nil, "\(bad)")
        }
    }
}
