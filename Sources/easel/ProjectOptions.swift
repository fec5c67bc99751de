import ArgumentParser
import EaselKit
import Foundation

/// The arguments `build` and `check` share: the project folder, `--only` and `--json`.
struct ProjectOptions: ParsableArguments {
    @Argument(help: "The project folder (holding prompts/).", completion: .directory)
    var directory: String = "."

    @Option(name: .long, help: ArgumentHelp("Only prompts matching this glob (repeatable).", valueName: "glob"))
    var only: [String] = []

    @Flag(name: .long, help: "Print a machine-readable summary on standard output.")
    var json = false

    /// Opens the project and prints easel.yml's diagnostics.
    /// - Throws: exit status 2 when the project or its configuration is unusable.
    func openProject() throws -> Project {
        let project: Project
        let diagnostics: [Diagnostic]
        do {
            (project, diagnostics) = try Project.open(at: URL(fileURLWithPath: directory))
        } catch {
            printError("error: \(error)")
            throw ExitCode.invalidConfiguration
        }
        printDiagnostics(diagnostics)
        if diagnostics.contains(where: \.isError) {
            printError("error: fix \(SiteConfig.fileName) first; nothing was built")
            throw ExitCode.invalidConfiguration
        }
        return project
    }

    func printDiagnostics(_ diagnostics: [Diagnostic]) {
        for line in Console.lines(for: diagnostics, prefix: directory) { printError(line) }
    }
}

/// Writes a line to standard error, without control characters (``Console/printable(_:)``).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((Console.printable(line) + "\n").utf8))
}

/// Writes a line to standard output, without control characters (``Console/printable(_:)``).
func printOutput(_ line: String) {
    print(Console.printable(line))
}

/// Prints `value` as pretty JSON on standard output.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// The project's build lock, held by the caller until it lets the lock go; exit status 2, with
/// why, when another Easel holds it.
func lockProject(_ project: Project) throws -> BuildLock {
    do {
        return try BuildLock(project: project)
    } catch {
        printError("error: \(error)")
        throw ExitCode.invalidConfiguration
    }
}
