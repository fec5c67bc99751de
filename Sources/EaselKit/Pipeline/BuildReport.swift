import Foundation

/// What a build did: one line per prompt and the totals (`easel build --json` prints it).
public struct BuildReport: Sendable, Codable {
    /// One prompt's line.
    public struct Item: Sendable, Codable {
        public var file: String
        /// The values of a `compare:` prompt's cell ("gpt-image-2, high"); each cell has a line.
        public var cell: String?
        public var title: String
        public var status: PromptStatus
        /// False when `--only` left the prompt out; it then counts in no total but `skipped`.
        public var selected: Bool
        public var model: String
        public var key: String?
        /// The prompt's errors and warnings.
        public var diagnostics: [Diagnostic]
        public var failure: String?
        public var costUSD: Double?
        public var latencyMS: Int?

        enum CodingKeys: String, CodingKey {
            case file, cell, title, status, selected, model, key, diagnostics, failure
            case costUSD = "cost_usd"
            case latencyMS = "latency_ms"
        }
    }

    public var prompts: [Item]
    public var generated = 0
    public var cached = 0
    public var failed = 0
    public var placeholders = 0
    public var skipped = 0
    public var drafts = 0
    /// Request time added up over all generations, in seconds.
    public var apiSeconds = 0.0
    public var wallSeconds = 0.0
    /// Wall time of the generation phase alone (first request to last answer), in seconds.
    public var generationSeconds = 0.0
    /// What this build's generations cost, in US dollars.
    public var costUSD = 0.0
    /// Why generation stopped before every request was sent (a bad key, no credit), if it did.
    public var stopped: String?
    /// True when the build was interrupted (exit status 130).
    public var interrupted = false
    /// How many answers were 429 (rate limited); each lowered the concurrency for a while.
    public var rateLimited = 0
    /// What the build set out to do.
    public var plan: PlanSummary?
    /// The site folder, or nil for a dry run.
    public var site: String?
    /// True when the site was already what this build would write (made from the same inputs and
    /// untouched since), so nothing was rendered.
    public var siteUnchanged = false
    /// The pages (and data files) rendered, and how many the site has: a change renders only the
    /// pages made from what it changed.
    public var pagesRendered = 0
    public var pages = 0
    /// The batches this build sent to the Batch API (`--batch`), and their estimate at batch prices.
    public var batches: [SentBatch] = []
    public var batchEstimatedCostUSD: Double?
    /// Requests `--batch` could not send: the Batch API takes no legacy model.
    public var batchRefused = 0

    /// A batch sent: its id, endpoint and how many requests it holds.
    public struct SentBatch: Sendable, Codable, Hashable {
        public var id: String
        public var endpoint: String
        public var requests: Int
    }

    /// The current originals by their C2PA Content Credentials; nil when none was published.
    public var credentials: CredentialsTally?
    /// Warnings found while rendering (also among their prompts' diagnostics), to print after the build.
    public var siteWarnings: [Diagnostic] = []
    public var dryRun: Bool

    /// ``promptsJSON()`` kept by a settled build (``SettledBuild``), which then prints the report
    /// without encoding 10,000 prompts again; not part of the report's JSON.
    var encodedPrompts: Data?

    /// The selected prompts' errors and warnings, in file order.
    public var diagnostics: [Diagnostic] { prompts.flatMap(\.diagnostics) }

    /// The selected prompts' errors, then every failure as "file: why": what `easel serve` shows.
    public var problems: [String] {
        prompts.flatMap { $0.diagnostics.filter(\.isError).map(\.description) }
            + prompts.compactMap { item in
                item.failure.map { "\(item.file)\(item.cell.map { " [\($0)]" } ?? ""): \($0)" }
            }
    }

    /// ``problems`` of the report `outcomes` will make, the prompts found `broken` (by path, with
    /// why) while rendering failed: known before the build ends.
    static func problems(of outcomes: [PromptOutcome], broken: [String: String]) -> [String] {
        // By index: each outcome copied was a retain of every field, 10,000 times (serve asks after
        // every patch).
        var errors: [String] = []
        var failures: [String] = []
        for index in outcomes.indices {
            if outcomes[index].isFirstOfPrompt {
                for diagnostic in outcomes[index].prompt.diagnostics where diagnostic.isError {
                    errors.append(diagnostic.description)
                }
            }
            if let failure = (broken.isEmpty ? nil : broken[outcomes[index].name]) ?? outcomes[index].failure {
                failures.append("\(outcomes[index].name): \(failure)")
            }
        }
        return errors + failures
    }

    /// 0 when every selected prompt built, 1 when one failed or is invalid (SPEC §5), 130 when interrupted.
    public var exitStatus: Int32 { interrupted ? 130 : failed > 0 ? 1 : 0 }

    init(outcomes: [PromptOutcome], selected: [Bool], site: String?, dryRun: Bool, wallTime: Duration) {
        self.site = site
        self.dryRun = dryRun
        wallSeconds = wallTime.seconds
        prompts = zip(outcomes, selected).map { outcome, selected in
            Item(
                file: outcome.prompt.path,
                cell: outcome.cell.flatMap { cell in outcome.prompt.compare?.label(of: cell) },
                title: outcome.prompt.title,
                status: selected ? outcome.status : (outcome.status == .draft ? .draft : .skipped),
                selected: selected,
                model: outcome.prompt.model,
                key: outcome.key?.hex,
                diagnostics: selected && outcome.isFirstOfPrompt ? outcome.prompt.diagnostics : [],
                failure: outcome.failure,
                costUSD: outcome.status == .generated ? outcome.entry?.record.costUSD : nil,
                latencyMS: outcome.entry?.record.latencyMS
            )
        }
        countPrompts()
    }

    /// Sets the counts and the cost from `prompts`.
    mutating func countPrompts() {
        (generated, cached, failed, placeholders, skipped, drafts, costUSD) = (0, 0, 0, 0, 0, 0, 0)
        for item in prompts {
            switch item.status {
            case .generated:
                generated += 1
                costUSD += item.costUSD ?? 0
            case .cached: cached += 1
            case .failed: failed += 1
            case .placeholder: placeholders += 1
            case .skipped: skipped += 1
            case .draft: drafts += 1
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case prompts, generated, cached, failed, placeholders, skipped, drafts
        case apiSeconds = "api_seconds"
        case wallSeconds = "wall_seconds"
        case generationSeconds = "generation_seconds"
        case costUSD = "cost_usd"
        case stopped, interrupted
        case rateLimited = "rate_limited"
        case plan, site
        case siteUnchanged = "site_unchanged"
        case pagesRendered = "pages_rendered"
        case pages
        case credentials
        case batches
        case batchEstimatedCostUSD = "batch_estimated_cost_usd"
        case batchRefused = "batch_refused"
        case dryRun = "dry_run"
    }
}
