import Foundation
import Testing

@testable import EaselKit

/// The parse record: a prompt unchanged since the last build is taken from `.easel/parsed`
/// exactly as reading it would give it, and any change that could alter it reads it again.
struct ParseRecordTests {
    private func build(_ project: TemporaryProject) async throws -> BuildReport {
        try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
    }

    private func encoded(_ prompt: PromptFile) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(prompt)
    }

    @Test func aRecordedPromptIsWhatReadingItGives() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/in.png")
            try project.write(
                "prompts/edit.md",
                "---\nedit: inputs/in.png\ntags: [a, b]\n---\n# Edit\n\nMake it *blue*."
            )
            try project.write("prompts/plain.md", "---\ndate: 2026-01-02\nsize: 1024x1536\n---\nA cat.")
            try project.write("prompts/broken.md", "---\nsize: huge\n---\nA dog.")
            _ = try await build(project)
            let opened = try project.open()
            let record = ParseRecord.load(for: opened)
            #expect(Set(record.entries.keys) == ["prompts/edit.md", "prompts/plain.md"], "errors are not recorded")
            for path in ["prompts/edit.md", "prompts/plain.md"] {
                let identity = FileIdentity.of(project.root.appendingPathComponent(path).path)
                let recorded = try #require(record.prompt(at: path, identity: identity, in: opened))
                #expect(try encoded(recorded) == encoded(try project.load(path)))
            }
            #expect(record.entries["prompts/edit.md"]?.inputs.keys.sorted() == ["inputs/in.png"])
        }
    }

    @Test func aChangedFileInputOrSettingsFileIsReadAgain() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/in.png", seed: "1")
            try project.write("prompts/edit.md", "---\nedit: inputs/in.png\n---\nMake it blue.")
            try project.write("prompts/plain.md", "A cat.")
            #expect(try await build(project).generated == 2)
            #expect(try await build(project).generated == 0)

            // Another input image under the same name: a new request.
            try project.writeImage("inputs/in.png", seed: "2")
            var report = try await build(project)
            #expect(report.generated == 1)
            #expect(report.prompts.first { $0.file == "prompts/edit.md" }?.status == .generated)

            // easel.yml's defaults apply to every prompt.
            try project.write("easel.yml", "defaults:\n  quality: low\n")
            report = try await build(project)
            #expect(report.generated == 2)

            // The same bytes written again (a new modification time) read the same prompt.
            try project.write("prompts/plain.md", "A cat.")
            #expect(try await build(project).generated == 0)

            // An unreadable record is no record. (Without `.easel/settled`: a build that finds
            // nothing changed reads no prompt, and so writes no record.)
            try project.write(".easel/parsed", "{not json\n")
            try FileManager.default.removeItem(at: project.root.appendingPathComponent(".easel/settled"))
            #expect(try await build(project).generated == 0)
            #expect(ParseRecord.load(for: try project.open()).entries.count == 2)

            // A file that now has an error is read as it is, and dropped from the record.
            try project.write("prompts/plain.md", "---\nsize: huge\n---\nA cat.")
            report = try await build(project)
            #expect(report.prompts.first { $0.file == "prompts/plain.md" }?.status == .failed)
            #expect(ParseRecord.load(for: try project.open()).entries.keys.sorted() == ["prompts/edit.md"])
        }
    }

    @Test func aRecordWhoseRequestReadsAnotherFileIsNotUsed() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/in.png")
            try project.write("prompts/edit.md", "---\nedit: inputs/in.png\n---\nMake it blue.")
            _ = try await build(project)
            let opened = try project.open()
            let path = "prompts/edit.md"
            let identity = FileIdentity.of(project.root.appendingPathComponent(path).path)
            #expect(ParseRecord.load(for: opened).prompt(at: path, identity: identity, in: opened) != nil)
            // The same record, its input's address pointed out of the project, or its path up and out.
            let text = try project.read(".easel/parsed")
            let inside = project.root.appendingPathComponent("inputs/in.png").path
            for hostile in [
                text.replacingOccurrences(of: "file://\(inside)", with: "file:///etc/hostname"),
                text.replacingOccurrences(of: "\"inputs/in.png\"", with: "\"inputs/../../in.png\""),
            ] {
                #expect(hostile != text)
                try project.write(".easel/parsed", hostile)
                #expect(ParseRecord.load(for: opened).prompt(at: path, identity: identity, in: opened) == nil)
            }
        }
    }

    @Test func onlyWhatReadingAPromptTakesFromEaselYmlCounts() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: One\ndefaults:\n  quality: low\n")
            try project.write("prompts/a.md", "A cat.")
            _ = try await build(project)
            #expect(ParseRecord.load(for: try project.open()).entries.count == 1)
            // The site's title and page size: the record is kept.
            try project.write("easel.yml", "title: Two\ndefaults:\n  quality: low\npage_size: 5\n")
            #expect(ParseRecord.load(for: try project.open()).entries.count == 1)
            // The defaults moved a line down (a warning would name another line): read again.
            try project.write("easel.yml", "title: Two\n\ndefaults:\n  quality: low\n")
            #expect(ParseRecord.load(for: try project.open()).entries.isEmpty)
            _ = try await build(project)
            // Another default, or a model of its own: read again.
            try project.write("easel.yml", "title: Two\n\ndefaults:\n  quality: high\n")
            #expect(ParseRecord.load(for: try project.open()).entries.isEmpty)
            try project.write("easel.yml", "title: Two\n\ndefaults:\n  quality: low\n")
            #expect(ParseRecord.load(for: try project.open()).entries.count == 1)
            try project.write(
                "easel.yml",
                "title: Two\n\ndefaults:\n  quality: low\nmodels:\n  my-model:\n    like: gpt-image-2\n"
            )
            #expect(ParseRecord.load(for: try project.open()).entries.isEmpty)
        }
    }
}
