import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import EaselKit

/// `easel serve` answers a saved prompt with a patch of the site (``ServeSnapshot``): the patched
/// site must be, byte for byte, what a build makes, and the build that follows it must find
/// nothing to change.
struct ServePatchTests {
    /// A build as `easel serve` runs it, offline, leaving its snapshot.
    private func servedBuild(_ project: TemporaryProject, into output: String? = nil) async throws -> ServeSnapshot? {
        var options = BuildOptions()
        options.offline = true
        options.output = output.map { project.root.appendingPathComponent($0) }
        let box = ServeSnapshotBox()
        options.snapshot = box
        _ = try await Builder(project: try project.open(), source: nil).build(options)
        return box.snapshot
    }

    /// `snapshot.patch`, on a copy (a patch that cannot be made leaves its snapshot unusable).
    private func patching(_ snapshot: ServeSnapshot, _ paths: [String], generating: Bool) async throws -> Bool {
        var copy = snapshot
        return try await copy.patch(paths, generating: generating)
    }

    @Test func aPatchedSiteIsTheSiteABuildMakes() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: Served\nbase_url: https://example.com/gallery/\npage_size: 3\n")
            for index in 1...4 {
                try project.write(
                    "prompts/animals/cat-\(index).md",
                    "---\ntags: [cat]\ndate: 2026-0\(index)-01\n---\n# Cat \(index)\n\nA cat, number \(index)."
                )
                try project.write("prompts/places/town-\(index).md", "# Town \(index)\n\nA town \(index).")
            }
            try project.write("prompts/later.md", "---\ndraft: true\n---\nLater.")
            let first = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            #expect(first.generated == 8)
            var snapshot = try #require(try await servedBuild(project))

