import Foundation
import Testing

@testable import EaselKit

/// A build rewrites exactly the site files whose bytes change, and leaves a site byte for byte
/// equal to a full build from scratch: for every kind of change a gallery goes through.
///
/// "Rewritten" is seen from outside: every write is atomic (a new file renamed into place), so a
/// file rewritten has a new inode; a file left alone keeps its inode and modification time.
struct DependencyTrackingTests {
    /// A site file's identity and bytes.
    private struct Seen: Equatable {
        var identity: FileIdentity
        var data: Data
    }

    private func look(at folder: URL) throws -> [String: Seen] {
        var seen: [String: Seen] = [:]
        for entry in DirectoryWalk.entries(in: folder, hidden: true) where entry.kind == .regularFile {
            let path = folder.appendingPathComponent(entry.path).path
            guard let identity = FileIdentity.of(path) else { continue }
            seen[entry.path] = Seen(identity: identity, data: try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return seen
    }

    private func build(
        _ project: TemporaryProject,
        offline: Bool = false,
        into output: String? = nil
    ) async throws -> BuildReport {
        var options = BuildOptions()
        options.offline = offline
        options.output = output.map { project.root.appendingPathComponent($0) }
        return try await Builder(project: try project.open(), source: RecordingSource()).build(options)
    }

    /// Applies `change`, builds, and checks the two promises; `fresh` names the scratch build's folder.
    /// - Returns: the build's report.
    @discardableResult
    private func check(
        _ project: TemporaryProject,
        _ what: String,
        offline: Bool = false,
        fresh: String,
        _ change: () throws -> Void
    ) async throws -> BuildReport {
        let site = project.root.appendingPathComponent("site")
        try change()
        // What is on disk when the build starts: a file deleted by hand is missing from it.
        let before = try look(at: site)
        let report = try await build(project, offline: offline)
        #expect(report.failed == 0, "\(what): \(report.prompts.compactMap(\.failure))")
        let after = try look(at: site)
        let rewritten = Set(after.keys.filter { before[$0]?.identity != after[$0]!.identity })
        let changed = Set(after.keys.filter { before[$0]?.data != after[$0]!.data })
        #expect(!changed.isEmpty || what == "nothing", "\(what): no file changed, the change was not seen")
        #expect(
            rewritten == changed,
            "\(what): rewritten but unchanged \(rewritten.subtracting(changed).sorted()), changed but not rewritten \(changed.subtracting(rewritten).sorted())"
        )

        // The scratch build leaves its own stamp: the next build here must find this one.
        let stamp = try Data(contentsOf: project.root.appendingPathComponent(".easel/site-stamp"))
        _ = try await build(project, offline: true, into: fresh)
        _ = try project.write(".easel/site-stamp", data: stamp)
        let scratch = try look(at: project.root.appendingPathComponent(fresh))
        #expect(
            Set(after.keys) == Set(scratch.keys),
            "\(what): files differ from a full build: \(Set(after.keys).symmetricDifference(scratch.keys).sorted())"
        )
        let different = after.keys.filter { scratch[$0] != nil && scratch[$0]!.data != after[$0]!.data }
        #expect(different.isEmpty, "\(what): bytes differ from a full build: \(different.sorted())")
        try FileManager.default.removeItem(at: project.root.appendingPathComponent(fresh))
        return report
    }

