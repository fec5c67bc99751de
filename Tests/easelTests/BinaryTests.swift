import Foundation
import Testing

/// A few runs of the built `easel` binary, for what only the real process shows: exit statuses
/// set by `main`, and what reaches standard output and standard error.
struct BinaryTests {

    private func run(
        _ arguments: [String],
        environment: [String: String]? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try #require(EaselBinary.url, "easel binary not found near \(Bundle.main.bundleURL)")
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test func aUsageErrorExitsTwo() throws {
        let result = try run(["build", "--concurrency", "0"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--concurrency must be from 1 to 64"))
    }

    @Test func versionAndHelpExitZero() throws {
        #expect(try run(["--version"]).status == 0)
        let help = try run(["build", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--offline"))
    }

    /// libvips and its hundred-odd libraries are opened only by a build that makes an image: with `LD_DEBUG=files`,
    /// glibc's loader names every library it opens, in the file `LD_DEBUG_OUTPUT` names (suffixed by the pid).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/maps")))
    func libvipsIsLoadedOnlyByABuildThatMakesAnImage() async throws {
        try await withTemporaryProject(["prompts/a.md": "# A\n\nA cat.\n"]) { root in
            let logs = root.appendingPathComponent("loader")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            func opened(_ arguments: [String], _ name: String) throws -> (status: Int32, stdout: String, log: String) {
                let prefix = logs.appendingPathComponent(name).path
                let result = try run(arguments, environment: ["LD_DEBUG": "files", "LD_DEBUG_OUTPUT": prefix])
                let files = try FileManager.default.contentsOfDirectory(atPath: logs.path).filter {
                    $0.hasPrefix(name + ".")
                }
                let log = try files.map {
                    try String(contentsOfFile: logs.appendingPathComponent($0).path, encoding: .utf8)
                }
                return (result.status, result.stdout, log.joined())
            }

            let drawing = try opened(["build", root.path, "--offline"], "drawing")
            #expect(drawing.status == 0)
            #expect(drawing.log.contains("libvips.so"), "the placeholder build did not open libvips")

            let settled = try opened(["build", root.path, "--offline"], "settled")
            #expect(settled.status == 0)
            #expect(settled.stdout.contains("1 placeholder"), "\(settled.stdout)")
            #expect(settled.log.contains("libcmark"), "the loader's log is empty")
            #expect(!settled.log.contains("libvips"))

            let check = try opened(["check", root.path], "check")
            #expect(check.status == 0)
            #expect(!check.log.contains("libvips"))
        }
    }

    @Test func checkPrintsCompilerStyleDiagnosticsAndJSON() async throws {
        try await withTemporaryProject(["prompts/a.md": "---\nsize: 1000x1000\n---\nA cat."]) { root in

            let text = try run(["check", root.path])
            #expect(text.status == 1)
            #expect(
                text.stderr.contains("\(root.path)/prompts/a.md:2:7: error: gpt-image-2 does not take size 1000x1000")
            )

            let json = try run(["check", root.path, "--json"])
            #expect(json.status == 1)
            let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(report?["errors"] as? Int == 1)
        }
    }

    /// The issue's acceptance mix: ten kinds of broken prompt and one good one.
    private static let brokenMix: [String: String] = [
        "bad-yaml.md": "---\nsize: [1024x1024\n---\nA cat.\n",
        "unterminated.md": "---\nsize: auto\nA cat.\n",
        "unknown-key.md": "---\nmodle: gpt-image-2\n---\nA cat.\n",
        "wrong-type.md": "---\nn: two\n---\nA cat.\n",
        "bad-size.md": "---\nmodel: gpt-image-2.6-flare\nsize: 2048x1152\n---\nA cat.\n",
        "n-range.md": "---\nn: 11\n---\nA cat.\n",
        "missing-image.md": "---\nedit:\n  image: inputs/missing.png\n---\nA cat.\n",
        "outside.md": "---\nedit: ../../etc/passwd\n---\nA cat.\n",
        "empty.md": "---\nsize: auto\n---\n\n",
        "binary.md": "\u{89}PNG\r\n\u{1A}\n\u{0}\u{0}\u{0}\rIHDR",
        "good.md": "# Good\n\nA good cat.\n",
    ]

    @Test func aMixOfBrokenPromptsGivesOneDiagnosticEachAndTheGoodOneStillBuilds() async throws {
        let files = Dictionary(uniqueKeysWithValues: Self.brokenMix.map { ("prompts/\($0.key)", $0.value) })
        try await withTemporaryProject(files) { root in
            let check = try run(["check", root.path])
            #expect(check.status == 1)
            let lines = check.stderr.split(separator: "\n").map(String.init)
            #expect(lines.count == 10, "\(lines)")
            for name in Self.brokenMix.keys where name != "good.md" {
                let prefix = "\(root.path)/prompts/\(name):"
                let line = lines.first { $0.hasPrefix(prefix) }
                #expect(
                    line?.range(of: #"^\S+:\d+:\d+: error: "#, options: .regularExpression) != nil,
                    "\(name): \(line ?? "none")"
                )
            }

            let build = try run(["build", root.path, "--offline"])
            #expect(build.status == 1)
            #expect(build.stdout.contains("10 failed, 1 placeholder"))
            let index = try String(contentsOf: root.appendingPathComponent("site/index.html"), encoding: .utf8)
            #expect(index.components(separatedBy: "card-failed").count - 1 == 10)
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("site/prompts/good.html").path))
        }
    }

    @Test func aDryRunPrintsThePlanAsJSONAndWritesNothing() async throws {
        try await withTemporaryProject(["prompts/a.md": "---\nsize: 1024x1024\nquality: low\n---\nA cat."]) { root in
            let result = try run(["build", root.path, "--dry-run", "--json"])
            #expect(result.status == 0)
            let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let plan = try #require(report?["plan"] as? [String: Any])
            #expect(plan["requests"] as? Int == 1 && plan["images"] as? Int == 1)
            #expect(((plan["estimated_cost_usd"] as? Double) ?? 0) > 0.008)
            #expect(
                result.stderr.contains("plan: 1 prompt: 0 cached, 1 to generate (1 request, 1 image, about $0.0082)")
            )
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".easel").path))
        }
    }

    @Test func pruneWithoutATerminalOnlyLists() async throws {
        try await withTemporaryProject(["prompts/a.md": "A cat."]) { root in
            let result = try run(["prune", root.path])
            #expect(result.status == 0)
            #expect(result.stderr.contains("nothing to prune"))
        }
    }
}
