import Foundation
import Testing

@testable import EaselKit

/// `easel build --json` puts the report together from prompts encoded on every core; it must
/// print the bytes `JSONEncoder` prints for the whole report.
struct BuildReportJSONTests {
    private func report(_ files: [String: String]) async throws -> BuildReport {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: Report\n")
            for (path, text) in files { try project.write(path, text) }
            return try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
        }
    }

    @Test func theReportPutTogetherIsTheReportEncodedWhole() async throws {
        let report = try await report([
            "prompts/a.md": "# Café «crème» / noir\n\nA cup, \"steaming\", on a table.",
            "prompts/space/b.md": "---\ntags: [space, \"ü/ö\"]\n---\n# Orbit\n\nA station.",
            "prompts/c.md": "---\nn: 0\n---\n# Broken\n\nNot sent.",
            "prompts/d.md": "---\nquality: ultra\n---\n# Odd quality\n\nA lamp.",
            "prompts/e.md": "# Plain\n\nA tree.",
        ])
        #expect(report.prompts.count == 5)
        #expect(report.prompts.contains { !$0.diagnostics.isEmpty }, "a prompt with diagnostics is part of the case")
        let whole = try PrettyJSON.encoder().encode(report)
        let together = try #require(try report.assembledJSON(), "put together, not encoded whole")
        #expect(String(decoding: together, as: UTF8.self) == String(decoding: whole, as: UTF8.self))
    }

    @Test func aReportOfOneOrNoPromptIsEncodedWhole() async throws {
        for files in [["prompts/a.md": "# A\n\nA cat."], [:]] {
            let report = try await report(files)
            #expect(try report.prettyJSON() == PrettyJSON.encoder().encode(report))
        }
    }

    /// A build with nothing to do prints the prompts its settled build kept as printed: the bytes of
    /// the report encoded whole.
    @Test func aSettledReportPrintsThePromptsItKept() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# Café / noir\n\nA cup.")
            try project.write("prompts/b.md", "---\ntags: [x]\n---\n# B\n\nA tree.")
            try project.write("prompts/c.md", "# C\n\nA lamp.")
            let first = try await Builder(project: try project.open(), source: RecordingSource()).build(BuildOptions())
            #expect(first.encodedPrompts == nil, "a build that generated is not settled")
            let second = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
            #expect(second.encodedPrompts != nil, "settled: the prompts are kept as printed")
            let settled = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
            #expect(settled.siteUnchanged && settled.encodedPrompts != nil)
            #expect(try settled.prettyJSON() == PrettyJSON.encoder().encode(settled))
            // What is printed is what was kept: a mark in it shows.
            var marked = settled
            marked.encodedPrompts = Data("{}".utf8)
            #expect(try marked.prettyJSON() != PrettyJSON.encoder().encode(settled))
        }
    }

    /// The printed prompts of a settled build are one line of base64 between its report and its
    /// prompts' lines: an empty or damaged one is no settled build, never prompts left out.
    @Test func aDamagedPrintedLineIsNoSettledBuild() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "# A\n\nA cup.")
            try project.write("prompts/b.md", "# B\n\nA tree.")
            _ = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
            let settled = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
            #expect(settled.encodedPrompts != nil)
            let location = SettledBuild.location(in: try project.open())
            let saved = try Data(contentsOf: location)
            for bad in ["", "!!! not base64", "-"] {
                var lines = saved.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                lines[3] = Data(bad.utf8)[...]
                try Data(lines.joined(separator: [UInt8(ascii: "\n")])).write(to: location)
                let report = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
                #expect(report.prompts.count == 2, "\(bad)")
                #expect((report.placeholders, report.failed) == (settled.placeholders, settled.failed), "\(bad)")
                #expect(try report.prettyJSON() == PrettyJSON.encoder().encode(report), "\(bad)")
                try saved.write(to: location)
            }
        }
    }
}
