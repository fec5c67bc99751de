import Foundation
import Testing

@testable import EaselKit

/// `kill -9` of the real `easel` binary while it sends batches and while it collects them (issue
/// 15): the next run makes no second batch and loses no image.
struct KilledBatchTests {
    /// Runs `easel ARGUMENTS` against `baseURL`, and kills it with SIGKILL once `when` holds (or
    /// lets it finish when `when` is nil). Returns whether it was killed.
    private func easel(
        _ arguments: [String],
        _ baseURL: String,
        killWhen when: (() -> Bool)? = nil
    ) async throws -> Bool {
        let executable = try #require(
            KilledBuildTests.executable,
            "easel binary not found near \(Bundle.main.bundleURL)"
        )
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPENAI_BASE_URL"] = baseURL
        environment["OPENAI_API_KEY"] = "sk-test-killed-batch"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard let when else {
            try await Self.waitForExit(of: process)
            return false
        }
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while !when(), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        try await Self.waitForExit(of: process)
        return killed
    }

    /// Waits for `process` to end without blocking a thread: the server the process talks to runs
    /// on the same cooperative threads (two on a 2-core machine), and `waitUntilExit()` in two
    /// tests at once left it none to answer with, a deadlock. Killed after a minute.
    static func waitForExit(of process: Process) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while process.isRunning {
            if ContinuousClock.now > deadline { kill(process.processIdentifier, SIGKILL) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private func ledger(_ project: TemporaryProject) -> BatchLedger? {
        try? BatchLedger.load(from: project.root.appendingPathComponent(".easel/\(BatchLedger.fileName)"))
    }

    private func entries(_ project: TemporaryProject) -> Int {
        let walker = FileManager.default.enumerator(atPath: project.root.appendingPathComponent("cache").path)
        return (walker?.allObjects as? [String] ?? []).filter { $0.hasSuffix("/" + CacheEntry.recordName) }.count
    }

    @Test func killedBetweenUploadAndCreateAndWhileCollectingNothingIsSentTwiceOrLost() async throws {
        try await TemporaryProject.with { project in
            for index in 1...24 {
                try project.write("prompts/p\(index).md", "---\nquality: low\nn: 4\n---\nKite \(index).")
            }
            // The batches' files are sent slowly: a download takes long enough to be killed in.
            let api = FakeBatchAPI(slowDownloads: true)
            // Every POST waits: the window between the input's upload and the batch's creation.
            let server = FakeImagesServer(latency: .milliseconds(400), reply: api.reply)
            try await server.run { baseURL in
                let killed = try await easel(["build", project.root.path, "--batch", "--yes"], baseURL) {
                    ledger(project)?.submissions.first.map { $0.inputFileID != nil && $0.batchID == nil } ?? false
                }
                #expect(killed, "killed after the upload, before the batch's id was written")
                #expect(ledger(project)?.submissions.first?.batchID == nil)
                // The request to make the batch was in flight: the server may yet make it.
                let settle = ContinuousClock.now.advanced(by: .seconds(2))
                while api.batchIDs.isEmpty, ContinuousClock.now < settle {
                    try await Task.sleep(for: .milliseconds(20))
                }
                _ = try await easel(["build", project.root.path, "--batch", "--yes"], baseURL)
                if api.batchIDs.isEmpty {
                    // It did not: once that request's time is up, the next run makes the batch.
                    var stale = try #require(ledger(project))
                    stale.submissions[0].createSentAt = Date(timeIntervalSinceNow: -3_600)
                    try stale.save(to: project.root.appendingPathComponent(".easel/\(BatchLedger.fileName)"))
                    _ = try await easel(["build", project.root.path, "--batch", "--yes"], baseURL)
                }
                let open = try #require(ledger(project)?.submissions)
                #expect(open.count == 1 && open[0].batchID != nil && open[0].requests.count == 24)
                let made = api.batchIDs.filter { api.metadata(of: $0)["easel_submission"] == open[0].id }
                #expect(made.count == 1, "one batch for the submission: \(api.batchIDs)")

                for id in made { api.complete(id) }
                let state = project.root.appendingPathComponent(".easel").path
                let killedCollecting = try await easel(["build", project.root.path, "--yes"], baseURL) {
                    (try? FileManager.default.contentsOfDirectory(atPath: state))?.contains { $0.hasSuffix(".part") }
                        ?? false
                }
                #expect(killedCollecting, "killed while the batch's output was being downloaded")
                #expect(entries(project) == 0 && ledger(project)?.submissions.count == 1)

                _ = try await easel(["build", project.root.path, "--yes"], baseURL)
                #expect(entries(project) == 24, "every image of the batch is in the cache")
                #expect(ledger(project)?.submissions.isEmpty == true)
                let records = try project.snapshot(of: "cache").files
                    .filter { $0.key.hasSuffix(CacheEntry.recordName) }.values
                    .map { try CacheEntry.decoder.decode(CacheRecord.self, from: $0) }
                #expect(records.allSatisfy { $0.batch?.id == made.first })
                #expect(!server.received.contains { $0.path.hasPrefix("/v1/images/") }, "nothing was made now")
            }
        }
    }

    /// `easel batch status`, `wait` and `cancel`, as a user runs them.
    @Test func theBatchCommandsListWaitForAndCancelTheBatches() async throws {
        let executable = try #require(KilledBuildTests.executable, "easel binary not found")
        try await TemporaryProject.with { project in
            for index in 1...3 { try project.write("prompts/p\(index).md", "---\nquality: low\n---\nKite \(index).") }
            try project.writeImage("inputs/harbour.png", width: 64, height: 64)
            try project.write("prompts/e.md", "---\nedit: inputs/harbour.png\n---\nNight.")
            let api = FakeBatchAPI()
            let server = FakeImagesServer(reply: api.reply)
            try await server.run { baseURL in
                // Output into a file, not a pipe: a pipe's end leaks into the processes other tests
                // start meanwhile, and its reader then waits for them too.
                let output = project.root.appendingPathComponent("output.txt")
                func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
                    let process = Process()
                    process.executableURL = executable
                    process.arguments = arguments + [project.root.path]
                    var environment = ProcessInfo.processInfo.environment
                    environment["OPENAI_BASE_URL"] = baseURL
                    environment["OPENAI_API_KEY"] = "sk-test-batch-commands"
                    process.environment = environment
                    FileManager.default.createFile(atPath: output.path, contents: nil)
                    let file = try FileHandle(forWritingTo: output)
                    defer { try? file.close() }
                    process.standardOutput = file
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    try await KilledBatchTests.waitForExit(of: process)
                    return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
                }
                #expect(try await run(["build", "--batch", "--yes"]).status == 0)
                let status = try await run(["batch", "status"])
                #expect(status.status == 0 && status.output.contains("2 batches still running"), "\(status.output)")
                #expect(status.output.contains("in_progress"))
                let generations = try #require(api.batchIDs.first { api.endpoint(of: $0) == "/v1/images/generations" })
                api.complete(generations)
                let cancelled = try await run(["batch", "cancel"])
                #expect(
                    cancelled.output.contains("3 collected into the cache, 1 given back to the plan"),
                    "\(cancelled.output)"
                )
                let waited = try await run(["batch", "wait", "--interval", "1"])
                #expect(waited.status == 0 && waited.output.isEmpty, "nothing left to wait for")
                #expect(try await run(["batch", "status"]).output.contains("no batch is open"))
            }
        }
    }
}
