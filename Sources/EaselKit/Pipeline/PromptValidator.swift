import Foundation

/// Checks a prompt's settings against its model and the project's files, and builds the request.
///
/// Each problem becomes a diagnostic at the key that caused it, so a value inherited from easel.yml
/// `defaults:` is reported in easel.yml.
struct PromptValidator {
    let project: Project
    let inputs: InputCatalog
    /// Where the Markdown body starts: empty or overlong prompts are reported there.
    let bodyLocation: SourceLocation
    private(set) var diagnostics: [Diagnostic] = []

    /// The instruction sent for a variation of an image with a GPT image model, which has no
    /// variations endpoint: an edit of the image that asks for a variation (SPEC §6).
    static let variationInstruction = "Create a variation of this image."

    init(project: Project, inputs: InputCatalog, bodyLocation: SourceLocation) {
        self.project = project
        self.inputs = inputs
        self.bodyLocation = bodyLocation
    }

    mutating func request(for settings: PromptSettings, text: String, hasHeading: Bool) -> ImageRequest? {
        let modelName = settings.model?.value ?? ModelCatalog.defaultModel
        let model = project.catalog[modelName]
        if let located = settings.model { checkStatus(of: modelName, model, at: located.location) }
        let dialect = model?.dialect ?? .gptImage

        var request = ImageRequest(endpoint: .generations, model: modelName, dialect: dialect, prompt: text)
        request.endpoint = endpoint(settings, dialect: dialect)
        if let model, !model.endpoints.contains(request.endpoint) { unsupported(request.endpoint, settings, model) }
        request.prompt = promptText(
            text,
            endpoint: request.endpoint,
            settings: settings,
            model: model,
            hasHeading: hasHeading
        )

        request.size = settings.size.flatMap { check(size: $0, model) }
        request.quality = settings.quality.flatMap { check(quality: $0, model) }
        request.n = settings.n.flatMap { check(n: $0, model) } ?? 1
        request.format = settings.format.flatMap { check(format: $0, model) }
        request.background = settings.background.flatMap { gptOnly($0, "background", model) }
        request.compression = settings.compression.flatMap { gptOnly($0, "compression", model) }
        request.moderation = settings.moderation.flatMap { gptOnly($0, "moderation", model) }
        request.inputFidelity = settings.inputFidelity.flatMap { check(inputFidelity: $0, request.endpoint, model) }
        checkCombinations(settings, request)

        if let edit = settings.edit { inputs(for: edit, model: model, into: &request) }
        if let source = settings.variationOf, settings.edit == nil {
            if let facts = input(source, role: "variation_of", model: model) { request.images = [facts.asInput] }
        }
        request.seed = settings.seed?.value
        if let model { request.dropDefaults(of: model) }
        return diagnostics.hasErrors ? nil : request
    }

    // MARK: Endpoint and text

    private mutating func endpoint(_ settings: PromptSettings, dialect: ModelSpec.Dialect) -> ImageRequest.Endpoint {
        if let variation = settings.variationOf {
            if settings.edit != nil {
                error(
                    "'variation_of' and 'edit' cannot be combined: a variation is an edit of one image; keep one",
                    at: variation.location
                )
            }
            return dialect == .legacy ? .variations : .edits
        }
        return settings.edit == nil ? .generations : .edits
    }

    private mutating func unsupported(_ endpoint: ImageRequest.Endpoint, _ settings: PromptSettings, _ model: ModelSpec)
    {
        let able = project.catalog.names.filter { project.catalog[$0]?.endpoints.contains(endpoint) == true }
        let what = ["generations": "generate images", "edits": "edit images", "variations": "make variations"]
        let location =
            settings.variationOf?.location ?? settings.edit?.location ?? settings.model?.location ?? bodyLocation
        error(
            "\(model.name) cannot \(what[endpoint.rawValue] ?? endpoint.rawValue); use a model that can, such as "
                + (able.first { $0.hasPrefix("gpt-image-2") } ?? able.first ?? ModelCatalog.defaultModel),
            at: location
        )
    }

    private mutating func promptText(
        _ text: String,
        endpoint: ImageRequest.Endpoint,
        settings: PromptSettings,
        model: ModelSpec?,
        hasHeading: Bool
    ) -> String {
        if endpoint == .variations {
            if !text.isEmpty {
                warning(
                    "\(model?.name ?? "this model") variations take no prompt; the text is not sent",
                    at: bodyLocation
                )
            }
            return ""
        }
        var sent = text
        if settings.variationOf != nil {
            sent = text.isEmpty ? Self.variationInstruction : Self.variationInstruction + "\n\n" + text
        } else if text.isEmpty {
            error(
                hasHeading
                    ? "the prompt is empty: below the title heading, write what the image should show"
                    : "the prompt is empty: below the front matter, write what the image should show",
                at: bodyLocation
            )
        }
        let limit = min(model?.maxPromptLength ?? Limits.promptCharacters, Limits.promptCharacters)
        if sent.count > limit {
            error(
                "the prompt is \(sent.count.formatted()) characters; \(model?.name ?? "a prompt") takes at most"
                    + " \(limit.formatted())",
                at: bodyLocation
            )
        }
        return sent
    }

    // MARK: Diagnostics

    mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(.error(message, at: location))
    }

    mutating func warning(_ message: String, at location: SourceLocation) {
        diagnostics.append(.warning(message, at: location))
    }
}
