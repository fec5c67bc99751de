internal import Mustache
internal import NIOConcurrencyHelpers

/// A build's plan: every prompt read and sorted into cached, to generate, failed, skipped or draft.
public struct BuildPlan: Sendable {
    /// One per prompt file, in path order; `placeholder` marks what is still to generate.
    public var outcomes: [PromptOutcome]
    /// Whether `--only` selected each prompt.
    public var selected: [Bool]
    /// The counts and the estimated cost, as `build` prints them before any request.
    public var summary: PlanSummary
    let theme: Theme
    let library: MustacheLibrary
    var failures: FailureLog
    /// The cache as it was when the plan was made: what each prompt finds, and earlier versions.
    let cacheIndex: CacheIndex
    /// The prompts as read, and the parse record they were read with: saved by a build that
    /// writes, never by a plan or a dry run.
    var parsed: [ParseRecord.Read] = []
    /// Taken (and let go) by the build that saves the new record: held to the end of the build,
    /// the 12 MB of a 10,000-prompt record were part of its peak memory.
    var parseRecord: Handover<ParseRecord>? = nil
    /// The fingerprint of the folders the plan read, taken before it read them (``SettledBuild``);
    /// nil for a dry run.
    var folders: String? = nil

    /// The selected prompts' errors and warnings, in file order, with an error for each valid
    /// prompt whose cache entry is damaged (it says what to do).
    public var diagnostics: [Diagnostic] {
        zip(outcomes, selected).filter(\.1).flatMap { outcome, _ in
            let own = outcome.isFirstOfPrompt ? outcome.prompt.diagnostics : []
            // A comparison's invalid cell has its error among the prompt's diagnostics already.
            guard outcome.status == .failed, outcome.prompt.isValid,
                outcome.prompt.request != nil || outcome.cell == nil,
                let failure = outcome.failure
            else { return own }
            return own + [.error(failure, at: SourceLocation(path: outcome.prompt.path))]
        }
    }

    /// How many distinct requests the build would send.
    public var requestsToSend: Int { summary.requests }
}

/// What a build is about to do (`--dry-run --json` prints it).
public struct PlanSummary: Sendable, Codable, Hashable {
    /// Selected prompt files, drafts included. The counts below count a `compare:` prompt's cells
    /// one by one, each a request.
    public var prompts = 0
    /// The `compare:` prompts among them, and their cells.
    public var comparisons = 0
    public var compareCells = 0
    public var cached = 0
    /// Prompts whose images are missing, and the distinct requests and images that makes.
    public var toGenerate = 0
    public var requests = 0
    public var images = 0
    /// Prompts to generate whose last attempt failed.
    public var failedLastTime = 0
    /// Prompts whose request waits in a batch an earlier `--batch` sent: not to generate.
    public var queued = 0
    public var invalid = 0
    /// Valid prompts whose cache entry is damaged (`easel prune --damaged`).
    public var damaged = 0
    public var drafts = 0
    /// Prompts `--only` left out.
    public var skipped = 0
    /// The estimated cost of the requests whose price is known, in US dollars.
    public var estimatedCostUSD = 0.0
    /// Requests with no estimate (an unknown model, price or quality).
    public var unknownCost = 0
    /// The same requests at the Batch API's prices, where the model has them (``ModelSpec/batchPrices``),
    /// and how many have no batch estimate.
    public var batchEstimatedCostUSD = 0.0
    public var batchUnknownCost = 0

    enum CodingKeys: String, CodingKey {
        case prompts, comparisons
        case compareCells = "compare_cells"
        case cached
        case toGenerate = "to_generate"
        case requests, images
        case failedLastTime = "failed_last_time"
        case queued
        case invalid, damaged, drafts, skipped
        case estimatedCostUSD = "estimated_cost_usd"
        case unknownCost = "unknown_cost"
        case batchEstimatedCostUSD = "batch_estimated_cost_usd"
        case batchUnknownCost = "batch_unknown_cost"
    }

    init(outcomes: [PromptOutcome], selected: [Bool], catalog: ModelCatalog) {
        var requested: [CacheKey: ImageRequest] = [:]
        for (outcome, selected) in zip(outcomes, selected) {
            guard selected else {
                skipped += 1
                continue
            }
            if outcome.isFirstOfPrompt { prompts += 1 }
            if outcome.cell != nil {
                compareCells += 1
                if outcome.isFirstOfPrompt { comparisons += 1 }
            }
            switch outcome.status {
            case .cached: cached += 1
            case .failed where outcome.prompt.request != nil: damaged += 1
            case .failed: invalid += 1
            case .draft: drafts += 1
            case .placeholder where outcome.queued != nil:
                queued += 1
            case .placeholder:
                toGenerate += 1
                if outcome.previousFailure != nil { failedLastTime += 1 }
                if let key = outcome.key, let request = outcome.prompt.request { requested[key] = request }
            case .generated, .skipped: break
            }
        }
        requests = requested.count
        for request in requested.values {
            images += request.n
            if let estimate = catalog[request.model]?.estimate(request) {
                estimatedCostUSD += estimate
            } else {
                unknownCost += 1
            }
            if let estimate = catalog[request.model]?.batchEstimate(request) {
                batchEstimatedCostUSD += estimate
            } else {
                batchUnknownCost += 1
            }
        }
    }
}

/// A value handed over once: the first ``take()`` has it, and the holder keeps nothing.
final class Handover<Value: Sendable>: Sendable {
    private let box: NIOLockedValueBox<Value?>

    init(_ value: Value) { box = NIOLockedValueBox(value) }

    func take() -> Value? {
        box.withLockedValue { value in
            defer { value = nil }
            return value
        }
    }
}
