import CFileLook
import Foundation
import Testing

@testable import EaselKit

/// A build with nothing to do answers from `.easel/settled` without reading a prompt: with the
/// report a full build would give, and never when anything it would read has changed.
struct SettledBuildTests {
    private func build(
        _ project: TemporaryProject,
        _ options: BuildOptions = BuildOptions(),
        source: (any ImageSource)? = RecordingSource()
    ) async throws -> BuildReport {
        try await Builder(project: try project.open(), source: source).build(options)
    }

    private func settled(
        _ project: TemporaryProject,
        _ options: BuildOptions = BuildOptions(),
        sourceAvailable: Bool = true
    ) throws -> BuildReport? {
        Builder(project: try project.open(), source: nil).checkSettled(options, sourceAvailable: sourceAvailable).report
    }

    /// The report as JSON, without its wall time.
    private func json(_ report: BuildReport) throws -> String {
        var report = report
        report.wallSeconds = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// A project built twice: the second build had nothing to do, and is settled.
    private func settledProject(_ body: (TemporaryProject) async throws -> Void) async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/in.png")
            try project.write("templates/extra.txt", "kept")
            try project.write("prompts/edit.md", "---\nedit: inputs/in.png\ntags: [a]\n---\n# Edit\n\nMake it blue.")
            try project.write("prompts/space/plain.md", "---\nmodel: gpt-image-2\n---\nA cat.")
            try project.write("prompts/ok.md", "A dog.")
            try project.write("prompts/draft.md", "---\ndraft: true\n---\nLater.")
            #expect(try await build(project).generated == 3)
            #expect(try settled(project) == nil, "a build that generated is not settled")
            _ = try await build(project)
            #expect(try settled(project) != nil)
            try await body(project)
        }
    }

    @Test func aSettledBuildReportsWhatAFullBuildWould() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/in.png")
            try project.write("prompts/edit.md", "---\nedit: inputs/in.png\n---\nMake it blue.")
            try project.write("prompts/warned.md", "---\nmodel: my-own-model\n---\nA cat.")
            try project.write("prompts/draft.md", "---\ndraft: true\n---\nLater.")
            _ = try await build(project)
            let full = try await build(project)
            #expect(full.siteUnchanged)
            #expect(full.diagnostics.contains { $0.severity == .warning }, "the warning is reported every build")
            let settled = try #require(try settled(project))
            #expect(try json(settled) == json(full))
            #expect(settled.diagnostics == full.diagnostics)
            // Builder.build (what `serve` and the tests call) answers the same way.
            #expect(try json(try await build(project)) == json(full))
        }
    }

    @Test(arguments: [
        "prompt edited", "prompt permissions", "prompt added", "prompt removed", "prompt folder added",
        "template added", "template edited", "cache record edited", "cache image replaced", "cache entry added",
        "input replaced", "easel.yml edited", "site file deleted", "site file edited", "stamp deleted",
        "failure log written",
    ])
    func anyChangeReadsEverythingAgain(_ change: String) async throws {
        try await settledProject { project in
            let site = project.root.appendingPathComponent("site")
            let entry = try #require(try project.open().cache.allEntries().first)
            switch change {
            case "prompt edited":
                // Written in place: the same file, size and modification time; only the change time tells.
                let url = project.root.appendingPathComponent("prompts/ok.md")
                let before = try #require(FileLook.of(url.path))
                let handle = try FileHandle(forWritingTo: url)
                try handle.write(contentsOf: Data("A cow.".utf8))
                try handle.close()
                #expect(easel_set_times(url.path, before.modified) == 0)
                let after = try #require(FileIdentity.of(url.path))
                #expect(after == FileIdentity.of(url.path) && after.modified == before.modified)
                #expect(try project.read("prompts/ok.md") == "A cow.")
            case "prompt permissions":
                try FileManager.default.setAttributes(
                    [.posixPermissions: 0o600],
                    ofItemAtPath: project.root.appendingPathComponent("prompts/ok.md").path
                )
            case "prompt added": try project.write("prompts/new.md", "A bird.")
            case "prompt removed":
                try FileManager.default.removeItem(at: project.root.appendingPathComponent("prompts/ok.md"))
            case "prompt folder added":
                try FileManager.default.createDirectory(
                    at: project.root.appendingPathComponent("prompts/later"),
                    withIntermediateDirectories: true
                )
            case "template added": try project.write("templates/card.mustache", "<li>{{title}}</li>")
            case "template edited": try project.write("templates/extra.txt", "changed")
            case "cache record edited":
                let record = entry.folder.appendingPathComponent(CacheEntry.recordName)
                var data = try Data(contentsOf: record)
                data.append(UInt8(ascii: "\n"))
                try data.write(to: record)
            case "cache image replaced":
                let image = try #require(entry.imageURLs.first)
                let data = try Data(contentsOf: image)
                try FileManager.default.removeItem(at: image)
                try data.write(to: image)
            case "cache entry added":
                try project.write("cache/ff/ff" + String(repeating: "0", count: 62) + "/entry.json", "{}")
            case "input replaced": try project.writeImage("inputs/in.png", seed: "2")
            case "easel.yml edited": try project.write("easel.yml", "title: Another\n")
            case "site file deleted":
                try FileManager.default.removeItem(at: site.appendingPathComponent("index.html"))
            case "site file edited": try project.write("site/index.html", "<!doctype html>")
            case "stamp deleted":
                try FileManager.default.removeItem(at: SiteStamp.location(in: try project.open()))
            case "failure log written": try project.write(".easel/failures.json", "{}")
            default: Issue.record("no such change: \(change)")
            }
            #expect(try settled(project) == nil, "\(change)")
        }
    }

    @Test func aBuildOfAnotherKindIsNeverSettled() async throws {
        try await settledProject { project in
            var only = BuildOptions()
            only.only = ["prompts/ok.md"]
            var dryRun = BuildOptions()
            dryRun.dryRun = true
            var elsewhere = BuildOptions()
            elsewhere.output = project.root.appendingPathComponent("elsewhere")
            for (options, name) in [(only, "--only"), (dryRun, "--dry-run"), (elsewhere, "--out")] {
                let report = try settled(project, options)
                #expect(report == nil, "\(name)")
            }
            #expect(try settled(project) != nil)
        }
    }

    @Test func placeholdersDrawnWithoutAnAPIAreGeneratedOnceThereIsOne() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            _ = try await build(project, source: nil)
            let offline = try await build(project, source: nil)
            #expect(offline.placeholders == 1)
            #expect(try settled(project, sourceAvailable: false) != nil)
            #expect(try settled(project, sourceAvailable: true) == nil)
            #expect(try await build(project).generated == 1)
        }
    }

    @Test func aCopiedProjectDoesNotUseTheSettledBuild() async throws {
        try await settledProject { project in
            try await TemporaryProject.with { copy in
                try FileManager.default.removeItem(at: copy.root)
                // cp -a keeps the modification times; the folder and the inodes are another's.
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/cp")
                process.arguments = ["-a", project.root.path, copy.root.path]
                try process.run()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
                #expect(copy.exists(".easel/settled"))
                #expect(try settled(copy) == nil)
            }
        }
    }

    @Test func aLinkInTheCacheIsNeverSettled() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            _ = try await build(project)
            try FileManager.default.createSymbolicLink(
                atPath: project.root.appendingPathComponent("cache/zz").path,
                withDestinationPath: "/tmp"
            )
            _ = try await build(project)
            _ = try await build(project)
            #expect(!project.exists(".easel/settled"))
            #expect(try settled(project) == nil)
        }
    }

    @Test func aBuildThatWritesForgetsTheSettledBuild() async throws {
        try await settledProject { project in
            try project.write("prompts/new.md", "A bird.")
            let report = try await build(project)
            #expect(report.generated == 1)
            #expect(!project.exists(".easel/settled"), "a build that generated leaves no settled build")
            _ = try await build(project)
            let settled = try #require(try settled(project))
            #expect(settled.prompts.map(\.file).contains("prompts/new.md"))
            #expect(settled.cached == 4)
        }
    }

    @Test func theCountsAreThePromptsNotWhatTheFileSays() async throws {
        try await settledProject { project in
            let text = try project.read(".easel/settled")
            let tampered = text.replacingOccurrences(of: "\"cached\":3,", with: "\"cached\":-5,")
            #expect(tampered != text)
            try project.write(".easel/settled", tampered)
            let report = try #require(try settled(project))
            #expect(report.cached == 3)
            #expect(report.drafts == 1)
        }
    }

    @Test func aSettledFileNamingAnInputOutsideTheProjectIsNotUsed() async throws {
        try await settledProject { project in
            let opened = try project.open()
            // A file beside the project, named with `..`, fingerprinted as a build would.
            let outside = project.root.deletingLastPathComponent().appendingPathComponent("easel-outside-\(UUID()).png")
            try Data("x".utf8).write(to: outside)
            defer { try? FileManager.default.removeItem(at: outside) }
            let hostile = "../" + outside.lastPathComponent
            let fingerprint = try #require(
                SettledBuild.fingerprint(of: [hostile], in: opened, regularFilesOnly: true)
            )
            let good = try #require(
                SettledBuild.fingerprint(of: ["inputs/in.png"], in: opened, regularFilesOnly: true)
            )
            let text = try project.read(".easel/settled")
            let tampered = text.replacingOccurrences(of: "\"inputs/in.png\"", with: "\"\(hostile)\"")
                .replacingOccurrences(of: good, with: fingerprint)
            #expect(tampered != text && !tampered.contains(good))
            try project.write(".easel/settled", tampered)
            #expect(try settled(project) == nil)
        }
    }
}
