import Foundation
import Testing

/// A few runs of the built `easel` binary, for what only the real process shows: exit statuses
/// set by `main`, and what reaches standard output and standard error.
struct BinaryTests {
    /// The `easel` executable SwiftPM built next to this test bundle.
    private static let executable: URL? = {
        var folder = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("easel")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try #require(Self.executable, "easel binary not found near \(Bundle.main.bundleURL)")
        process.arguments = arguments
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

    @Test func checkPrintsCompilerStyleDiagnosticsAndJSON() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("easel-bin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("prompts"),
            withIntermediateDirectories: true
        )
        try Data("---\nsize: 1000x1000\n---\nA cat.".utf8).write(to: root.appendingPathComponent("prompts/a.md"))

        let text = try run(["check", root.path])
        #expect(text.status == 1)
        #expect(text.stderr.contains("\(root.path)/prompts/a.md:2:7: error: gpt-image-2 does not take size 1000x1000"))

        let json = try run(["check", root.path, "--json"])
        #expect(json.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(report?["errors"] as? Int == 1)
    }
}
