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

    /// Builds the site: ``plan(_:)`` then ``run(_:_:onFinish:)``.
    public func build(
        _ options: BuildOptions,
        onFinish: @escaping @Sendable (PromptOutcome) -> Void = { _ in }
    ) async throws -> BuildReport {
        try await run(try plan(options), options, onFinish: onFinish)
    }

    /// Reads the theme and every prompt, and sorts the prompts into cached and to generate.
    /// - Throws: ``ThemeError`` for a broken template, ``FileError`` when prompts/ cannot be listed;
    ///   problems with single prompts are never thrown, they are in the plan.
    public func plan(_ options: BuildOptions) throws -> BuildPlan {
        let theme = try Theme.load(overridesIn: project.root.appendingPathComponent("templates"))
        let library = try theme.library()
        let loader = PromptLoader(project: project)
        let prompts = try project.promptPaths().map(loader.load)
        return BuildPlan(
            outcomes: classify(prompts, only: options.only),
            selected: prompts.map { isSelected($0, options.only) },
            theme: theme,
            library: library
        )
    }

    /// Generates what `plan` lacks (or renders placeholders), then writes the site.
    /// - Parameter onFinish: called once for each prompt that was generated, failed to generate or
    ///   became a placeholder, as it finishes.
    /// - Returns: what happened to every prompt.
    /// - Throws: ``FileError`` when the site cannot be written.
    public func run(
        _ plan: BuildPlan,
        _ options: BuildOptions,
        onFinish: @escaping @Sendable (PromptOutcome) -> Void = { _ in }
    ) async throws -> BuildReport {
        let started = ContinuousClock.now
        var outcomes = plan.outcomes
        if options.dryRun {
            return BuildReport(
                outcomes: outcomes,
                selected: plan.selected,
                site: nil,
                dryRun: true,
                wallTime: started.duration(to: .now)
            )
        }
        project.cache.removeStaleStaging()
        var apiTime = Duration.zero
        var stopped: String?
        if let source, !options.offline {
            let concurrency = options.concurrency ?? project.config.concurrency ?? 4
            (apiTime, stopped) = await generate(&outcomes, with: source, concurrency: concurrency, onFinish: onFinish)
        } else {
            for outcome in outcomes where outcome.status == .placeholder { onFinish(outcome) }
        }
        let output = options.output ?? project.siteFolder
        let renderer = SiteRenderer(project: project, theme: plan.theme, library: plan.library, output: output)
        try await renderer.render(outcomes.filter { $0.status != .draft })
        var report = BuildReport(
            outcomes: outcomes,
            selected: plan.selected,
            site: output.path,
            dryRun: false,
            wallTime: started.duration(to: .now)
        )
        report.apiSeconds = apiTime.seconds
        report.stopped = stopped
        return report
    }

    /// Sorts each prompt into cached, to generate (marked placeholder until generated), failed, skipped or draft.
    func classify(_ prompts: [PromptFile], only: [String]) -> [PromptOutcome] {
        prompts.map { prompt in
            var outcome = PromptOutcome(prompt: prompt, status: .failed)
            if prompt.isDraft {
                outcome.status = .draft
                return outcome
            }
            guard let request = prompt.request else { return outcome }
            let key = CacheKey(request)
            outcome.key = key
            do {
                outcome.entry = try project.cache.entry(for: key)
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
    }

    private func isSelected(_ prompt: PromptFile, _ only: [String]) -> Bool {
        only.isEmpty || only.contains { Glob.matches($0, path: prompt.path) }
    }
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
