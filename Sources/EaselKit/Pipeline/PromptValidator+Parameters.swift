import Foundation

extension PromptValidator {
    /// Warns about a model Easel does not know, or one that OpenAI retires or has retired.
    mutating func checkStatus(of name: String, _ model: ModelSpec?, at location: SourceLocation) {
        guard let model else {
            warning(
                "unknown model '\(name)': it is sent as written and its settings are not checked"
                    + Suggestion.hint(for: name, in: project.catalog.names),
                at: location
            )
            return
        }
        switch model.status {
        case .active:
            break
        case .deprecated(let shutdown, let replacement):
            let past = Self.today >= shutdown
            warning(
                "\(name) \(past ? "was shut down on" : "shuts down on") \(shutdown)"
                    + (replacement.map { "; move to \($0)" } ?? ""),
                at: location
            )
        case .retired(let since, let replacement):
            let note = model.dialect == .legacy ? "; only OpenAI-compatible servers still serve it" : ""
            warning(
                "\(name) was retired at OpenAI on \(since)\(note)"
                    + (replacement.map { " (OpenAI's successor: \($0))" } ?? ""),
                at: location
            )
        }
    }

    /// Today as YYYY-MM-DD in UTC, to compare with shutdown dates.
    static var today: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date())
    }

    mutating func check(size: Located<String>, _ model: ModelSpec?) -> String? {
        guard let model, !model.sizes.contains(size.value) else { return size.value }
        if let rules = model.flexibleSizes, let parsed = ImageSize(size.value) {
            guard let problem = rules.problem(with: parsed) else { return size.value }
            let nearest = rules.nearest(to: parsed).map { "; the nearest size it takes is \($0)" } ?? ""
            error("\(model.name) does not take size \(size.value): \(problem)\(nearest)", at: size.location)
            return nil
        }
        let fixed = model.sizes.filter { $0 != "auto" }
        let nearest = ImageSize(size.value).flatMap { wanted in
            fixed.compactMap(ImageSize.init).min { $0.distance(to: wanted) < $1.distance(to: wanted) }
        }
        error(
            "\(model.name) does not take size \(size.value); use one of \(model.sizes.joined(separator: ", "))"
                + (nearest.map { " (nearest: \($0))" } ?? ""),
            at: size.location
        )
        return nil
    }

    mutating func check(quality: Located<String>, _ model: ModelSpec?) -> String? {
        guard let model, !model.qualities.contains(quality.value) else { return quality.value }
        error(
            "\(model.name) does not take quality '\(quality.value)'; use one of \(model.qualities.joined(separator: ", "))"
                + Suggestion.hint(for: quality.value, in: model.qualities),
            at: quality.location
        )
        return nil
    }

    mutating func check(n: Located<Int>, _ model: ModelSpec?) -> Int? {
        guard let model, n.value > model.maxImages else { return n.value }
        let most = model.maxImages == 1 ? "1 image" : "\(model.maxImages) images"
        error(
            "\(model.name) makes at most \(most) per request, not \(n.value); set n to 1–\(model.maxImages)",
            at: n.location
        )
        return nil
    }

    mutating func check(format: Located<String>, _ model: ModelSpec?) -> String? {
        guard let model else { return format.value }
        if model.formats.isEmpty {
            error("\(model.name) has no 'format' option: it returns PNG; remove 'format'", at: format.location)
            return nil
        }
        guard model.formats.contains(format.value) else {
            let hint =
                format.value == "jpg" ? "; did you mean 'jpeg'?" : Suggestion.hint(for: format.value, in: model.formats)
            error(
                "\(model.name) does not write '\(format.value)'; use one of \(model.formats.joined(separator: ", "))\(hint)",
                at: format.location
            )
            return nil
        }
        return format.value
    }

    /// `input_fidelity`: edits only (a GPT model's variation is one), and only what the model takes.
    mutating func check(
        inputFidelity: Located<String>,
        _ endpoint: ImageRequest.Endpoint,
        _ model: ModelSpec?
    )
        -> String?
    {
        guard endpoint == .edits else {
            error(
                "'input_fidelity' applies to edits only (how closely the result keeps the input images);"
                    + " remove it, or add 'edit:'",
                at: inputFidelity.location
            )
            return nil
        }
        guard let model, !model.inputFidelities.contains(inputFidelity.value) else { return inputFidelity.value }
        let able = project.catalog.names.filter { project.catalog[$0]?.inputFidelities.isEmpty == false }
        error(
            model.inputFidelities.isEmpty
                ? "\(model.name) has no 'input_fidelity' option; remove it, or use a model that has, such as "
                    + (able.first { $0.hasPrefix("gpt-image-2") } ?? able.first ?? ModelCatalog.defaultModel)
                : "\(model.name) takes input_fidelity \(model.inputFidelities.joined(separator: " or ")),"
                    + " not '\(inputFidelity.value)'",
            at: inputFidelity.location
        )
        return nil
    }

    /// A GPT-image-only option: an error for a legacy model.
    mutating func gptOnly<Value>(_ value: Located<Value>, _ key: String, _ model: ModelSpec?) -> Value? {
        guard let model, model.dialect == .legacy else { return value.value }
        error("\(model.name) has no '\(key)' option (GPT image models only); remove it", at: value.location)
        return nil
    }

    mutating func checkCombinations(_ settings: PromptSettings, _ request: ImageRequest) {
        let format = settings.format?.value ?? "png"
        if let background = settings.background, background.value == "transparent", format == "jpeg" {
            error(
                "a transparent background needs format png or webp, and this prompt's format is jpeg",
                at: background.location
            )
        }
        if let compression = settings.compression, !["jpeg", "webp"].contains(format) {
            error(
                "'compression' applies to jpeg and webp only, and this prompt's format is \(format);"
                    + " set format: webp, or remove compression",
                at: compression.location
            )
        }
        if let moderation = settings.moderation, request.endpoint != .generations {
            error(
                "'moderation' applies to generations only; remove it from this \(settings.variationOf == nil ? "edit" : "variation")",
                at: moderation.location
            )
        }
    }
}

extension FlexibleSizes {
    /// The size nearest to `size` that these rules accept, or nil when rounding does not find one.
    func nearest(to size: ImageSize) -> ImageSize? {
        func round(_ side: Int) -> Int { max(multipleOf, (side + multipleOf / 2) / multipleOf * multipleOf) }
        let rounded = ImageSize(width: round(size.width), height: round(size.height))
        return problem(with: rounded) == nil ? rounded : nil
    }
}

extension ImageSize {
    /// How far apart two sizes are: shape first, then area.
    func distance(to other: ImageSize) -> Double {
        let ratio = abs(log(Double(width) / Double(height)) - log(Double(other.width) / Double(other.height)))
        let area = abs(log(Double(pixels) / Double(other.pixels)))
        return ratio * 4 + area
    }
}

extension ImageRequest {
    /// Leaves out every parameter that equals the model's default, so that writing the default and
    /// leaving it out make the same request, and the same cache key.
    mutating func dropDefaults(of model: ModelSpec) {
        let defaults = model.defaults
        if size == defaults["size"] { size = nil }
        if quality == defaults["quality"] { quality = nil }
        if background == defaults["background"] { background = nil }
        if format == defaults["format"] { format = nil }
        if moderation == defaults["moderation"] { moderation = nil }
        if inputFidelity == defaults["input_fidelity"] { inputFidelity = nil }
        if let compression, defaults["compression"] == String(compression) { self.compression = nil }
    }
}
