import ArgumentParser
import EaselKit
import Foundation
import Logging

extension Easel {
    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every prompt, generate what the cache lacks, and write the site."
        )

        @OptionGroup var options: ProjectOptions

        @Flag(name: .long, help: "Make no API call: missing images become placeholders.")
        var offline = false

        @Flag(name: .long, help: "Print the plan and its estimated cost; call no API and write nothing.")
        var dryRun = false

        @Option(name: .long, help: ArgumentHelp("Write the site here instead of site/.", valueName: "dir"))
        var out: String?

        @Option(name: .long, help: ArgumentHelp("Requests to run at once (default 4).", valueName: "n"))
        var concurrency: Int?

        @Option(
            name: .long,
            help: ArgumentHelp("Spend at most this many US dollars (default: max_cost).", valueName: "usd")
        )
        var maxCost: Double?

        @Flag(name: .long, help: "Do not ask before spending more than confirm_above.")
        var yes = false

        @Flag(
            name: .long,
            help: "Send the missing requests to OpenAI's Batch API (half price, within 24 hours) instead of now."
        )
        var batch = false

        @Option(name: .long, help: ArgumentHelp("Seconds one API request may take (default 600).", valueName: "s"))
        var timeout: Int?

        @Option(name: .long, help: ArgumentHelp("Retries of a failed API request (default 2).", valueName: "n"))
        var retries: Int?

        func validate() throws {
            if let concurrency, !(1...64).contains(concurrency) {
                throw ValidationError("--concurrency must be from 1 to 64")
            }
            if let maxCost, !(maxCost >= 0) { throw ValidationError("--max-cost must be 0 or more") }
            if let timeout, !(1...3600).contains(timeout) {
                throw ValidationError("--timeout must be from 1 to 3600 seconds")
            }
            if let retries, !(0...10).contains(retries) {
                throw ValidationError("--retries must be from 0 to 10")
            }
            if batch, offline { throw ValidationError("--batch sends requests; it cannot be --offline") }
        }

        func run() async throws {
            let project = try options.openProject()
            var settings = BuildOptions()
            settings.offline = offline
            settings.dryRun = dryRun
            settings.only = options.only
            settings.output = out.map { URL(fileURLWithPath: $0) }
            settings.concurrency = concurrency
            settings.maxCost = maxCost
            settings.batch = batch
            let output = settings.output ?? project.siteFolder
            if !dryRun, let refusal = OutputFolder.refusal(for: output, in: project, isDefault: out == nil) {
                printError("error: \(refusal); nothing was built")
                throw ExitCode.invalidConfiguration
            }

            let lock = dryRun ? nil : try lockProject(project)
            defer { withExtendedLifetime(lock) {} }

            var api = offline || dryRun ? nil : APISettings.resolve(projectRoot: project.root)
            if let timeout { api?.requestTimeout = .seconds(timeout) }
            if let retries { api?.maxRetries = retries }
            // The batches an earlier --batch sent come first: what ended is cached before the plan.
            if let api, !dryRun {
                do {
                    let collected = try await ImagesClient.withHTTPClient(for: api) { http in
                        try await Builder(project: project, source: nil).collectBatches(
                            with: BatchClient(settings: api, httpClient: http)
                        )
                    }
                    if let line = Console.line(for: collected) { printError(line) }
                } catch let error as BatchLedgerUnreadable {
                    printError("error: \(error)")
                    throw ExitCode.invalidConfiguration
                } catch {
                    // The site is still built from the cache; the batches wait for the next look.
                    printError("warning: the batches sent earlier could not be looked at: \(error)")
                }
            }
            // Nothing changed since a build that left nothing to do: its report, nothing read.
            let check = Builder(project: project, source: nil).checkSettled(settings, sourceAvailable: api != nil)
            if let settled = check.report {
                options.printDiagnostics(settled.diagnostics)
                if let summary = settled.plan { printPlan(summary, api: api) }
                try printReport(settled)
                return
            }

            let plan: BuildPlan
            do {
                plan = try Builder(project: project, source: nil).plan(settings, after: check)
            } catch let error as BatchLedgerUnreadable {
                printError("error: \(error)")
                throw ExitCode.invalidConfiguration
            }
            options.printDiagnostics(plan.diagnostics)
            printPlan(plan.summary, api: api)
            if api != nil, !confirmSpending(plan, project: project) {
                printError("not generating anything: building the site from the cache")
                settings.offline = true
                api = nil
            }

            let report = try await Terminal.whileInterruptible(settings.control) {
                try await run(plan, settings, project: project, api: api)
            }
            try printReport(report)
        }

        /// The plan's line, and what to know before it runs.
        private func printPlan(_ summary: PlanSummary, api: APISettings?) {
            if let api, let warning = Console.ignoredDotEnvWarning(api) { printError(warning) }
            printError(Console.line(for: summary, offline: offline || (api == nil && !dryRun)))
            if api == nil, !offline, !dryRun, summary.requests > 0 {
                printError(Console.missingKeyWarning(projectFolder: options.directory))
            }
        }

        /// The report: warnings found while rendering, then the summary or the JSON.
        private func printReport(_ report: BuildReport) throws {
            options.printDiagnostics(report.siteWarnings)
            if let stopped = report.stopped { printError("error: stopped sending requests: \(stopped)") }
            if report.interrupted {
                printError("interrupted: the site shows what was generated; build again to resume")
            }
            if options.json {
                print(String(decoding: try report.prettyJSON(), as: UTF8.self))
            } else {
                printOutput(Console.summary(of: report))
            }
            Trace.mark("report printed")
            if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
        }

        /// Asks before spending more than `confirm_above` (default $1.00), on a terminal only.
        private func confirmSpending(_ plan: BuildPlan, project: Project) -> Bool {
            let threshold = project.config.confirmAbove ?? 1.0
            var summary = plan.summary
            if batch {
                (summary.estimatedCostUSD, summary.unknownCost) = (
                    summary.batchEstimatedCostUSD, summary.batchUnknownCost
                )
            }
            guard !yes, summary.requests > 0, summary.estimatedCostUSD > threshold || summary.unknownCost > 0,
                Terminal.isInteractive
            else { return true }
            let question =
                "Send \(summary.requests) request\(summary.requests == 1 ? "" : "s") for"
                + " \(summary.images) image\(summary.images == 1 ? "" : "s")\(batch ? " to the Batch API" : ""),"
                + " \(Console.estimate(summary))\(batch ? " at batch prices" : "")? [y/N] "
            return Terminal.ask(question)
        }

        /// Runs the plan, through the image API when `api` is set, with progress on standard error.
        private func run(
            _ plan: BuildPlan,
            _ settings: BuildOptions,
            project: Project,
            api: APISettings?
        ) async throws -> BuildReport {
            guard let api, plan.requestsToSend > 0 else {
                // Nothing to send: no progress to show; the summary counts the placeholders.
                return try await Builder(project: project, source: nil).run(plan, settings)
            }
            if settings.batch {
                return try await ImagesClient.withHTTPClient(for: api) { http in
                    var settings = settings
                    settings.batches = BatchClient(settings: api, httpClient: http)
                    return try await Builder(project: project, source: nil).run(plan, settings)
                }
            }
            let progress = ProgressDisplay(total: plan.summary.toGenerate, live: Terminal.isErrorTerminal)
            defer { progress.finish() }
            let onEvent: @Sendable (BuildEvent) -> Void = { progress.record($0) }
            var logger = Logger(label: "easel.api")
            logger.logLevel = .warning
            return try await ImagesClient.withHTTPClient(for: api) { http in
                let client = ImagesClient(
                    settings: api,
                    httpClient: http,
                    logger: logger,
                    spool: project.cache.spoolFolder
                )
                return try await Builder(project: project, source: client, logger: logger)
                    .run(plan, settings, onEvent: onEvent)
            }
        }
    }
}
