import Foundation
import Testing

@testable import EaselKit

/// Issue 4's acceptance: rate limits, a 401 mid-run, the budget, interruptions.
struct GenerationAtScaleTests {
    /// Writes `count` distinct prompts.
    private func writePrompts(_ project: TemporaryProject, count: Int) throws {
        for index in 1...count { try project.write("prompts/p\(index).md", "A cat, number \(index).") }
    }

    private func build(
        _ project: TemporaryProject,
        baseURL: String,
        _ configure: (inout BuildOptions) -> Void = { _ in }
    ) async throws -> BuildReport {
        var options = BuildOptions()
        configure(&options)
        let settings = APISettings(baseURL: baseURL, apiKey: "sk-test-scale")
        return try await ImagesClient.withHTTPClient(for: settings) { http in
            let client = ImagesClient(settings: settings, httpClient: http)
            return try await Builder(project: try project.open(), source: client).build(options)
        }
    }

    @Test func aRateLimitedServerStillGetsEveryPromptWithFewer429sThanPrompts() async throws {
        try await TemporaryProject.with { project in
            try writePrompts(project, count: 20)
            let server = FakeImagesServer(latency: .milliseconds(100), maxInFlight: 3) { _, _ in
                FakeImagesServer.success()
            }
            let report = try await server.run { baseURL in
                try await build(project, baseURL: baseURL) { $0.concurrency = 8 }
            }
            #expect(report.generated == 20 && report.failed == 0)
            let load = server.loadSeen
            #expect(load.rejected < 20, "429s: \(load.rejected)")
            #expect(load.rejected == report.rateLimited)
            #expect(load.peak <= 3)
        }
    }

    @Test func aFatalErrorMidRunStartsNoFurtherRequestAndKeepsWhatFinished() async throws {
        try await TemporaryProject.with { project in
            try writePrompts(project, count: 10)
            let server = FakeImagesServer { _, index in
                index == 5
                    ? FakeImagesServer.failure(
                        401,
                        type: "invalid_request_error",
                        code: "invalid_api_key",
                        message: "bad key"
                    )
                    : FakeImagesServer.success()
            }
            let report = try await server.run { baseURL in
                try await build(project, baseURL: baseURL) { $0.concurrency = 1 }
            }
            #expect(server.received.count == 6, "no request after the 401")
            #expect(report.generated == 5 && report.failed == 5)
            #expect(report.prompts.filter { $0.failure?.hasPrefix("not sent: ") == true }.count == 4)
            #expect(report.stopped?.contains("invalid_api_key") == true)
            let generated = report.prompts.filter { $0.status == .generated }
            for item in generated {
                let page = try project.read("site/prompts/\(item.file.dropFirst("prompts/".count).dropLast(3)).html")
                #expect(page.contains("images/"), "\(item.file) shows its image")
            }
        }
    }

    @Test func withConcurrencyOnlyRequestsInFlightAtThe401AreAnswered() async throws {
        try await TemporaryProject.with { project in
            try writePrompts(project, count: 20)
            let server = FakeImagesServer(latency: .milliseconds(50)) { _, index in
                index == 5
                    ? FakeImagesServer.failure(
                        401,
                        type: "invalid_request_error",
                        code: "invalid_api_key",
                        message: "bad key"
                    )
                    : FakeImagesServer.success()
            }
            let report = try await server.run { baseURL in
                try await build(project, baseURL: baseURL) { $0.concurrency = 4 }
            }
            #expect(server.received.count <= 9, "at most the 401 and the requests in flight beside it")
            #expect(report.generated + report.failed == 20)
        }
    }

    @Test func theBudgetIsNeverPassed() async throws {
        try await TemporaryProject.with { project in
            try writePrompts(project, count: 5)
            let server = FakeImagesServer { _, _ in FakeImagesServer.success() }
            let report = try await server.run { baseURL in
                try await build(project, baseURL: baseURL) { $0.maxCost = 0.30 }
            }
            // Each answer costs $0.12505 (50 text tokens, 4,160 image tokens).
            #expect(server.received.count == 2)
            #expect(report.costUSD <= 0.30)
            #expect(report.generated == 2 && report.failed == 3)
            #expect(report.prompts.compactMap(\.failure).allSatisfy { $0.contains("max_cost of $0.30") })
        }
    }

    @Test func aCapBelowOneImageSendsNothingAndSaysWhy() async throws {
        try await TemporaryProject.with { project in
            try writePrompts(project, count: 2)
            try project.write("easel.yml", "max_cost: 0.05\n")
            let server = FakeImagesServer { _, _ in FakeImagesServer.success() }
            let report = try await server.run { baseURL in try await build(project, baseURL: baseURL) }
            #expect(server.received.isEmpty)
            #expect(report.failed == 2)
            let failure = try #require(report.prompts.first?.failure)
            #expect(failure.contains("would take this build past the max_cost of $0.05"), "\(failure)")
        }
    }

    @Test func anInterruptionLetsRequestsInFlightFinishAndStartsNoMore() async throws {
        try await TemporaryProject.with { project in
            try writePrompts(project, count: 10)
            let server = FakeImagesServer(latency: .milliseconds(400)) { _, _ in FakeImagesServer.success() }
            let control = BuildControl(gracePeriod: .seconds(10))
            let report = try await server.run { baseURL in
                try await build(project, baseURL: baseURL) { options in
                    options.concurrency = 2
                    options.control = control
                    Self.interrupt(control, after: .milliseconds(150), times: 1)
                }
            }
            #expect(server.received.count == 2)
            #expect(report.interrupted && report.exitStatus == 130)
            #expect(report.generated == 2 && report.placeholders == 8 && report.failed == 0)
            #expect(project.exists("site/index.html"))
        }
    }

    @Test func aSecondInterruptionCancelsRequestsInFlight() async throws {
        try await TemporaryProject.with { project in
            try writePrompts(project, count: 4)
            let server = FakeImagesServer(latency: .seconds(3)) { _, _ in FakeImagesServer.success() }
            let control = BuildControl(gracePeriod: .seconds(30))
            let report = try await server.run { baseURL in
                try await build(project, baseURL: baseURL) { options in
                    options.concurrency = 2
                    options.control = control
                    Self.interrupt(control, after: .milliseconds(150), times: 2)
                }
            }
            // Cancelled, not waited for: had the requests been allowed to finish, they would be generated.
            #expect(report.generated == 0 && report.placeholders == 4 && report.interrupted)
            let cached =
                (try? FileManager.default.contentsOfDirectory(atPath: project.root.appendingPathComponent("cache").path))
                ?? []
            #expect(cached.allSatisfy { $0.hasPrefix(".") }, "nothing cached: \(cached)")
        }
    }

    /// Interrupts `control` `times` times, the first after `delay`, from another task (as a signal handler would).
    private static func interrupt(_ control: BuildControl, after delay: Duration, times: Int) {
        Task.detached {
            try? await Task.sleep(for: delay)
            for _ in 0..<times {
                control.interrupt()
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}
