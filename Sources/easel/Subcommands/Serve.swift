import ArgumentParser
import EaselKit
import Foundation

extension Easel {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build, serve site/ on 127.0.0.1, rebuild on change and reload open pages.",
            discussion: """
                Uncached prompts are shown as placeholders: saving a file never spends money unless \
                you pass --generate.
                """
        )

        @Argument(help: "The project folder (holding prompts/).", completion: .directory)
        var directory: String = "."

        @Option(name: .long, help: "The port to listen on (0 picks a free one).")
        var port = 8000

        @Option(name: .long, help: "The address to listen on; anything but 127.0.0.1 exposes the site to your network.")
        var host = "127.0.0.1"

        @Flag(name: .long, help: "Generate uncached prompts on each rebuild (spends money; needs OPENAI_API_KEY).")
        var generate = false

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        }

        func run() async throws {
            let options = try ProjectOptions.parse([directory])
            let project = try options.openProject()
            if let refusal = OutputFolder.refusal(for: project.siteFolder, in: project, isDefault: true) {
                printError("error: \(refusal); nothing was built")
                throw ExitCode.invalidConfiguration
            }
            var settings = DevServer.Options()
            settings.host = host
            settings.port = port
            settings.generate = generate
            let report: @Sendable (String) -> Void = { printError($0) }
            guard generate else {
                try await serve(project, settings, source: nil, report: report)
                return
            }
            guard let api = APISettings.resolve(projectRoot: project.root) else {
                printError(Console.missingKeyWarning(projectFolder: directory))
                throw ExitCode.invalidConfiguration
            }
            if let warning = Console.ignoredDotEnvWarning(api) { printError(warning) }
            try await ImagesClient.withHTTPClient(for: api) { http in
                try await serve(
                    project,
                    settings,
                    source: ImagesClient(settings: api, httpClient: http, spool: project.cache.spoolFolder),
                    report: report
                )
            }
        }

        private func serve(
            _ project: Project,
            _ settings: DevServer.Options,
            source: (any ImageSource)?,
            report: @escaping @Sendable (String) -> Void
        ) async throws {
            do {
                try await DevServer(root: project.root, options: settings, source: source, report: report).run()
            } catch let error as BuildLockError {
                printError("error: \(error)")
                throw ExitCode.invalidConfiguration
            }
        }
    }
}
