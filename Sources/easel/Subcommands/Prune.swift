import ArgumentParser
import EaselKit
import Foundation

extension Easel {
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove cache entries no prompt uses (they were paid for: it asks first).",
            discussion: """
                With --damaged, remove instead the entries that cannot be used: a record or image that \
                is damaged, missing or a Git LFS pointer (run git lfs pull first for those). The next \
                build generates the prompts that used them again.
                """
        )

        @Argument(help: "The project folder (holding prompts/).", completion: .directory)
        var directory: String = "."

        @Flag(name: .long, help: "Only list the entries that would be removed.")
        var dryRun = false

        @Flag(name: .long, help: "Remove damaged entries (unreadable records, missing or cut images, LFS pointers).")
        var damaged = false

        @Flag(name: .long, help: "Remove them without asking.")
        var yes = false

        @Flag(name: .long, help: "Print the list as JSON on standard output.")
        var json = false

        func run() async throws {
            let options = try ProjectOptions.parse([directory])
            let project = try options.openProject()
            let lock = try lockProject(project)
            defer { withExtendedLifetime(lock) {} }
            let pruner = Pruner(project: project)
            if damaged {
                try pruneDamaged(pruner)
                return
            }
            let unused: [Pruner.Unused]
            let broken: Int
            do {
                let review = try pruner.review()
                (unused, broken) = (review.unused, review.damaged.count)
            } catch {
                printError("error: \(error)")
                throw ExitCode.invalidConfiguration
            }
            if broken > 0 {
                printError(
                    "note: \(broken) damaged entr\(broken == 1 ? "y is" : "ies are") not listed here;"
                        + " see them with easel prune --damaged --dry-run"
                )
            }
            let bytes = unused.reduce(0) { $0 + $1.bytes }
            if json { try printJSON(unused) }
            for item in unused where !json {
                printOutput(
                    "\(item.key.prefix(16))  \(item.images) image\(item.images == 1 ? " " : "s")  \(Self.size(item.bytes))  first made for \(item.promptFile)"
                )
            }
            let summary = "\(unused.count) unused entr\(unused.count == 1 ? "y" : "ies"), \(Self.size(bytes))"
            guard !unused.isEmpty else {
                printError("nothing to prune: every cache entry is used by a prompt")
                return
            }
            guard confirm(summary, question: "They cannot be regenerated for free.") else { return }
            try pruner.remove(unused)
            printError("removed \(summary)")
        }

        private func pruneDamaged(_ pruner: Pruner) throws {
            let damaged = pruner.damaged()
            if json { try printJSON(damaged) }
            for item in damaged where !json { printOutput(item.problem) }
            guard !damaged.isEmpty else {
                printError("nothing to prune: no cache entry is damaged")
                return
            }
            let summary = "\(damaged.count) damaged entr\(damaged.count == 1 ? "y" : "ies")"
            guard confirm(summary, question: "Their prompts will be generated again.") else { return }
            try pruner.remove(damaged)
            printError("removed \(summary)")
        }

        /// Whether to go ahead: never with --dry-run, always with --yes, else by asking on a terminal.
        private func confirm(_ summary: String, question: String) -> Bool {
            guard !dryRun else {
                printError("\(summary); nothing removed (--dry-run)")
                return false
            }
            guard !yes else { return true }
            guard Terminal.isInteractive else {
                printError("\(summary); run easel prune\(damaged ? " --damaged" : "") --yes to remove them")
                return false
            }
            guard Terminal.ask("Remove \(summary)? \(question) [y/N] ") else {
                printError("nothing removed")
                return false
            }
            return true
        }

        private static func size(_ bytes: Int) -> String {
            bytes >= 1 << 20
                ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : String(format: "%.0f KB", Double(bytes) / 1024)
        }
    }
}
