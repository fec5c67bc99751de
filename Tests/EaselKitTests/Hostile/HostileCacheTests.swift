import Foundation
import Testing

@testable import EaselKit

/// A cloned gallery's cache/, damaged or forged (issue 11, holes 3 and 5). A bad entry must fail
/// only the prompts that use it, with the fix, while the rest of the site is written and the
/// summary printed; it must never publish a file from outside its own folder.
struct HostileCacheTests {
    /// A project with two prompts generated into the cache; `tamper` then edits the cat's entry
    /// folder; the result is an offline build (nothing can be regenerated).
    private func buildAfterTampering(
        _ tamper: (TemporaryProject, URL) throws -> Void
    ) async throws -> (BuildReport, TemporaryProject.Snapshot) {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            try project.write("prompts/dog.md", "A dog.")
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            let cat = try #require(try project.load("prompts/cat.md").request)
            let folder = try project.open().cache.entryFolder(for: CacheKey(cat))
            try tamper(project, folder)
            var options = BuildOptions()
            options.offline = true
            let report = try await Builder(project: try project.open(), source: nil).build(options)
            return (report, try project.snapshot())
        }
    }

    private func item(_ report: BuildReport, _ file: String) throws -> BuildReport.Item {
        try #require(report.prompts.first { $0.file == file })
    }

    /// On 1d745f2 this copied /tmp/…/private.png into site/images.
    @Test func aRecordCannotPublishAFileFromOutsideItsFolder() async throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("easel-private-\(UUID()).png")
        try PlaceholderRenderer.renderSync(prompt: "private", width: 64, height: 64, key: "77").write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        let privateBytes = try Data(contentsOf: outside)
        let (report, site) = try await buildAfterTampering { _, folder in
            let recordURL = folder.appendingPathComponent("entry.json")
            var json = try String(contentsOf: recordURL, encoding: .utf8)
            json = json.replacingOccurrences(
                of: "\"file\" : \"1.png\"",
                with: "\"file\" : \"../../../..\(outside.path)\""
            )
            try json.write(to: recordURL, atomically: true, encoding: .utf8)
        }
        let cat = try item(report, "prompts/cat.md")
        #expect(cat.status == .failed)
        #expect(cat.failure?.contains("is damaged") == true && cat.failure?.contains("easel prune --damaged") == true)
        #expect(try item(report, "prompts/dog.md").status == .cached, "one bad entry fails only its prompt")
        #expect(!site.files.values.contains(privateBytes), "the private file was published")
        #expect(site.text("index.html")?.contains("A dog.") == true)
    }

    struct Damage: Sendable, CustomTestStringConvertible {
        var name: String
        /// What the failure must say.
        var says: String
        var testDescription: String { name }
    }

    /// On 1d745f2 each stopped every build with "cannot read image", no summary, a stale site.
    @Test(arguments: [
        Damage(name: "a Git LFS pointer", says: "run git lfs pull"),
        Damage(name: "an image cut short", says: "cut short or changed"),
        Damage(name: "HTML of the recorded size", says: "is not a png image: it is an HTML page"),
        Damage(name: "a symbolic link", says: "is not a regular file"),
        Damage(name: "an svg format", says: "format 'svg' is not png, jpeg or webp"),
        Damage(name: "a latency near Int.max", says: "out of range"),
        Damage(name: "a record that is not JSON", says: "does not decode"),
        // The hash names the image's thumbnails: a path in its place never reaches a file name.
        Damage(name: "an image hash that is a path", says: "has no valid hash or size"),
    ])
    func aDamagedEntryFailsOnlyItsPromptWithTheFix(_ damage: Damage) async throws {
        let (report, site) = try await buildAfterTampering { project, folder in
            let image = folder.appendingPathComponent("1.png")
            let record = folder.appendingPathComponent("entry.json")
            let size = try Data(contentsOf: image).count
            try FileManager.default.removeItem(at: image)
            switch damage.name {
            case "a Git LFS pointer":
                let pointer =
                    "version https://git-lfs.github.com/spec/v1\noid sha256:\(String(repeating: "a", count: 64))\nsize \(size)\n"
                try pointer.write(to: image, atomically: true, encoding: .utf8)
            case "an image cut short":
                try PlaceholderRenderer.renderSync(prompt: "x", width: 256, height: 256, key: "42").prefix(size / 2)
                    .write(to: image)
            case "HTML of the recorded size":
                let page = "<!doctype html><script>alert(1)</script>"
                try Data((page + String(repeating: " ", count: size - page.utf8.count)).utf8).write(to: image)
            case "a symbolic link":
                try FileManager.default.createSymbolicLink(
                    at: image,
                    withDestinationURL: project.root.appendingPathComponent("prompts/cat.md")
                )
            case "an svg format":
                try Data(count: size).write(to: image)
                try Self.edit(record) {
                    $0.replacingOccurrences(of: "\"format\" : \"png\"", with: "\"format\" : \"svg\"")
                }
            case "a latency near Int.max":
                try PlaceholderRenderer.renderSync(prompt: "A cat.", width: 256, height: 256, key: "42").write(
                    to: image
                )
                try Self.edit(record) {
                    $0.replacingOccurrences(of: "\"latency_ms\" : 6200", with: "\"latency_ms\" : 9223372036854775807")
                }
            case "an image hash that is a path":
                try PlaceholderRenderer.renderSync(prompt: "A cat.", width: 256, height: 256, key: "42").write(
                    to: image
                )
                try Self.edit(record) {
                    $0.replacingOccurrences(
                        of: #""sha256" : "[0-9a-f]{64}""#,
                        with: #""sha256" : "../../../../thumbs/evil""#,
                        options: .regularExpression
                    )
                }
            default:
                try "{ not json".write(to: record, atomically: true, encoding: .utf8)
            }
        }
        let cat = try item(report, "prompts/cat.md")
        #expect(cat.status == .failed)
        #expect(cat.failure?.contains(damage.says) == true, "\(cat.failure ?? "no failure")")
        #expect(try item(report, "prompts/dog.md").status == .cached)
        #expect(report.exitStatus == 1)
        #expect(site.text("index.html") != nil, "the site is still written")
        let published = site.files.keys.filter { $0.hasPrefix("images/") }
        #expect(!published.isEmpty && published.allSatisfy { $0.hasSuffix(".png") }, "\(published)")
    }

    /// Damage a cheap check cannot see (the right size, a PNG signature, a broken image inside)
    /// shows at render time: the prompt fails, the site is written, and no stamp is left, so the
    /// next build (which would otherwise skip rendering) still reports it.
    @Test func anImageThatDoesNotDecodeFailsAtRenderTimeEveryTime() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            try project.write("prompts/dog.md", "A dog.")
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            let cat = try #require(try project.load("prompts/cat.md").request)
            let image = try project.open().cache.entryFolder(for: CacheKey(cat)).appendingPathComponent("1.png")
            var bytes = try Data(contentsOf: image)
            // Keep the signature and IHDR (33 bytes); garble every byte after.
            for index in 40..<bytes.count { bytes[index] = bytes[index] ^ 0x5A }
            try FileManager.default.removeItem(at: image)
            try bytes.write(to: image)
            try FileManager.default.removeItem(at: project.root.appendingPathComponent("site"))
            var options = BuildOptions()
            options.offline = true
            for _ in 0..<2 {
                let report = try await Builder(project: try project.open(), source: nil).build(options)
                let failed = try item(report, "prompts/cat.md")
                #expect(failed.status == .failed)
                #expect(
                    failed.failure?.contains("1.png cannot be read as an image") == true,
                    "\(failed.failure ?? "-")"
                )
                #expect(failed.failure?.contains(project.root.path) == false, "no absolute path on a page")
                #expect(try item(report, "prompts/dog.md").status == .cached)
                #expect(project.exists("site/index.html"))
            }
        }
    }

    /// prune --damaged lists what cannot be used; removing a linked entry removes the link only.
    @Test func pruneDamagedRemovesDamagedEntriesAndNeverFollowsALink() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            try project.write("prompts/dog.md", "A dog.")
            _ = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            let cache = try project.open().cache
            let cat = CacheKey(try #require(try project.load("prompts/cat.md").request))
            let dog = CacheKey(try #require(try project.load("prompts/dog.md").request))
            // The cat's entry becomes a link to a folder elsewhere that must survive pruning.
            let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("easel-else-\(UUID())")
            try FileManager.default.moveItem(at: cache.entryFolder(for: cat), to: elsewhere)
            defer { try? FileManager.default.removeItem(at: elsewhere) }
            try FileManager.default.createSymbolicLink(at: cache.entryFolder(for: cat), withDestinationURL: elsewhere)

            let pruner = Pruner(project: try project.open())
            let damaged = pruner.damaged()
            #expect(damaged.map(\.key) == [cat.hex])
            #expect(damaged.first?.problem.contains("symbolic link") == true)
            #expect(try pruner.unused().isEmpty, "a damaged entry is not offered as unused")
            try pruner.remove(damaged)
            #expect(FileKind.of(cache.entryFolder(for: cat).path) == .missing)
            #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("entry.json").path))
            #expect(try cache.entry(for: dog) != nil)
        }
    }

    private static func edit(_ url: URL, _ change: (String) -> String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = change(text)
        #expect(changed != text, "the edit changed nothing")
        try FileManager.default.removeItem(at: url)
        try changed.write(to: url, atomically: true, encoding: .utf8)
    }
}
