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

    /// The record keeps prompts as arrays (``PromptFile/Compact``): every field comes back as it
    /// went, nil or not; a list with a field too many or too few is no prompt.
    @Test func aPromptComesBackFromItsCompactFormAsItWent() throws {
        let input = InputImage(path: "inputs/a b.png", url: URL(fileURLWithPath: "/p/inputs/a b.png"), sha256: "aa")
        let location = SourceLocation(path: "prompts/a.md", line: 3, column: 7)
        let full = PromptFile(
            path: "prompts/space/a.md",
            title: "A \"cat\" <on> a mat",
            tags: ["x", "y z"],
            date: Date(timeIntervalSinceReferenceDate: 786_000_000.5),
            isDraft: true,
            html: "<p>A <em>cat</em>.</p>\n",
            text: "A cat.",
            model: "gpt-image-2",
            kind: .edit,
            request: ImageRequest(
                endpoint: .edits,
                model: "gpt-image-2",
                dialect: .legacy,
                prompt: "A cat.",
                size: "1024x1024",
                quality: "high",
                n: 2,
                background: "opaque",
                format: "jpeg",
                compression: 80,
                moderation: "low",
                inputFidelity: "high",
                images: [input],
                mask: .rectangle(PixelRect(x: 1, y: 2, width: 3, height: 4)),
                seed: "42"
            ),
            diagnostics: [.warning("unknown key 'colour'", at: location)],
            source: "---\nedit: inputs/a b.png\n---\nA cat.",
            compare: Comparison(
                axes: [.init(key: "quality", values: ["low", "high"])],
                cells: [
                    .init(
                        choices: [0],
                        request: ImageRequest(endpoint: .edits, model: "gpt-image-2", prompt: "A cat.")
                    ),
                    .init(choices: [1], request: nil, problem: "prompts/a.md:3:7: error: no"),
                ],
                pick: 1
            )
        )
        var bare = full
        (bare.date, bare.request, bare.diagnostics, bare.tags, bare.kind) = (nil, nil, [], [], .generation)
        bare.compare = nil
        var masked = full
        masked.request?.mask = .image(input)
        for prompt in [full, bare, masked] {
            let data = try JSONEncoder().encode(PromptFile.Compact(prompt))
            #expect(data.first == UInt8(ascii: "["))
            let back = try JSONDecoder().decode(PromptFile.Compact.self, from: data).prompt
            #expect(try encoded(back) == encoded(prompt))
            #expect(back.source == prompt.source)
            let text = String(decoding: data, as: UTF8.self)
            for spoiled in [String(text.dropLast()) + ",null]", String(text[..<text.lastIndex(of: ",")!]) + "]"] {
                #expect(throws: DecodingError.self) {
                    try JSONDecoder().decode(PromptFile.Compact.self, from: Data(spoiled.utf8))
                }
            }
        }
    }

    /// The record's prompts are arrays a clone may bring or a disk may spoil: a field of the wrong
    /// type, a list nested without end, a line cut short. The prompt is then read from its file.
    @Test(arguments: ["wrong type", "nested", "cut short"])
    func aSpoiledRecordIsReadAgainFromTheFile(kind: String) async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# The title\n\nA cat.")
            _ = try await build(project)
            let opened = try project.open()
            let path = "prompts/a.md"
            let identity = FileIdentity.of(project.root.appendingPathComponent(path).path)
            #expect(ParseRecord.load(for: opened).prompt(at: path, identity: identity, in: opened) != nil)
            let lines = try project.read(".easel/parsed").split(separator: "\n", omittingEmptySubsequences: false)
            let line = String(lines[1])
            let spoiled =
                switch kind {
                case "wrong type": line.replacingOccurrences(of: "\"The title\"", with: "42")
                case "nested": String(repeating: "[", count: 100_000)
                default: String(line.prefix(line.count / 2))
                }
            #expect(spoiled != line)
            try project.write(
                ".easel/parsed",
                ([String(lines[0]), spoiled] + lines.dropFirst(2).map(String.init)).joined(separator: "\n")
            )
            #expect(ParseRecord.load(for: opened).prompt(at: path, identity: identity, in: opened) == nil, "\(kind)")
            let report = try await build(project)
            #expect(report.prompts.first?.title == "The title", "\(kind)")
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