            let changes: [(String, String, String)] = [
                (
                    "text", "prompts/animals/cat-2.md",
                    "---\ntags: [cat]\ndate: 2026-02-01\n---\n# Cat 2\n\nA black cat."
                ),
                ("title", "prompts/places/town-3.md", "# Harbour town\n\nA town 3."),
                ("tags", "prompts/places/town-1.md", "---\ntags: [town, river]\n---\n# Town 1\n\nA town 1."),
                // The card moves to the first page of the gallery and of its album.
                (
                    "date", "prompts/animals/cat-1.md",
                    "---\ntags: [cat]\ndate: 2026-11-30\n---\n# Cat 1\n\nA cat, number 1."
                ),
                ("invalid", "prompts/places/town-2.md", "---\nn: 0\n---\n# Town 2\n\nA town 2."),
                ("valid again", "prompts/places/town-2.md", "# Town 2\n\nA town 2."),
                (
                    "not cached: a placeholder", "prompts/places/town-4.md",
                    "---\nquality: high\n---\n# Town 4\n\nA town 4."
                ),
            ]
            for (number, (what, path, text)) in changes.enumerated() {
                try project.write(path, text)
                let before = try project.snapshot().files
                let patched = try await snapshot.patch([path], generating: false)
                try #require(patched, "\(what): a patch can make this change")
                let after = try project.snapshot().files
                #expect(after != before, "\(what): the patch wrote nothing")

                // What a build from scratch makes, byte for byte; the patch only leaves files the
                // next build removes (listed in the manifest, which the patch extends).
                let fresh = "scratch-\(number)"
                _ = try await servedBuild(project, into: fresh)
                let scratch = try project.snapshot(of: fresh).files
                try FileManager.default.removeItem(at: project.root.appendingPathComponent(fresh))
                let manifest = SiteWriter.manifestName
                let missing = scratch.keys.filter { after[$0] == nil }
                #expect(missing.isEmpty, "\(what): the patched site lacks \(missing.sorted())")
                let different = scratch.keys.filter { $0 != manifest && after[$0] != nil && after[$0] != scratch[$0] }
                #expect(different.isEmpty, "\(what): bytes differ from a build: \(different.sorted())")
                let listed = Set(
                    String(decoding: after[manifest] ?? Data(), as: UTF8.self).split(separator: "\n").map(String.init)
                )
                let unlisted = after.keys.filter { scratch[$0] == nil && !listed.contains($0) }
                #expect(unlisted.isEmpty, "\(what): files the next build would not remove: \(unlisted.sorted())")

                // The build that follows a patch in `serve` finds the same site and changes no byte.
                let built = try #require(try await servedBuild(project))
                #expect(built.kept.inputs == snapshot.kept.inputs, "\(what): the build digests pages differently")
                #expect(built.problems == snapshot.problems, "\(what): \(built.problems) against \(snapshot.problems)")
                let rebuilt = try project.snapshot().files
                let rewritten = rebuilt.keys.filter { after[$0] != nil && after[$0] != rebuilt[$0] && $0 != manifest }
                #expect(rewritten.isEmpty, "\(what): the build changed \(rewritten.sorted())")
                #expect(Set(rebuilt.keys) == Set(scratch.keys), "\(what): after the build, the site is a build's")
            }
            #expect(snapshot.problems.isEmpty)
        }
    }

    @Test func whatAPatchCannotMakeIsLeftToABuild() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# A\n\nA cat.")
            try project.write("prompts/b.md", "---\ndraft: true\n---\nLater.")
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            let snapshot = try #require(try await servedBuild(project))
            let site = project.root.appendingPathComponent("site")
            let before = try project.snapshot().files
            // A draft made public, a prompt the build did not see.
            try project.write("prompts/b.md", "Now.")
            #expect(try await patching(snapshot, ["prompts/b.md"], generating: false) == false)
            try project.write("prompts/c.md", "A dog.")
            #expect(try await patching(snapshot, ["prompts/c.md"], generating: false) == false)
            // A prompt made a draft; new settings whose image is to generate.
            try project.write("prompts/a.md", "---\ndraft: true\n---\n# A\n\nA cat.")
            #expect(try await patching(snapshot, ["prompts/a.md"], generating: false) == false)
            try project.write("prompts/a.md", "---\nquality: high\n---\n# A\n\nA cat.")
            #expect(try await patching(snapshot, ["prompts/a.md"], generating: true) == false)
            // An image the cache gained since the build (another process, `git pull`): the
            // snapshot's cache index does not have it.
            try project.write("prompts/a.md", "---\nquality: low\n---\n# A\n\nA cat.")
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            let cached = try project.snapshot().files
            #expect(cached != before)
            try project.write("prompts/a.md", "---\nquality: low\n---\n# A\n\nA cat!")
            try project.write("prompts/a.md", "---\nquality: low\n---\n# A\n\nA cat.")
            #expect(try await patching(snapshot, ["prompts/a.md"], generating: false) == false)
            #expect(try project.snapshot().files == cached, "no patch wrote a file")

            // A cache entry changed since the build (a pull): read again, and left to a build.
            let built = try #require(try await servedBuild(project))
            let key = try #require(built.outcomes.first { $0.prompt.path == "prompts/a.md" }?.key?.hex)
            let record = "cache/\(key.prefix(2))/\(key)/\(CacheEntry.recordName)"
            try project.write(record, try project.read(record) + "\n")
            try project.write("prompts/a.md", "---\nquality: low\n---\n# A\n\nA cat, again.")
            #expect(try await patching(built, ["prompts/a.md"], generating: false) == false)

            // A link the site gained since the build (a pull, a hand): never written through.
            let fresh = try #require(try await servedBuild(project))
            let outside = project.root.appendingPathComponent("outside")
            try FileManager.default.moveItem(at: site.appendingPathComponent("prompts"), to: outside)
            try FileManager.default.createSymbolicLink(
                at: site.appendingPathComponent("prompts"),
                withDestinationURL: outside
            )
            let there = try FileManager.default.contentsOfDirectory(atPath: outside.path)
            try project.write("prompts/a.md", "---\nquality: low\n---\n# A, retitled\n\nA cat.")
            #expect(try await patching(fresh, ["prompts/a.md"], generating: false) == false)
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == there)
            #expect(
                try String(contentsOf: outside.appendingPathComponent("a.html"), encoding: .utf8).contains(
                    "A, retitled"
                ) == false
            )
        }
    }

    /// A comparison is several outcomes and a page of their grid: a saved one, or a prompt saved as
    /// one, is a build's to make, and the patch writes nothing.
    @Test func aComparisonIsLeftToABuild() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# A\n\nA cat.")
            try project.write("prompts/c.md", "---\ncompare:\n  quality: [low, high]\n---\n# C\n\nA cup.")
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            let snapshot = try #require(try await servedBuild(project))
            let before = try project.snapshot().files
            try project.write("prompts/c.md", "---\ncompare:\n  quality: [low, high]\n---\n# C, retitled\n\nA cup.")
            #expect(try await patching(snapshot, ["prompts/c.md"], generating: false) == false)
            try project.write("prompts/a.md", "---\ncompare:\n  quality: [low, high]\n---\n# A\n\nA cat.")
            #expect(try await patching(snapshot, ["prompts/a.md"], generating: false) == false)
            #expect(try project.snapshot().files == before, "no patch wrote a file")
            // A comparison made a plain prompt: its one outcome stands where several were.
            try project.write("prompts/c.md", "# C\n\nA cup.")
            #expect(try await patching(snapshot, ["prompts/c.md"], generating: false) == false)
        }
    }

    /// The build that checks a patch stops for the next saved prompt, before it writes a page: the
    /// site stays what the patch made, and what it published is in the manifest.
    @Test func theCheckingBuildGivesWayBeforeItWritesAPage() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# A\n\nA cat.")
            try project.write("prompts/b.md", "# B\n\nA dog.")
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            let site = project.root.appendingPathComponent("site")
            let stamp = try Data(contentsOf: SiteStamp.location(in: try project.open()))
            let pages = ["index.html", "prompts/a.html", "prompts/b.html", "gallery.json"].map {
                site.appendingPathComponent($0).path
            }
            let before = pages.map(FileIdentity.of)
            // A new title: a new published original, and three pages to write.
            try project.write("prompts/a.md", "# Another A\n\nA cat.")
            for stopAt in 1...4 {
                let asked = NIOLockedValueBox(0)
                var options = BuildOptions()
                options.offline = true
                options.giveWay = {
                    asked.withLockedValue {
                        $0 += 1
                        return $0 == stopAt
                    }
                }
                await #expect(throws: BuildGaveWay.self) {
                    _ = try await Builder(project: try project.open(), source: nil).build(options)
                }
                #expect(pages.map(FileIdentity.of) == before, "stopped at \(stopAt): no page written")
                #expect(try Data(contentsOf: SiteStamp.location(in: try project.open())) == stamp)
            }
            // Stopped before its pages, the last two had published the new original: listed, so
            // that the build that replaces it removes it when it is no longer used.
            let manifest = try project.read("site/" + SiteWriter.manifestName).split(separator: "\n").map(String.init)
            let images = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("images").path)
            #expect(images.count == 3, "\(images)")
            #expect(images.allSatisfy { manifest.contains("images/" + $0) })
            let report = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
            #expect(report.pagesRendered > 0)
            let after = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("images").path)
            #expect(after.count == 2, "the earlier original of a is gone: \(after)")
        }
    }
}
