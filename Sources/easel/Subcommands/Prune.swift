import ArgumentParser
import EaselKit
import Foundation

extension Easel {
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove cache entries no prompt uses (they were paid for: it asks first)."
        )

        @Argument(help: "The project folder (holding prompts/).", completion: .directory)
        var directory: String = "."

        @Flag(name: .long, help: "Only list the entries that would be removed.")
        var dryRun = false

        @Flag(name: .long, help: "Remove them without asking.")
        var yes = false

        @Flag(name: .long, help: "Print the list as JSON on standard output.")
        var json = false

        func run() async throws {
            let options = try ProjectOptions.parse([directory])
            let project = try options.openProject()
            let lock: BuildLock
            do {
                lock = try BuildLock(project: project)
            } catch {
                printError("error: \(error)")
                throw ExitCode.invalidConfiguration
            }
            defer { withExtendedLifetime(lock) {} }
            let pruner = Pruner(project: project)
            let unused: [Pruner.Unused]
            do {
                unused = try pruner.unused()
            } catch {
                printError("error: \(error)")
                throw ExitCode.invalidConfiguration
            }
            let bytes = unused.reduce(0) { $0 + $1.bytes }
            if json { try printJSON(unused) }
            for item in unused where !json {
                print(
                    "\(item.key.prefix(16))  \(item.images) image\(item.images == 1 ? " " : "s")  \(Self.size(item.bytes))  first made for \(item.promptFile)"
                )
            }
            let summary = "\(unused.count) unused entr\(unused.count == 1 ? "y" : "ies"), \(Self.size(bytes))"
            guard !unused.isEmpty else {
                printError("nothing to prune: every cache entry is used by a prompt")
                return
            }
            guard !dryRun else {
                printError("\(summary); nothing removed (--dry-run)")
                return
            }
            if !yes {
                guard Terminal.isInteractive else {
                    printError("\(summary); run easel prune --yes to remove them")
                    return
                }
                guard Terminal.ask("Remove \(summary)? They cannot be regenerated for free. [y/N] ") else {
                    printError("nothing removed")
                    return
                }
            }
            try pruner.remove(unused)
            printError("removed \(summary)")
        }

        private static func size(_ bytes: Int) -> String {
            bytes >= 1 << 20
                ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : String(format: "%.0f KB", Double(bytes) / 1024)
        }
    }
}
