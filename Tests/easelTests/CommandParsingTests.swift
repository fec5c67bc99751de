import ArgumentParser
import Testing

@testable import easel

struct CommandParsingTests {
    @Test func buildTakesEveryOption() throws {
        let build = try Easel.Build.parse([
            "gallery", "--offline", "--dry-run", "--only", "space/*", "--only", "cat", "--out", "public", "--json",
            "--concurrency", "8", "--timeout", "120", "--retries", "0", "--max-cost", "2.5", "--yes",
        ])
        #expect(build.options.directory == "gallery")
        #expect(build.offline && build.dryRun && build.options.json)
        #expect(build.options.only == ["space/*", "cat"])
        #expect(build.out == "public")
        #expect(build.concurrency == 8)
        #expect(build.timeout == 120 && build.retries == 0)
        #expect(build.maxCost == 2.5 && build.yes)
    }

    @Test func theProjectDefaultsToTheCurrentFolder() throws {
        #expect(try Easel.Check.parse([]).options.directory == ".")
    }

    @Test(arguments: [
        ["--concurrency", "0"], ["--concurrency", "65"], ["--timeout", "0"], ["--retries", "11"], ["--max-cost", "-1"],
    ])
    func concurrencyOutOfRangeIsAUsageError(arguments: [String]) {
        #expect(throws: (any Error).self) { try Easel.Build.parse(arguments) }
    }

    @Test func anUnknownOptionIsAUsageError() {
        #expect(throws: (any Error).self) { try Easel.Build.parse(["--colour"]) }
    }

    @Test func pruneTakesItsFlags() throws {
        let prune = try Easel.Prune.parse(["gallery", "--dry-run", "--yes", "--json"])
        #expect(prune.directory == "gallery" && prune.dryRun && prune.yes && prune.json)
    }
}