    /// A list's filters show its 100 most frequent tags and how many more it has: on every page of
    /// the list, so a tag added on one page changes the count on the others.
    @Test func aFilterLeftOutIsCountedOnEveryPageOfItsList() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: Facets\npage_size: 1\n")
            let hundred = (0..<100).map { String(format: "t%03d", $0) }.joined(separator: ", ")
            try project.write("prompts/a.md", "---\ntags: [\(hundred)]\ndate: 2026-01-02\n---\n# A\n\nA.")
            try project.write("prompts/b.md", "---\ntags: [u0]\ndate: 2026-01-01\n---\n# B\n\nB.")
            _ = try await build(project)
            let pages = ["index.html", "page/2.html"]
            let before = try pages.map { try project.read("site/" + $0) }
            #expect(before.allSatisfy { $0.contains("and 1 more: search finds them") })
            try await check(project, "a tag left out of the filters", fresh: "scratch") {
                try project.write("prompts/b.md", "---\ntags: [u0, u1]\ndate: 2026-01-01\n---\n# B\n\nB.")
            }
            #expect(try pages.allSatisfy { try project.read("site/" + $0).contains("and 2 more: search finds them") })
        }
    }

    /// Two prompt files that ask for the same image share its cache entry; each publishes its own
    /// original (with its own provenance), and the two have one set of thumbnails.
    @Test func promptsSharingAnEntryShareItsThumbnails() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: Shared\n")
            try project.write("prompts/one.md", "---\ntitle: One\n---\nA lighthouse at dusk.")
            try project.write("prompts/two.md", "---\ntitle: Two\n---\nA lighthouse at dusk.")
            let report = try await build(project)
            #expect(report.failed == 0)
            let keys = Set(report.prompts.compactMap(\.key))
            #expect(keys.count == 1, "\(keys)")
            let site = project.root.appendingPathComponent("site")
            let originals = try FileManager.default.contentsOfDirectory(
                atPath: site.appendingPathComponent("images").path
            )
            #expect(originals.count == 2, "\(originals)")
            let thumbs = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("thumbs").path)
            #expect(thumbs.count == SiteRenderer.thumbnailWidths.count, "\(thumbs)")
            // Both pages show thumbnails of that one set.
            let shown = try ["prompts/one.html", "prompts/two.html"].map { page in
                let html = try String(contentsOf: site.appendingPathComponent(page), encoding: .utf8)
                return Set(thumbs.filter { html.contains("thumbs/\($0)") })
            }
            #expect(!shown[0].isEmpty)
            #expect(shown[0] == shown[1])
        }
    }

    /// A site an earlier Easel made named thumbnails after the published original; a build now
    /// links them to their new names instead of making them again, and removes the old names.
    @Test func thumbnailsUnderTheirEarlierNamesAreAdopted() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: Upgraded\n")
            try project.write("prompts/one.md", "# One\n\nA lighthouse at dusk.")
            _ = try await build(project)
            let site = project.root.appendingPathComponent("site")
            let original = try #require(
                try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("images").path).first
            )
            let stem = String(original[..<original.lastIndex(of: ".")!])
            let thumbs = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("thumbs").path)
            #expect(!thumbs.isEmpty)
            // Each thumbnail back under the name an earlier Easel gave it, listed as that build's.
            var manifest = try String(contentsOf: site.appendingPathComponent(SiteWriter.manifestName), encoding: .utf8)
            var earlier: [String: FileIdentity] = [:]
            for thumb in thumbs {
                let width = thumb[thumb.index(after: thumb.lastIndex(of: "-")!)...]
                let old = "thumbs/\(stem)-\(width)"
                try FileManager.default.moveItem(
                    at: site.appendingPathComponent("thumbs/\(thumb)"),
                    to: site.appendingPathComponent(old)
                )
                earlier["thumbs/\(thumb)"] = try #require(FileIdentity.of(site.appendingPathComponent(old).path))
                manifest = manifest.replacingOccurrences(of: "thumbs/\(thumb)", with: old)
            }
            try project.write("site/\(SiteWriter.manifestName)", manifest)

            let report = try await build(project)
            #expect(report.failed == 0)
            let now = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("thumbs").path)
            #expect(Set(now) == Set(thumbs), "the earlier names are removed, the new ones are there")
            for (path, identity) in earlier {
                let found = try #require(FileIdentity.of(site.appendingPathComponent(path).path))
                #expect(found.inode == identity.inode, "\(path) was made again, not adopted")
            }
        }
    }

    @Test func everyKindOfChangeRewritesExactlyTheFilesThatChange() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: Tracked\nbase_url: https://example.com/gallery/\npage_size: 3\n")
            for index in 1...4 {
                try project.write(
                    "prompts/animals/cat-\(index).md",
                    "---\ntags: [cat, n\(index)]\ndate: 2026-0\(index)-01\n---\n# Cat \(index)\n\nA cat, number \(index)."
                )
                try project.write(
                    "prompts/places/town-\(index).md",
                    "---\ntags: [town]\n---\n# Town \(index)\n\nA town \(index)."
                )
            }
            try project.write("prompts/lone.md", "# Lone\n\nOne lighthouse.")
            let first = try await build(project)
            #expect(first.generated == 9)

            try await check(project, "nothing", fresh: "scratch-0") {}
            try await check(project, "prompt text", fresh: "scratch-1") {
                try project.write(
                    "prompts/animals/cat-2.md",
                    "---\ntags: [cat, n2]\ndate: 2026-02-01\n---\n# Cat 2\n\nA black cat, number 2."
                )
            }
            let thumbs = project.root.appendingPathComponent("site/thumbs")
            let thumbsBefore = try FileManager.default.contentsOfDirectory(atPath: thumbs.path).sorted()
            let retitled = try await check(project, "title", fresh: "scratch-2") {
                try project.write("prompts/places/town-3.md", "---\ntags: [town]\n---\n# Harbour town\n\nA town 3.")
            }
            // A new title is a new published original (its provenance names the title), but the
            // same pixels: the thumbnails stay, and none is made.
            #expect(!thumbsBefore.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: thumbs.path).sorted() == thumbsBefore)
            // Its page, the list pages its card is on (the gallery's and its album's), feed, sitemap,
            // gallery.json and the search index: not the other prompts' pages, nor stats, whose
            // figures a title does not change.
            #expect(retitled.pagesRendered == 7, "\(retitled.pagesRendered) of \(retitled.pages) rendered")
            try await check(project, "tags", fresh: "scratch-3") {
                try project.write("prompts/places/town-1.md", "---\ntags: [town, river]\n---\n# Town 1\n\nA town 1.")
            }
            try await check(project, "album", fresh: "scratch-4") {
                try FileManager.default.moveItem(
                    at: project.root.appendingPathComponent("prompts/places/town-4.md"),
                    to: project.root.appendingPathComponent("prompts/animals/town-4.md")
                )
            }
            try await check(project, "date", fresh: "scratch-5") {
                try project.write(
                    "prompts/animals/cat-1.md",
                    "---\ntags: [cat, n1]\ndate: 2026-11-30\n---\n# Cat 1\n\nA cat, number 1."
                )
            }
            try await check(project, "a new prompt, offline", offline: true, fresh: "scratch-6") {
                try project.write("prompts/places/mill.md", "# Mill\n\nA windmill.")
            }
            try await check(project, "a cache entry added", fresh: "scratch-7") {}
            try await check(project, "a template", fresh: "scratch-8") {
                try project.write(
                    "templates/card.mustache",
                    "<li class=\"card\"><a href=\"{{url}}\">{{title}}</a></li>\n"
                )
            }
            try await check(project, "easel.yml", fresh: "scratch-9") {
                try project.write("easel.yml", "title: Renamed\nbase_url: https://example.com/gallery/\npage_size: 3\n")
            }
            try await check(project, "a site file deleted by hand", fresh: "scratch-10") {
                try FileManager.default.removeItem(at: project.root.appendingPathComponent("site/prompts/lone.html"))
            }
            try await check(project, "a prompt removed", fresh: "scratch-11") {
                try FileManager.default.removeItem(at: project.root.appendingPathComponent("prompts/animals/cat-3.md"))
            }
        }
    }

    /// A comparison's page, card, filters, stats and data follow each of its cells.
    @Test func aComparisonsChangesRewriteExactlyTheFilesThatChange() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: Compared\nbase_url: https://example.com/\npage_size: 2\n")
            try project.write("prompts/plain.md", "# Plain\n\nA plain kite.")
            try project.write("prompts/other.md", "---\nmodel: gpt-image-2.5-flare\n---\n# Other\n\nAnother kite.")
            let compared = "---\ncompare:\n  quality: [low, high]\n  model: [gpt-image-2, gpt-image-2.6-flare]\n"
            try project.write("prompts/grid.md", compared + "---\n# Grid\n\nA kite, compared.")
            // The 2.6 model's cells fail at first; the next build makes them: only those cells change.
            let refused = APIError(kind: .status(400), type: "invalid_request_error", code: nil, message: "not now")
            let first = try await Builder(
                project: try project.open(),
                source: RecordingSource(errors: ["gpt-image-2.6-flare": refused])
            ).build(BuildOptions())
            #expect(first.generated == 4 && first.failed == 2)
            try await check(project, "a cell made after it failed", fresh: "scratch-0") {}
            try await check(project, "a cell added", fresh: "scratch-1") {
                try project.write(
                    "prompts/grid.md",
                    compared.replacingOccurrences(of: "[low, high]", with: "[low, medium, high]")
                        + "---\n# Grid\n\nA kite, compared."
                )
            }
            try await check(project, "the pick", fresh: "scratch-2") {
                try project.write(
                    "prompts/grid.md",
                    compared.replacingOccurrences(of: "[low, high]", with: "[low, medium, high]")
                        + "pick: {quality: high, model: gpt-image-2.6-flare}\n---\n# Grid\n\nA kite, compared."
                )
            }
            try await check(project, "a model compared no more", fresh: "scratch-3") {
                try project.write(
                    "prompts/grid.md",
                    "---\ncompare:\n  quality: [low, medium, high]\n---\n# Grid\n\nA kite, compared."
                )
            }
            try await check(project, "a comparison made plain", fresh: "scratch-4") {
                try project.write("prompts/grid.md", "# Grid\n\nA kite, compared.")
            }
        }
    }
}
