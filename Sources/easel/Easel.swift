import ArgumentParser
import EaselKit
import Foundation

@main
struct Easel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "easel",
        abstract: "Turn a folder of Markdown prompt files into a static gallery of AI-generated images.",
        discussion: """
            Only prompts never generated before go to the image API; everything else comes from cache/, \
            which you commit like source. Exit status: 0 all prompts built, 1 a prompt failed or is invalid, \
            2 bad invocation or configuration.
            """,
        version: EaselVersion.current,
        subcommands: [Init.self, Build.self, Check.self, Serve.self, Prune.self]
    )

    /// Runs the command, mapping ArgumentParser's usage errors to exit status 2 (SPEC §5).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? ExitCode.invalidConfiguration.rawValue : code.rawValue)
        }
    }
}

extension ExitCode {
    /// Bad invocation or configuration: nothing was built.
    static let invalidConfiguration = ExitCode(2)
}
