import Foundation

/// The lines `easel` prints, made here so they can be tested without running the binary.
public enum Console {
    /// A diagnostic with its path shown relative to where the user is: `prefix` is the project
    /// folder as they typed it ("" when it is the current folder).
    public static func line(for diagnostic: Diagnostic, prefix: String) -> String {
        guard !prefix.isEmpty, prefix != "." else { return diagnostic.description }
        var shown = diagnostic
        shown.location.path = (prefix.hasSuffix("/") ? prefix : prefix + "/") + diagnostic.location.path
        return shown.description
    }

    /// Every diagnostic once, in order: a problem in easel.yml `defaults:` is reported by every
    /// prompt it breaks, but printed once.
    public static func lines(for diagnostics: [Diagnostic], prefix: String) -> [String] {
        var seen: Set<Diagnostic> = []
        return diagnostics.filter { seen.insert($0).inserted }.map { line(for: $0, prefix: prefix) }
    }

    /// "generated  prompts/x.md  (6.2 s, $0.19)", one per finished prompt.
    public static func line(for outcome: PromptOutcome) -> String {
        let record = outcome.entry?.record
        switch outcome.status {
        case .generated:
            var facts = [record.map { Display.duration(milliseconds: $0.latencyMS) } ?? ""]
            if let cost = record?.costUSD { facts.append(Display.dollars(cost)) }
            return "generated    \(outcome.prompt.path) (\(facts.joined(separator: ", ")))"
        case .failed:
            return "failed       \(outcome.prompt.path): \(outcome.failure ?? "invalid prompt")"
        default:
            return
                "\(outcome.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(outcome.prompt.path)"
        }
    }

    /// The plan, printed before anything is generated: "plan: 12 prompts: 9 cached, 2 to generate in 2 requests, 1 invalid".
    public static func line(for plan: BuildPlan, offline: Bool) -> String {
        var counts: [PromptStatus: Int] = [:]
        for (outcome, selected) in zip(plan.outcomes, plan.selected) where selected {
            counts[outcome.status, default: 0] += 1
        }
        let total = plan.selected.filter { $0 }.count
        var parts = ["\(counts[.cached, default: 0]) cached"]
        let missing = counts[.placeholder, default: 0]
        if offline {
            parts.append("\(missing) to draw as placeholders")
        } else {
            let requests = plan.requestsToSend
            parts.append("\(missing) to generate in \(requests) request\(requests == 1 ? "" : "s")")
        }
        if let failed = counts[.failed] { parts.append("\(failed) invalid") }
        if let drafts = counts[.draft] { parts.append("\(drafts) draft\(drafts == 1 ? "" : "s")") }
        let skipped = plan.selected.filter { !$0 }.count
        if skipped > 0 { parts.append("\(skipped) not selected by --only") }
        return "plan: \(total) prompt\(total == 1 ? "" : "s"): " + parts.joined(separator: ", ")
    }

    /// Why images are placeholders, and how to get real ones.
    public static func missingKeyWarning(projectFolder: String) -> String {
        let env =
            projectFolder == "."
            ? ".env" : (projectFolder.hasSuffix("/") ? projectFolder : projectFolder + "/") + ".env"
        return "warning: OPENAI_API_KEY is not set, so missing images are drawn as placeholders (never cached);"
            + " set it in the environment or in \(env) (OPENAI_API_KEY=…, and OPENAI_BASE_URL for a compatible"
            + " server, or AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY), then run easel build again"
    }

    /// The closing summary of a build.
    public static func summary(of report: BuildReport) -> String {
        var parts = [
            "\(report.generated) generated", "\(report.cached) cached", "\(report.failed) failed",
            "\(report.placeholders) placeholder\(report.placeholders == 1 ? "" : "s")",
        ]
        if report.skipped > 0 { parts.append("\(report.skipped) skipped (--only)") }
        if report.drafts > 0 { parts.append("\(report.drafts) draft\(report.drafts == 1 ? "" : "s")") }
        let times = String(format: "API time %.1f s, wall time %.1f s", report.apiSeconds, report.wallSeconds)
        var text = parts.joined(separator: ", ") + "; \(times); cost \(Display.dollars(report.costUSD))"
        if report.dryRun {
            text =
                "dry run: \(report.cached) cached, \(report.placeholders) to generate, \(report.failed) invalid; nothing written"
        } else if let site = report.site {
            text += "\nsite written to \(site)/index.html"
        }
        return text
    }

    /// The closing line of a check.
    public static func summary(of report: CheckReport) -> String {
        let files = report.prompts.count
        var text = "\(files) prompt\(files == 1 ? "" : "s") checked: "
        text +=
            "\(report.errors) error\(report.errors == 1 ? "" : "s"), \(report.warnings) warning\(report.warnings == 1 ? "" : "s")"
        if report.drafts > 0 { text += ", \(report.drafts) draft\(report.drafts == 1 ? "" : "s")" }
        return text
    }
}
