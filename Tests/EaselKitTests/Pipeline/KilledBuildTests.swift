import Foundation
import Testing

@testable import EaselKit

/// `kill -9` in the middle of a build: the cache holds only whole entries, and the next build makes
/// exactly the missing requests. Runs the real `easel` binary against a server in the test.
struct KilledBuildTests {
    /// The `easel` executable SwiftPM built next to the test bundle.
    static let executable: URL? = {
        var folder = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("easel")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    /// The folders of whole entries (those with entry.json).
    private func entries(in project: TemporaryProject) -> [URL] {
        let cache = project.root.appendingPathComponent("cache")
        let walker = FileManager.default.enumerator(
            at: cache,
            includingPropertiesForKeys: nil,
            options: [.skipsHiddenFiles]
        )
        return (walker?.allObjects as? [URL] ?? []).filter { $0.lastPathComponent == "entry.json" }
            .map { $0.deletingLastPathComponent() }
    }

    @Test func aBuildKilledMidRunLeavesOnlyWholeEntriesAndResumesExactly() async throws {
        let executable = try #require(Self.executable, "easel binary not found near \(Bundle.main.bundleURL)")
        try await TemporaryProject.with { project in
            for index in 1...16 { try project.write("prompts/p\(index).md", "A lighthouse, take \(index).") }
            let server = FakeImagesServer(latency: .milliseconds(250)) { _, _ in FakeImagesServer.success() }
            try await server.run { baseURL in
                let process = Process()
                process.executableURL = executable
                process.arguments = ["build", project.root.path, "--concurrency", "4", "--yes"]
                var environment = ProcessInfo.processInfo.environment
                environment["OPENAI_BASE_URL"] = baseURL
                environment["OPENAI_API_KEY"] = "sk-test-killed"
                process.environment = environment
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                // Wait until some entries are stored and more requests are in flight, then kill -9.
                let deadline = ContinuousClock.now.advanced(by: .seconds(20))
                while entries(in: project).count < 4, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                kill(process.processIdentifier, SIGKILL)
                try await KilledBatchTests.waitForExit(of: process)
                #expect(process.terminationReason == .uncaughtSignal)

                let stored = entries(in: project)
                #expect(stored.count >= 4 && stored.count < 16, "killed mid-run: \(stored.count) stored")
                for entry in stored {
                    let record = try CacheEntry.decoder.decode(
                        CacheRecord.self,
                        from: Data(contentsOf: entry.appendingPathComponent("entry.json"))
                    )
                    for image in record.images {
                        let data = try Data(contentsOf: entry.appendingPathComponent(image.file))
                        #expect(
                            try ImageInfo.read(data: data).width > 0,
                            "\(entry.lastPathComponent)/\(image.file) decodes"
                        )
                    }
                }

                // Requests of the killed process may still reach the server now: count the resumed
                // build's own, by their key.
                let settings = APISettings(baseURL: baseURL, apiKey: "sk-test-resumed")
                let report = try await ImagesClient.withHTTPClient(for: settings) { http in
                    try await Builder(
                        project: try project.open(),
                        source: ImagesClient(settings: settings, httpClient: http)
                    )
                    .build(BuildOptions())
                }
                let resumed = server.received.filter { $0.headers["authorization"] == "Bearer sk-test-resumed" }
                #expect(resumed.count == 16 - stored.count, "exactly the missing requests")
                #expect(report.cached == stored.count && report.generated == 16 - stored.count)
            }
        }
    }
}
