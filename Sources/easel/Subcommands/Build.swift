import ArgumentParser
import EaselKit
import Foundation

extension Easel {
    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every prompt, generate what the cache lacks, and write the site."
        )

        @OptionGroup var options: ProjectOptions

        @Flag(name: .long, help: "Make no API call: missing images become placeholders.")
        var offline = false

        @Flag(name: .long, help: "Check and print the plan; call no API and write nothing.")
        var dryRun = false

        @Option(name: .long, help: ArgumentHelp("Write the site here instead of site/.", valueName: "dir"))
        var out: String?

        @Option(name: .long, help: ArgumentHelp("Requests to run at once (default 4).", valueName: "n"))
        var concurrency: Int?

        func validate() throws {
            if let concurrency, !(1...64).contains(concurrency) {
                throw ValidationError("--concurrency must be from 1 to 64")
            }
        }

        func run() async throws {
            let project = try options.openProject()
            var settings = BuildOptions()
            settings.offline = offline
            settings.dryRun = dryRun
            settings.only = options.only
            settings.output = out.map { URL(fileURLWithPath: $0) }
            settings.concurrency = concurrency

            let builder = Builder(project: project, source: nil)
            let plan = try builder.plan(settings)
            options.printDiagnostics(plan.diagnostics)
            // The API client is the next piece of work: until it lands every build is offline.
            printError(Console.line(for: plan, offline: true))
            if !offline, !dryRun, plan.requestsToSend > 0 {
                printError(
                    "warning: this version of Easel has no image API client yet; missing images become placeholders"
                )
            }
            let report = try await builder.run(plan, settings) { outcome in
                printError(Console.line(for: outcome))
            }
            if options.json {
                try printJSON(report)
            } else {
                print(Console.summary(of: report))
            }
            if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
        }
    }
}
