import ArgumentParser
import EaselKit

extension Easel {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate easel.yml and every prompt, without network; print path:line:col diagnostics."
        )

        @OptionGroup var options: ProjectOptions

        func run() async throws {
            let project = try options.openProject()
            let report = try Checker(project: project).check(only: options.only)
            options.printDiagnostics(report.prompts.flatMap(\.diagnostics))
            if options.json {
                try printJSON(report)
            } else {
                for item in report.prompts where item.draft { printOutput("draft        \(item.file)") }
                printOutput(Console.summary(of: report))
            }
            if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
        }
    }
}
