import Foundation

/// The lines `easel` prints, made here so they can be tested without running the binary.
public enum Console {
    /// `text` without what a terminal would act on rather than show: C0 and C1 control characters
    /// (escape sequences that retitle the window or write the clipboard) and bidirectional
    /// overrides. File names, prompts and server messages are printed through it; line breaks and
    /// tabs stay.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHidden) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isHidden(scalar) {
                shown.append("\u{FFFD}")
            } else {
                shown.append(scalar)
            }
        }
        return String(shown)
    }

    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

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
            return "generated    \(outcome.name) (\(facts.joined(separator: ", ")))"
        case .failed:
            return "failed       \(outcome.name): \(outcome.failure ?? "invalid prompt")"
        default:
            return
                "\(outcome.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(outcome.name)"
        }
    }

    /// The plan, printed before anything is generated:
    /// "plan: 12 prompts: 9 cached, 2 to generate (2 requests, 3 images, about $0.41), 1 invalid".
    public static func line(for plan: BuildPlan, offline: Bool) -> String {
        line(for: plan.summary, offline: offline)
    }

    /// The plan's line, from its counts.
    public static func line(for summary: PlanSummary, offline: Bool) -> String {
        var parts = ["\(summary.cached) cached"]
        if offline {
            parts.append("\(summary.toGenerate) to draw as placeholders")
        } else {
            var detail = [
                "\(summary.requests) request\(summary.requests == 1 ? "" : "s")",
                "\(summary.images) image\(summary.images == 1 ? "" : "s")",
            ]
            if summary.requests > 0 { detail.append(estimate(summary)) }
            if summary.failedLastTime > 0 { detail.append("\(summary.failedLastTime) failed last time") }
            parts.append("\(summary.toGenerate) to generate (\(detail.joined(separator: ", ")))")
        }
        if summary.queued > 0 { parts.append("\(summary.queued) queued in batches") }
        if summary.invalid > 0 { parts.append("\(summary.invalid) invalid") }
        if summary.damaged > 0 { parts.append("\(summary.damaged) with a damaged cache entry") }
        if summary.drafts > 0 { parts.append("\(summary.drafts) draft\(summary.drafts == 1 ? "" : "s")") }
        if summary.skipped > 0 { parts.append("\(summary.skipped) not selected by --only") }
        var prompts = "\(summary.prompts) prompt\(summary.prompts == 1 ? "" : "s")"
        if summary.comparisons > 0 {
            prompts +=
                " (\(summary.comparisons) comparison\(summary.comparisons == 1 ? "" : "s") of"
                + " \(summary.compareCells) cells in all, each counted below)"
        }
        return "plan: \(prompts): " + parts.joined(separator: ", ")
    }

    /// "about $2.09", "about $1.20 + 2 requests of unknown cost", "cost unknown".
    public static func estimate(_ summary: PlanSummary) -> String {
        let known = summary.requests - summary.unknownCost
        guard known > 0 else { return "cost unknown" }
        var text = "about \(Display.dollars(summary.estimatedCostUSD))"
        if summary.unknownCost > 0 {
            text += " + \(summary.unknownCost) request\(summary.unknownCost == 1 ? "" : "s") of unknown cost"
        }
        return text
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

    /// The warning for `.env` settings that were not used (``APISettings/ignoredDotEnvSettings``), or nil.
    public static func ignoredDotEnvWarning(_ settings: APISettings) -> String? {
        guard !settings.ignoredDotEnvSettings.isEmpty else { return nil }
        let names = settings.ignoredDotEnvSettings.joined(separator: " and ")
        return "warning: .env sets \(names), but the API key comes from the environment, so it is sent to"
            + " \(settings.host) as before: a .env may choose the server only for a key it holds itself"
            + " (set the key in .env too, or \(names) in the environment)"
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
            if !report.batches.isEmpty {
                let batches = report.batches.map { "\($0.id) (\($0.requests) to \($0.endpoint))" }
                text += "\nsent to the Batch API: " + batches.joined(separator: ", ")
                if let cost = report.batchEstimatedCostUSD {
                    text += "; about \(Display.dollars(cost)) at batch prices"
                }
                text += "; results within 24 hours: easel batch status, or easel build to collect them"
            }
            if report.batchRefused > 0 {
                text +=
                    "\n\(report.batchRefused) request(s) of a legacy model cannot go through the Batch API:"
                    + " build without --batch to make them"
            }
            if let credentials = report.credentials { text += "\n" + line(for: credentials) }
            text += "\nsite written to \(site)/index.html"
        }
        return text
    }

    /// What collecting the ended batches did: "batches: 9 images collected, 1 failed, 2 given back
    /// to the plan, 1 batch still running"; nil when there was no batch.
    public static func line(for collection: BatchCollection) -> String? {
        guard !collection.isEmpty else { return nil }
        var parts = ["\(collection.cached) collected into the cache"]
        if collection.failed > 0 { parts.append("\(collection.failed) failed") }
        if collection.returned > 0 { parts.append("\(collection.returned) given back to the plan") }
        if !collection.open.isEmpty {
            parts.append("\(collection.open.count) batch\(collection.open.count == 1 ? "" : "es") still running")
        }
        return "batches: " + parts.joined(separator: ", ")
    }

    /// "Content Credentials: 12 originals signed (1 altered), 3 without, 1 unreadable".
    static func line(for tally: CredentialsTally) -> String {
        var signed = "\(tally.with) original\(tally.with == 1 ? "" : "s") signed"
        if tally.with > 0 { signed += tally.altered > 0 ? " (\(tally.altered) altered since)" : " (all intact)" }
        var parts = [signed, "\(tally.without) without"]
        if tally.unreadable > 0 { parts.append("\(tally.unreadable) unreadable") }
        return "Content Credentials: " + parts.joined(separator: ", ")
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
