internal import Mustache

/// A build's plan: every prompt read and sorted into cached, to generate, failed, skipped or draft.
public struct BuildPlan: Sendable {
    /// One per prompt file, in path order; `placeholder` marks what is still to generate.
    public var outcomes: [PromptOutcome]
    /// Whether `--only` selected each prompt.
    public var selected: [Bool]
    let theme: Theme
    let library: MustacheLibrary

    /// The selected prompts' errors and warnings, in file order.
    public var diagnostics: [Diagnostic] {
        zip(outcomes, selected).filter(\.1).flatMap(\.0.prompt.diagnostics)
    }

    /// How many distinct requests the build would send.
    public var requestsToSend: Int {
        Set(outcomes.filter { $0.status == .placeholder }.compactMap(\.key)).count
    }
}
