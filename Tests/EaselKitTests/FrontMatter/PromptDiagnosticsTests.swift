import Foundation
import Testing

@testable import EaselKit

/// Every kind of broken prompt the issue names gives exactly one error, at the right place.
struct PromptDiagnosticsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int
        var column: Int
        var fragment: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "bad YAML",
            text: "---\nsize: [1024x1024\n---\nA cat.\n",
            line: 3,
            column: 1,
            fragment: "invalid YAML"
        ),
        Case(
            name: "unterminated front matter",
            text: "---\nsize: auto\nA cat.\n",
            line: 1,
            column: 1,
            fragment: "never closed"
        ),
        Case(
            name: "unknown key",
            text: "---\nsize: auto\nmodle: gpt-image-2\n---\nA cat.\n",
            line: 3,
            column: 1,
            fragment: "did you mean 'model'?"
        ),
        Case(name: "wrong type", text: "---\nn: two\n---\nA cat.\n", line: 2, column: 4, fragment: "whole number"),
        Case(
            name: "tags of the wrong type",
            text: "---\ntags: {a: b}\n---\nA cat.\n",
            line: 2,
            column: 7,
            fragment: "must be a list"
        ),
        Case(
            name: "size the model does not take",
            text: "---\nmodel: gpt-image-2.6-flare\nsize: 1792x1024\n---\nA cat.\n",
            line: 3,
            column: 7,
            fragment: "does not take size 1792x1024"
        ),
        Case(
            name: "size off the grid",
            text: "---\nsize: 1000x1000\n---\nA cat.\n",
            line: 2,
            column: 7,
            fragment: "nearest size it takes is 1008x1008"
        ),
        Case(name: "n out of range", text: "---\nn: 11\n---\nA cat.\n", line: 2, column: 4, fragment: "from 1 to 10"),
        Case(
            name: "n over the model's limit",
            text: "---\nmodel: dall-e-3\nn: 2\n---\nA cat.\n",
            line: 3,
            column: 4,
            fragment: "at most 1 image"
        ),
        Case(
            name: "quality typo",
            text: "---\nquality: hihg\n---\nA cat.\n",
            line: 2,
            column: 10,
            fragment: "did you mean 'high'?"
        ),
        Case(
            name: "missing edit image",
            text: "---\nedit:\n  image: inputs/nope.png\n---\nA cat.\n",
            line: 3,
            column: 10,
            fragment: "no such file 'inputs/nope.png'"
        ),
        Case(
            name: "image outside the project",
            text: "---\nedit: ../../etc/passwd\n---\nA cat.\n",
            line: 2,
            column: 7,
            fragment: "outside the project"
        ),
        Case(
            name: "absolute image path",
            text: "---\nvariation_of: /etc/hosts\n---\n",
            line: 2,
            column: 15,
            fragment: "absolute path"
        ),
        Case(
            name: "empty prompt",
            text: "---\nsize: auto\n---\n\n",
            line: 4,
            column: 1,
            fragment: "the prompt is empty"
        ),
        Case(name: "title only", text: "# A title\n", line: 1, column: 1, fragment: "below the title heading"),
        Case(
            name: "transparent jpeg",
            text: "---\nformat: jpeg\nbackground: transparent\n---\nA cat.\n",
            line: 3,
            column: 13,
            fragment: "png or webp"
        ),
        Case(
            name: "compression on png",
            text: "---\ncompression: 80\n---\nA cat.\n",
            line: 2,
            column: 14,
            fragment: "jpeg and webp only"
        ),
        Case(
            name: "moderation on an edit",
            text: "---\nmoderation: low\nedit: inputs/in.png\n---\nA cat.\n",
            line: 2,
            column: 13,
            fragment: "generations only"
        ),
        Case(
            name: "input fidelity on a generation",
            text: "---\ninput_fidelity: high\n---\nA cat.\n",
            line: 2,
            column: 17,
            fragment: "edits only"
        ),
        Case(
            name: "input fidelity on a model without it",
            text: "---\nmodel: gpt-image-1-mini\ninput_fidelity: high\nedit: inputs/in.png\n---\nA cat.\n",
            line: 3,
            column: 17,
            fragment: "has no 'input_fidelity' option"
        ),
        Case(
            name: "input fidelity of the wrong value",
            text: "---\ninput_fidelity: medium\nedit: inputs/in.png\n---\nA cat.\n",
            line: 2,
            column: 17,
            fragment: "use one of high, low"
        ),
        Case(
            name: "edit and variation",
            text: "---\nedit: inputs/in.png\nvariation_of: inputs/in.png\n---\nA cat.\n",
            line: 3,
            column: 15,
            fragment: "cannot be combined"
        ),
        Case(
            name: "legacy-only format",
            text: "---\nmodel: dall-e-2\nformat: webp\n---\nA cat.\n",
            line: 3,
            column: 9,
            fragment: "returns PNG"
        ),
        Case(
            name: "model that cannot edit",
            text: "---\nmodel: dall-e-3\nedit: inputs/in.png\n---\nA cat.\n",
            line: 3,
            column: 7,
            fragment: "cannot edit images"
        ),
        Case(
            name: "rectangle outside the image",
            text: "---\nedit:\n  image: inputs/in.png\n  mask: {rect: [200, 0, 100, 10]}\n---\nA cat.\n",
            line: 4,
            column: 9,
            fragment: "reaches outside"
        ),
        Case(
            name: "ellipse outside the image",
            text: "---\nedit:\n  image: inputs/in.png\n  mask: {ellipse: [250, 128, 20, 20]}\n---\nA cat.\n",
            line: 4,
            column: 9,
            fragment: "reaches outside"
        ),
        Case(
            name: "ellipse with a zero radius",
            text: "---\nedit:\n  image: inputs/in.png\n  mask: {ellipse: [100, 100, 0, 20]}\n---\nA cat.\n",
            line: 4,
            column: 19,
            fragment: "above 0"
        ),
        Case(
            name: "response_format",
            text: "---\nresponse_format: b64_json\n---\nA cat.\n",
            line: 2,
            column: 1,
            fragment: "base64"
        ),
        Case(
            name: "duplicate key",
            text: "---\nsize: auto\nsize: 1024x1024\n---\nA cat.\n",
            line: 2,
            column: 1,
            fragment: "set twice"
        ),
    ]

    @Test(arguments: [
        ("2026-11-20", true), ("2024-02-29", true), ("2026-1-5", true), ("2026-11-20T23:59:60Z", true),
        ("2026-11-20 08:30:00 +02:00", true), ("2026-11-20t08:30:00.25-0530", true), ("9999-12-31", true),
        ("2026-02-29", false), ("2026-02-30", false), ("2026-13-01", false), ("2026-00-10", false),
        ("2026-04-31", false), ("1900-02-29", false), ("0001-01-01", false), ("2026-11-20T24:00:00Z", false),
        ("2026-11-20T25:99:99Z", false), ("2026-11-20T08:30:00+99:00", false), ("2026-11-20T08:30:00+14:30", false),
    ])
    func aDateIsRealOrRefused(text: String, real: Bool) {
        #expect(SettingsReader.isRealTimestamp(text) == real)
    }

    @Test func aDateThatDoesNotExistIsAnErrorAtItsValue() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "---\ndate: 2026-02-30\n---\n# A\n\nA cat.\n")
            let prompt = try project.load("prompts/a.md")
            let errors = prompt.diagnostics.filter(\.isError)
            let error = try #require(errors.first)
            #expect(error.location == SourceLocation(path: "prompts/a.md", line: 2, column: 7))
            #expect(error.message.contains("found '2026-02-30'"))
            #expect(prompt.request == nil)
        }
    }

    @Test(arguments: cases)
    func reportsOneErrorAtTheRightPlace(_ broken: Case) async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/in.png", width: 256, height: 256)
            try project.write("prompts/broken.md", broken.text)
            let prompt = try project.load("prompts/broken.md")
            let errors = prompt.diagnostics.filter(\.isError)
            #expect(errors.count == 1, "\(errors)")
            let error = try #require(errors.first)
            #expect(
                error.location == SourceLocation(path: "prompts/broken.md", line: broken.line, column: broken.column)
            )
            #expect(error.message.contains(broken.fragment), "\(error.message)")
            #expect(prompt.request == nil)
        }
    }

    @Test func aBinaryFileIsOneDiagnosticNotACrash() async throws {
        try await TemporaryProject.with { project in
            try project.write(
                "prompts/photo.md",
                data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
            )
            let prompt = try project.load("prompts/photo.md")
            #expect(prompt.diagnostics.count == 1)
            #expect(prompt.diagnostics.first?.message.contains("binary") == true)
            #expect(prompt.title == "photo")
        }
    }

    @Test func anUnknownModelIsAWarningAndIsSentAsWritten() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/p.md", "---\nmodel: gpt-image-3\nsize: 999x999\n---\nA cat.\n")
            let prompt = try project.load("prompts/p.md")
            #expect(prompt.diagnostics.map(\.severity) == [.warning])
            #expect(prompt.diagnostics.first?.message.contains("unknown model 'gpt-image-3'") == true)
            #expect(prompt.request?.model == "gpt-image-3")
            #expect(prompt.request?.size == "999x999")
        }
    }

    @Test func everyProblemOfOneFileIsReported() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/p.md", "---\nmodle: x\nsize: 1000x1000\nn: 0\nquality: hgh\n---\nA cat.\n")
            let prompt = try project.load("prompts/p.md")
            #expect(prompt.diagnostics.map(\.location.line) == [2, 3, 4, 5])
        }
    }

    @Test func aSymbolicLinkOutOfTheProjectIsRefused() async throws {
        try await TemporaryProject.with { project in
            try await TemporaryProject.with { elsewhere in
                try elsewhere.writeImage("secret.png")
                try FileManager.default.createDirectory(
                    at: project.root.appendingPathComponent("inputs"),
                    withIntermediateDirectories: true
                )
                try FileManager.default.createSymbolicLink(
                    at: project.root.appendingPathComponent("inputs/link.png"),
                    withDestinationURL: elsewhere.root.appendingPathComponent("secret.png")
                )
                try project.write("prompts/p.md", "---\nedit: inputs/link.png\n---\nA cat.")
                let prompt = try project.load("prompts/p.md")
                #expect(
                    prompt.diagnostics.map(\.message) == [
                        "'edit.image': 'inputs/link.png' is outside the project; copy the image into the project (e.g. inputs/)"
                    ]
                )
            }
        }
    }
}
