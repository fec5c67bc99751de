import Foundation
import Testing

@testable import EaselKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cloned gallery's prompts, easel.yml and folders, written as a hostile collaborator would
/// (issue 11, holes 1, 7 and 9). On 1d745f2 each of these crashed, hung, or published a secret.
struct HostileProjectTests {
    /// Loads one prompt written with `text` and returns its error messages.
    private func errors(_ text: String) async throws -> [String] {
        try await TemporaryProject.with { project in
            try project.write("prompts/p.md", text)
            return try project.load("prompts/p.md").diagnostics.filter(\.isError).map(\.message)
        }
    }

    struct Overflow: Sendable, CustomTestStringConvertible {
        var name: String
        var front: String
        var testDescription: String { name }
    }

    /// Each traps (SIGILL) in overflowing arithmetic on 1d745f2; now each is a diagnostic.
    @Test(arguments: [
        Overflow(name: "flexible size near Int.max / 2", front: "size: 4611686018427387904x4611686018427387904"),
        Overflow(
            name: "fixed-size model, 2^32 a side",
            front: "model: gpt-image-2.6-flare\nsize: 4294967296x4294967296"
        ),
        Overflow(name: "size past Int.max", front: "size: 99999999999999999999999x1024"),
        Overflow(
            name: "mask rect near Int.max",
            front: "edit:\n  image: inputs/a.png\n  mask: {rect: [1, 1, 9223372036854775807, 1]}"
        ),
        Overflow(
            name: "mask ellipse near Int.max",
            front: "edit:\n  image: inputs/a.png\n  mask: {ellipse: [9223372036854775806, 1, 9223372036854775806, 1]}"
        ),
    ])
    func overflowingNumbersAreDiagnosticsNotCrashes(_ overflow: Overflow) async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/a.png", width: 64, height: 64)
            try project.write("prompts/p.md", "---\n\(overflow.front)\n---\nA cat.\n")
            let prompt = try project.load("prompts/p.md")
            #expect(!prompt.isValid)
            #expect(prompt.diagnostics.contains { $0.isError && $0.message.contains("16384") }, "\(prompt.diagnostics)")
        }
    }

    /// YAML 1.1 sexagesimal integers: Yams multiplied their parts unchecked and trapped (found by
    /// `make fuzz` as an easel.yml); in a prompt, in easel.yml and in a mask they are text.
    @Test func sexagesimalNumbersAreTextNeverATrap() async throws {
        let huge = "1411010:4240:40:4240110:240:40:4240110:424042400:4"
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/a.png", width: 64, height: 64)
            try project.write("prompts/n.md", "---\nn: \(huge)\n---\nA cat.\n")
            try project.write(
                "prompts/m.md",
                "---\nedit:\n  image: inputs/a.png\n  mask: {rect: [\(huge), 1, 2, 3]}\n---\nA cat.\n"
            )
            for path in ["prompts/n.md", "prompts/m.md"] {
                let prompt = try project.load(path)
                #expect(
                    !prompt.isValid && prompt.diagnostics.contains(where: \.isError),
                    "\(path): \(prompt.diagnostics)"
                )
            }
            let (_, diagnostics) = ConfigLoader.parse("concurrency: \(huge)\nconfirm_above: \(huge)\n")
            #expect(diagnostics.contains { $0.message.contains("'\(huge)'") }, "\(diagnostics)")
        }
    }

    @Test func aMaskThatOverflowsOnlyWhenAddedIsStillCaught() async throws {
        // Each number is in range alone; x + width would pass Int.max if added.
        let messages = try await TemporaryProject.with { project in
            try project.writeImage("inputs/a.png", width: 64, height: 64)
            try project.write(
                "prompts/p.md",
                "---\nedit:\n  image: inputs/a.png\n  mask: {rect: [16000, 16000, 16384, 16384]}\n---\nA cat.\n"
            )
            return try project.load("prompts/p.md").diagnostics.filter(\.isError).map(\.message)
        }
        #expect(messages.contains { $0.contains("reaches outside") }, "\(messages)")
    }

    /// 300 bytes of aliases used as mapping keys kept `check` busy for minutes in Yams.
    @Test(.timeLimit(.minutes(1))) func yamlAliasesAreRefusedBeforeTheyAreExpanded() async throws {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            let nine = Array(repeating: "*\(previous)", count: 9).joined(separator: ", ")
            yaml += "\(name): &\(name) [\(nine)]\n"
            previous = name
        }
        yaml += "title: {*\(previous): 1, *\(previous): 2}\n"
        let messages = try await errors("---\n\(yaml)---\nBoom.\n")
        #expect(
            messages == [
                "YAML anchors (&a) are not allowed: Easel does not expand aliases; write each value out in full"
            ]
        )
        #expect(try await errors("---\ntitle: *nowhere\n---\nA cat.\n").first?.contains("aliases") == true)
    }

    @Test func deepNestingIsRefused() async throws {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let messages = try await errors("---\ntitle: \(deep)\n---\nA cat.\n")
        #expect(messages.first?.contains("nested more than 32 levels") == true, "\(messages)")
    }

    /// 100,000 tags took 17 s in a quadratic duplicate check; the front matter limit stops them first.
    @Test(.timeLimit(.minutes(1))) func tagsAndFrontMatterHaveLimits() async throws {
        let many = (0..<100_000).map { "t\($0)" }.joined(separator: ", ")
        let huge = try await errors("---\ntags: [\(many)]\n---\nTags.\n")
        #expect(huge.first?.contains("the front matter is") == true && huge.first?.contains("64 KiB") == true)

        let tooMany = (0..<101).map { "t\($0)" }.joined(separator: ", ")
        #expect(
            try await errors("---\ntags: [\(tooMany)]\n---\nTags.\n") == [
                "'tags' holds 101 tags; a prompt takes at most 100"
            ]
        )
        let duplicates = (0..<5_000).map { _ in "same" }.joined(separator: ", ")
        try await TemporaryProject.with { project in
            try project.write("prompts/p.md", "---\ntags: [\(duplicates), other]\n---\nTags.\n")
            #expect(try project.load("prompts/p.md").tags == ["same", "other"])
        }
    }

    @Test func fileAndPromptLengthsHaveLimits() async throws {
        let oversized = try await errors(String(repeating: "A cat. ", count: 160_000))
        #expect(oversized.first?.hasPrefix("the file is") == true && oversized.first?.contains("1,024 KiB") == true)
        // An unknown model is not checked against a model row, but still against OpenAI's limit.
        let long = try await errors("---\nmodel: my-own-model\n---\n" + String(repeating: "word ", count: 7_000))
        #expect(long == ["the prompt is 34,999 characters; a prompt takes at most 32,000"])
    }

    /// `ln -s ../.env prompts/notes.md` put the API key on the index page on 1d745f2.
    @Test func aPromptLinkedToDotEnvIsReportedAndNeverRead() async throws {
        try await TemporaryProject.with { project in
            let secret = "sk-test-never-published-0123456789abcdef"
            try project.write(".env", "OPENAI_API_KEY=\(secret)\n")
            try project.write("prompts/cat.md", "A cat.")
            try FileManager.default.createSymbolicLink(
                atPath: project.root.appendingPathComponent("prompts/notes.md").path,
                withDestinationPath: "../.env"
            )
            let report = try Checker(project: try project.open()).check()
            let notes = try #require(report.prompts.first { $0.file == "prompts/notes.md" })
            #expect(notes.diagnostics.first?.message.contains("not a prompt file inside prompts/") == true)

            var options = BuildOptions()
            options.offline = true
            let built = try await Builder(project: try project.open(), source: nil).build(options)
            #expect(built.failed == 1 && built.placeholders == 1)
            for entry in DirectoryWalk.entries(in: project.root.appendingPathComponent("site"))
            where entry.kind == .regularFile {
                let data = try Data(contentsOf: project.root.appendingPathComponent("site/" + entry.path))
                #expect(!String(decoding: data, as: UTF8.self).contains(secret), "the key is in site/\(entry.path)")
            }
        }
    }

    @Test func aFifoIsNeverWaitedOn() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            #expect(mkfifo(project.root.appendingPathComponent("easel.yml").path, 0o644) == 0)
            #expect(mkfifo(project.root.appendingPathComponent("prompts/pipe.md").path, 0o644) == 0)
            let (_, diagnostics) = try Project.open(at: project.root)
            #expect(diagnostics.first?.message.contains("not a regular file") == true, "\(diagnostics)")
            let paths = try Project(root: project.root, config: SiteConfig()).promptPaths()
            #expect(paths == ["prompts/cat.md"])
        }
    }

    @Test(arguments: ["prompts", "templates", "cache", ".easel"])
    func aProjectFolderThatIsALinkIsRefused(_ name: String) async throws {
        try await TemporaryProject.with { project in
            let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("easel-else-\(UUID())")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: elsewhere) }
            let folder = project.root.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createSymbolicLink(at: folder, withDestinationURL: elsewhere)
            #expect(throws: ProjectError.self) { try Project.open(at: project.root) }
        }
    }

    /// A cloned `.easel/build.lock -> ~/.bashrc` was truncated by the lock on 1d745f2.
    @Test func theBuildLockNeverWritesThroughALink() async throws {
        try await TemporaryProject.with { project in
            let victim = try project.write("victim.txt", "keep me\n")
            try FileManager.default.createDirectory(
                at: project.root.appendingPathComponent(".easel"),
                withIntermediateDirectories: true
            )
            try FileManager.default.createSymbolicLink(
                at: project.root.appendingPathComponent(".easel/build.lock"),
                withDestinationURL: victim
            )
            #expect(throws: FileError.self) { try BuildLock(project: try project.open()) }
            #expect(try project.read("victim.txt") == "keep me\n")
        }
    }

    /// A theme file linked to a secret would have been published under site/assets/.
    @Test func aThemeFileThatIsALinkIsAnErrorNotPublished() async throws {
        try await TemporaryProject.with { project in
            let secret = try project.write("secret.txt", "aws_secret_access_key = abc\n")
            try FileManager.default.createDirectory(
                at: project.root.appendingPathComponent("templates/assets"),
                withIntermediateDirectories: true
            )
            try FileManager.default.createSymbolicLink(
                at: project.root.appendingPathComponent("templates/assets/extra.css"),
                withDestinationURL: secret
            )
            #expect(throws: ThemeError.self) {
                try Theme.load(overridesIn: project.root.appendingPathComponent("templates"))
            }
        }
    }

    /// The extension of a published input comes from its bytes: a PNG named .html would have been
    /// published as an HTML page of the gallery's origin.
    @Test func anInputNamedHTMLIsPublishedAsTheImageItIs() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/photo.html", width: 64, height: 64)
            try project.write("prompts/p.md", "---\nedit: inputs/photo.html\n---\nA cat.\n")
            var options = BuildOptions()
            options.offline = true
            let report = try await Builder(project: try project.open(), source: nil).build(options)
            #expect(report.placeholders == 1)
            let inputs = try FileManager.default.contentsOfDirectory(
                atPath: project.root.appendingPathComponent("site/inputs").path
            )
            #expect(!inputs.isEmpty && inputs.allSatisfy { $0.hasSuffix(".png") }, "\(inputs)")
        }
    }

    /// An input that is a FIFO is an error at its line, never opened: reading it held the build for good.
    @Test(.timeLimit(.minutes(1))) func anInputThatIsAFifoIsNeverRead() async throws {
        let messages = try await TemporaryProject.with { project in
            try FileManager.default.createDirectory(
                at: project.root.appendingPathComponent("inputs"),
                withIntermediateDirectories: true
            )
            #expect(mkfifo(project.root.appendingPathComponent("inputs/pipe.png").path, 0o644) == 0)
            try project.write("prompts/p.md", "---\nedit: inputs/pipe.png\n---\nA cat.\n")
            return try project.load("prompts/p.md").diagnostics.filter(\.isError).map(\.description)
        }
        #expect(messages.first?.contains("not a regular file") == true, "\(messages)")
        #expect(messages.first?.contains("p.md:2:") == true, "named at its line: \(messages)")
    }

    /// Hidden files are never read as inputs, whatever their content.
    @Test func anInputMayNotBeAHiddenFile() async throws {
        let messages = try await TemporaryProject.with { project in
            try project.writeImage(".private/photo.png")
            try project.write("prompts/p.md", "---\nedit: .private/photo.png\n---\nA cat.\n")
            return try project.load("prompts/p.md").diagnostics.filter(\.isError).map(\.message)
        }
        #expect(messages.first?.contains("hidden") == true, "\(messages)")
    }
}
