import ArgumentParser
import EaselKit
import Foundation

extension Easel {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new Easel project (easel.yml, an example prompt, .gitignore, a publish workflow).",
            discussion: """
                Writes nothing when any of these files already exists. The folder is created when missing.
                """
        )

        @Argument(help: "The folder to create the project in (created when missing).", completion: .directory)
        var directory: String = "."

        func run() async throws {
            let created: [String]
            do {
                created = try Scaffolder(root: URL(fileURLWithPath: directory)).create()
            } catch let error as ScaffoldError where !error.existing.isEmpty {
                printError(
                    "error: \(directory == "." ? "this folder" : directory) already has files that easel init writes:"
                )
                for path in error.existing { printError("  \(displayed(path))") }
                printError(error.advice)
                throw ExitCode.invalidConfiguration
            } catch {
                printError("error: \(error)")
                throw ExitCode.invalidConfiguration
            }
            for path in created { printOutput("created \(displayed(path))") }
            printOutput(nextSteps)
        }

        /// `path` as seen from the current folder.
        private func displayed(_ path: String) -> String {
            directory == "." ? path : (directory.hasSuffix("/") ? directory : directory + "/") + path
        }

        private var nextSteps: String {
            let cd = directory == "." ? "" : "  cd \(directory)\n"
            return """

                Next steps:
                \(cd)  easel check               # validate easel.yml and the prompts (no network)
                  cp .env.example .env      # then set OPENAI_API_KEY in .env (never commit .env)
                  easel build               # generate the missing images (asks before spending), write site/
                  easel serve               # preview the site at 127.0.0.1, rebuilt on every change

                Commit everything .gitignore leaves, cache/ included: the images in it were paid for.
                .github/workflows/publish.yml publishes site/ on GitHub Pages from the committed cache,
                without the API key: set EASEL_REPOSITORY in it first.
                """
        }
    }
}
