import Foundation
public import Logging

/// Runs a build: check every prompt, plan, generate what the cache lacks, write the site.
public struct Builder: Sendable {
    public let project: Project
    /// Where missing images come from; nil builds with placeholders.
    public let source: (any ImageSource)?
    public let logger: Logger

    /// Creates a builder.
    /// - Parameters:
    ///   - source: the image API, or nil (no key, or offline): missing images become placeholders.
    ///   - logger: where progress is logged; silent by default.
    public init(
        project: Project,
        source: (any ImageSource)?,
        logger: Logger = Logger(label: "easel", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.project = project
        self.source = source
        self.logger = logger
    }

    /// Builds the site: ``plan(_:after:)`` then ``run(_:_:onEvent:)``.
    public func build(
        _ options: BuildOptions,
        onEvent: @escaping @Sendable (BuildEvent) -> Void = { _ in }
    ) async throws -> BuildReport {
        guard options.snapshot == nil else { return try await run(try plan(options), options, onEvent: onEvent) }
        if let client = options.batches, !options.offline, !options.dryRun {
            _ = try await collectBatches(with: client)
        }
        let check = checkSettled(options, sourceAvailable: source != nil && !options.offline)
        if let report = check.report { return report }
        return try await run(try plan(options, after: check), options, onEvent: onEvent)
    }

    /// What looking for a settled build found: its report, or the fingerprint of the folders it
    /// took on the way, which the plan then need not take again.
    public struct SettledCheck: Sendable {
        /// The report of the last build, when it had nothing left to do and nothing it read has
        /// changed since (``SettledBuild``): what this build would do and report, found without
        /// reading a prompt.
        public let report: BuildReport?
        let folders: FolderLooks?
    }

    /// Looks for a settled build; never for a dry run or an `--only` build.
    /// - Parameter sourceAvailable: whether this build could generate (an API, not offline).
    public func checkSettled(_ options: BuildOptions, sourceAvailable: Bool) -> SettledCheck {
        let started = ContinuousClock.now
        Trace.mark("looking for a settled build")
        let output = options.output ?? project.siteFolder
        guard !options.dryRun, options.only.isEmpty,
            OutputFolder.refusal(for: output, in: project, isDefault: options.output == nil) == nil
        else { return SettledCheck(report: nil, folders: nil) }
        var (report, folders) = SettledBuild.report(for: project, output: output, sourceAvailable: sourceAvailable)
        report?.wallSeconds = started.duration(to: .now).seconds
        return SettledCheck(report: report, folders: folders)
    }

    /// Reads the theme and every prompt, and sorts the prompts into cached and to generate.
    /// - Throws: ``ThemeError`` for a broken template, ``FileError`` when prompts/ cannot be listed,
    ///   ``BatchLedger/Unreadable`` for a ledger of batches that cannot be read;
    ///   problems with single prompts are never thrown, they are in the plan.
    /// - Parameter check: what looking for a settled build just found, if it looked.
    public func plan(_ options: BuildOptions, after check: SettledCheck? = nil) throws -> BuildPlan {
        Trace.mark("plan")
        // Taken before anything is read: a file changed while the build reads it is seen next time.
        let folders = options.dryRun ? nil : check?.folders ?? SettledBuild.folders(of: project)
        Trace.mark("folders looked at")
        let theme = try Theme.load(overridesIn: project.root.appendingPathComponent("templates"))
        let library = try theme.library()
        let loader = PromptLoader(project: project)
        // A file unchanged since the last build is not read again (ParseRecord): its identity is
        // taken before it is read, so a change made while reading is seen next time.
        let record = ParseRecord.load(for: project)
        let looks = folders?.files()
        let read = try project.promptPaths().concurrentMap { path -> ParseRecord.Read in
            // As the folders were seen, when they were: a file the look did not find is looked at now.
            let identity =
                looks?.identity(of: path) ?? FileIdentity.of(project.root.appendingPathComponent(path).path)
            if let recorded = record.prompt(at: path, identity: identity, in: project) {
                return ParseRecord.Read(prompt: recorded, identity: identity, recorded: true)
            }
            return ParseRecord.Read(prompt: loader.load(path), identity: identity, recorded: false)
        }
        let prompts = read.map(\.prompt)
        Trace.mark("loaded \(prompts.count) prompts")
        if options.giveWay?() == true { throw BuildGaveWay() }
        let failures = FailureLog.load(project)
        let cacheMemo = CacheMemo.load(for: project)
        Trace.mark("cache memo loaded")
        let cacheIndex = CacheIndex(store: project.cache, memo: cacheMemo, looks: looks)
        Trace.mark("cache index made")
        var outcomes = classify(prompts, only: options.only, cache: cacheIndex)
        for index in outcomes.indices where outcomes[index].status == .placeholder {
            outcomes[index].previousFailure = outcomes[index].key.flatMap { failures.entries[$0.hex] }
        }
        // What an earlier `--batch` sent waits in its batch: shown as queued, sent by no build.
        try BatchLedger.load(from: BatchLedger.location(in: project)).markQueued(&outcomes)
        let selected = outcomes.map { isSelected($0.prompt, options.only) }
        Trace.mark("classified")
        return BuildPlan(
            outcomes: outcomes,
            selected: selected,
            summary: PlanSummary(outcomes: outcomes, selected: selected, catalog: project.catalog),
            theme: theme,
            library: library,
            failures: failures,
            cacheIndex: cacheIndex,
            parsed: read,
            parseRecord: Handover(record),
            folders: folders?.digest
        )
    }

    /// Generates what `plan` lacks (or renders placeholders), then writes the site.
    /// - Parameter onEvent: told when a request starts and when a prompt is done.
    /// - Returns: what happened to every prompt.
    /// - Throws: ``FileError`` when the site cannot be written.
    public func run(
        _ plan: BuildPlan,
        _ options: BuildOptions,
        onEvent: @escaping @Sendable (BuildEvent) -> Void = { _ in }
    ) async throws -> BuildReport {
        let started = ContinuousClock.now
        var outcomes = plan.outcomes
        if options.dryRun {
            var report = BuildReport(
                outcomes: outcomes,
                selected: plan.selected,
                site: nil,
                dryRun: true,
                wallTime: .zero
            )
            report.plan = plan.summary
            return report
        }
        if options.giveWay?() == true { throw BuildGaveWay() }
        let output = options.output ?? project.siteFolder
        // Checked before anything is sent or written: the CLI checks too, with its own exit status.
        if let refusal = OutputFolder.refusal(for: output, in: project, isDefault: options.output == nil) {
            throw refusal
        }
        SettledBuild.forget(in: project)
        project.cache.removeStaleStaging()
        // Saved while the build goes on (one core for 50 ms at 10,000 prompts), and waited for
        // before it returns: a build killed before has the record of the build before it.
        // The record is the task's alone, and goes with it (20 MB at 10,000 prompts).
        let handover = plan.parseRecord
        async let parseRecordSaved: Void = {
            guard let record = handover?.take() else { return }
            ParseRecord.save(plan.parsed, replacing: record, in: project)
            Trace.mark("parse record saved")
        }()
        if plan.cacheIndex.memoIsStale {
            CacheMemo.save(plan.cacheIndex.memoEntries, context: CacheMemo.context(of: project), in: project)
            Trace.mark("cache memo saved")
        }
        var generation = GenerationSummary()
        var batchesSent: [BatchLedger.Submission] = []
        var batchRefusal: String?
        var batchRefused = 0
        if options.batch, let client = options.batches, !options.offline {
            (batchesSent, batchRefusal, batchRefused) = try await sendBatches(
                &outcomes,
                selected: plan.selected,
                with: client,
                options: options
            )
        } else if let source, !options.offline {
            generation = await generate(&outcomes, with: source, options: options, onEvent: onEvent)
            var failures = plan.failures
            failures.update(with: outcomes)
            try? failures.save(project)
        } else {
            for outcome in outcomes where outcome.status == .placeholder { onEvent(.finished(outcome)) }
        }
        let renderer = SiteRenderer(
            project: project,
            theme: plan.theme,
            library: plan.library,
            output: output,
            history: plan.cacheIndex
        )
        // Not copied when there is no draft: 10,000 outcomes are 17 MB.
        let shown = outcomes.contains { $0.status == .draft } ? outcomes.filter { $0.status != .draft } : outcomes
        let keep = options.snapshot.map { box in
            { @Sendable [outcomes, failures = plan.failures] (kept: SiteRenderer.Kept) in
                box.set(ServeSnapshot(renderer: renderer, outcomes: outcomes, failures: failures, kept: kept))
            }
        }
        let site = try await render(
            shown,
            with: renderer,
            keep: keep,
            giveWay: options.giveWay,
            pastGivingWay: { options.snapshot?.set(nil) },
            siteWritten: { [outcomes] broken in
                onEvent(.siteWritten(problems: BuildReport.problems(of: outcomes, broken: broken)))
            }
        )
        // The stamp is saved while the report is made and the settled build saved.
        async let stampSaved = site.saveStamp?() ?? true
        var siteWarnings: [Diagnostic] = []
        for index in outcomes.indices {
            let path = outcomes[index].prompt.path
            let warnings = (outcomes[index].isFirstOfPrompt ? site.credentialWarnings[path] ?? [] : []).map {
                Diagnostic.warning($0, at: SourceLocation(path: path))
            }
            siteWarnings += warnings
            outcomes[index].prompt.diagnostics += warnings
            guard let failure = site.broken[outcomes[index].name] else { continue }
            outcomes[index].status = .failed
            outcomes[index].failure = failure
            outcomes[index].entry = nil
        }
        var report = BuildReport(
            outcomes: outcomes,
            selected: plan.selected,
            site: output.path,
            dryRun: false,
            wallTime: started.duration(to: .now)
        )
        report.plan = plan.summary
        report.siteUnchanged = site.unchanged
        (report.pagesRendered, report.pages) = (site.rendered, site.pages)
        report.siteWarnings = siteWarnings
        report.credentials = site.credentials.isEmpty ? nil : site.credentials
        report.apiSeconds = generation.apiTime.seconds
        report.stopped = generation.stopped
        report.interrupted = generation.interrupted
        report.rateLimited = generation.rateLimited
        report.generationSeconds = generation.wallTime.seconds
        report.batches = batchesSent.map { submission in
            BuildReport.SentBatch(
                id: submission.batchID ?? "-",
                endpoint: submission.endpoint,
                requests: submission.requests.count
            )
        }
        if options.batch {
            report.batchEstimatedCostUSD = plan.summary.batchEstimatedCostUSD
            report.stopped = report.stopped ?? batchRefusal
            report.batchRefused = batchRefused
        }
        // A build that leaves nothing to do is remembered, with what it read, for the next.
        if let folders = plan.folders, let stamp = site.stamp, options.only.isEmpty, report.generated == 0,
            report.failed == 0, !report.interrupted, report.stopped == nil, report.siteWarnings.isEmpty,
            report.placeholders == 0 || source == nil || options.offline
        {
            let inputs = plan.parsed.flatMap { ParseRecord.inputs(of: $0.prompt) }
            // Encoded once for both: the settled build's file, and `--json` now.
            report.encodedPrompts = SettledBuild.save(
                report,
                folders: folders,
                inputs: inputs,
                stamp: stamp,
                output: output,
                in: project
            )
            Trace.mark("settled build saved")
        }
        // A settled build names the stamp it left: without the stamp, it is none.
        if await !stampSaved { SettledBuild.forget(in: project) }
        await parseRecordSaved
        return report
    }

    /// Renders the site, unless the stamp of the last render shows it was made from the same
    /// inputs and is still as that render left it.
    /// - Returns: true when the site was left as it was; the prompts found broken while rendering
    ///   (a cache image libvips cannot read), by path, with why; what the originals' Content
    ///   Credentials say, and the warnings about them by path.
    /// - Parameters:
    ///   - keep: given what a patch needs (``SiteRenderer/Kept``); with it, the site is rendered even
    ///     when the stamp says it is unchanged (only what changed is written, and nothing did).
    ///   - giveWay: asked where the render can still stop without writing a page (``BuildOptions/giveWay``).
    ///   - pastGivingWay: called once it no longer can, before the first page is written.
    ///   - siteWritten: called with the prompts found broken once the pages and data files are
    ///     written, before the bookkeeping (manifest, stamps); not called when nothing is rendered.
    private func render(
        _ outcomes: [PromptOutcome],
        with renderer: SiteRenderer,
        keep: (@Sendable (SiteRenderer.Kept) -> Void)?,
        giveWay: (@Sendable () -> Bool)?,
        pastGivingWay: () -> Void,
        siteWritten: @escaping @Sendable ([String: String]) -> Void
    ) async throws -> (
        unchanged: Bool, broken: [String: String], credentials: CredentialsTally,
        credentialWarnings: [String: [String]], rendered: Int, pages: Int, stamp: String?,
        saveStamp: (@Sendable () -> Bool)?
    ) {
        let location = SiteStamp.location(in: project)
        async let loaded = SiteStamp.load(from: location)
        let digest = renderer.inputDigest(outcomes)
        let output = renderer.output.standardizedFileURL.path
        let stamp = await loaded
        Trace.mark("inputs digested, stamp loaded")
        if keep == nil, let stamp, stamp.output == output, stamp.inputs == digest, stamp.siteIsIntact() {
            Trace.mark("site unchanged since the last build: not rendered")
            return (true, [:], stamp.credentials, [:], 0, stamp.files.filter { $0.inputs != "-" }.count, digest, nil)
        }
        let rendered = try await renderer.render(
            outcomes,
            previous: stamp,
            giveWay: giveWay,
            beforePages: {
                pastGivingWay()
                // Gone while pages are written: a render cut short leaves no stamp, and the next
                // renders everything. What is written before (images, thumbnails) is named by its
                // content, and changes no file the stamp lists.
                try? FileManager.default.removeItem(at: location)
            },
            siteWritten: siteWritten,
            keep: keep
        )
        // A render that found broken entries or credentials leaves no stamp: the next build looks
        // at them again, and reports them again, until they are mended or pruned.
        guard rendered.failures.isEmpty, rendered.credentialWarnings.isEmpty else {
            return (
                false, rendered.failures, rendered.credentials, rendered.credentialWarnings, rendered.rendered,
                rendered.inputs.count, nil, nil
            )
        }
        // The look at every file of the site and the writing are the caller's to run beside its own.
        let saveStamp: @Sendable () -> Bool = { [renderer] in
            guard var files = SiteStamp.files(rendered.files, in: renderer.output) else { return false }
            for index in files.indices { files[index].inputs = rendered.inputs[files[index].path] ?? "-" }
            let stamp = SiteStamp(
                output: output,
                inputs: digest,
                global: rendered.global,
                files: files,
                credentials: rendered.credentials
            )
            let saved = (try? stamp.save(to: location)) != nil
            Trace.mark("stamp saved")
            return saved
        }
        return (
            false, rendered.failures, rendered.credentials, rendered.credentialWarnings, rendered.rendered,
            rendered.inputs.count, digest, saveStamp
        )
    }

    /// Sorts each prompt into cached, to generate (marked placeholder until generated), failed, skipped or draft.
    /// A `compare:` prompt has an outcome per cell (``PromptOutcome/cell``), each classified as a
    /// prompt with that cell's request would be.
    func classify(_ prompts: [PromptFile], only: [String], cache: CacheIndex) -> [PromptOutcome] {
        guard prompts.contains(where: { $0.compare != nil }) else {
            return prompts.concurrentMap { classify($0, only: only, cache: cache) }
        }
        return prompts.concurrentMap { prompt -> [PromptOutcome] in
            guard let compare = prompt.compare, !prompt.isDraft else {
                return [classify(prompt, only: only, cache: cache)]
            }
            return compare.cells.indices.map { index in
                let cell = compare.cells[index]
                var shown = prompt
                shown.request = cell.request
                shown.model =
                    cell.request?.model ?? compare.value(of: PromptKey.model.rawValue, in: index) ?? prompt.model
                var outcome = classify(shown, only: only, cache: cache)
                outcome.cell = index
                if cell.request == nil, outcome.status == .failed { outcome.failure = outcome.failure ?? cell.problem }
                return outcome
            }
        }.flatMap { $0 }
    }

    private func classify(_ prompt: PromptFile, only: [String], cache: CacheIndex) -> PromptOutcome {
        var outcome = PromptOutcome(prompt: prompt, status: .failed)
        if prompt.isDraft {
            outcome.status = .draft
            return outcome
        }
        guard let request = prompt.request else { return outcome }
        // Run on every core: a cache key is a JSON encoding and a SHA-256 (10,000 took 0.2 s on one).
        let key = CacheKey(request)
        outcome.key = key
        do {
            outcome.entry = try cache.entry(for: key)
        } catch {
            outcome.failure = String(describing: error)
            return outcome
        }
        if outcome.entry != nil {
            outcome.status = .cached
        } else {
            outcome.status = isSelected(prompt, only) ? .placeholder : .skipped
        }
        return outcome
    }

    private func isSelected(_ prompt: PromptFile, _ only: [String]) -> Bool {
        only.isEmpty || only.contains { Glob.matches($0, path: prompt.path) }
    }
}

/// A build stopped where ``BuildOptions/giveWay`` asked it to, before writing any page.
struct BuildGaveWay: Error {}

/// What happens during a build, as it happens: for progress displays.
public enum BuildEvent: Sendable {
    /// A request was handed to the API (`requests` is how many distinct requests will be sent).
    case started(path: String, requests: Int)
    /// A prompt is done: generated, failed, or drawn as a placeholder.
    case finished(PromptOutcome)
    /// The site's pages and data files are written (what remains is bookkeeping: the manifest,
    /// removing what the site no longer has, the stamps), with the problems the report will list
    /// (``BuildReport/problems``). Not sent by a build that renders nothing. `easel serve` reloads
    /// the browsers here: the bookkeeping of 10,000 prompts took half a second.
    case siteWritten(problems: [String])
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration in whole milliseconds.
    var milliseconds: Int { Int((seconds * 1000).rounded()) }
}
