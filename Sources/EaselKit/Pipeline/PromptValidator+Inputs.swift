extension PromptValidator {
    /// The largest upload each dialect accepts: 50 MB for GPT image models, 4 MB for DALL·E.
    private static func uploadLimit(_ dialect: ModelSpec.Dialect) -> Int {
        dialect == .legacy ? 4 << 20 : 50 << 20
    }

    /// Resolves an edit's images and mask into `request`.
    mutating func inputs(for edit: Located<EditSettings>, model: ModelSpec?, into request: inout ImageRequest) {
        let images = edit.value.images
        if let model, model.maxInputImages > 0, images.count > model.maxInputImages {
            error(
                "\(model.name) edits at most \(model.maxInputImages) image\(model.maxInputImages == 1 ? "" : "s") at a time",
                at: images[model.maxInputImages].location
            )
        }
        let facts = images.compactMap { input($0, role: "edit.image", model: model) }
        request.images = facts.map(\.asInput)
        guard let mask = edit.value.mask, let first = facts.first, facts.count == images.count else { return }
        switch mask.value {
        case .file(let path):
            guard let maskFacts = input(Located(path, at: mask.location), role: "edit.mask", model: model) else {
                return
            }
            if maskFacts.info.format != "png" || !maskFacts.info.hasAlpha {
                error(
                    "the mask must be a PNG with an alpha channel, transparent where the image may change;"
                        + " '\(path)' is a \(maskFacts.info.format) without transparency",
                    at: mask.location
                )
            } else if (maskFacts.info.width, maskFacts.info.height) != (first.info.width, first.info.height) {
                error(
                    "the mask is \(maskFacts.info.width)x\(maskFacts.info.height) but '\(first.path)' is"
                        + " \(first.info.width)x\(first.info.height); they must be the same size",
                    at: mask.location
                )
            }
            request.mask = .image(maskFacts.asInput)
        case .rectangle(let rect):
            // Subtractions of values 0 or more: no sum to overflow, whatever the prompt wrote.
            if rect.width > first.info.width - rect.x || rect.height > first.info.height - rect.y {
                error(
                    "the rectangle \(rect) reaches outside '\(first.path)', which is"
                        + " \(first.info.width)x\(first.info.height)",
                    at: mask.location
                )
            }
            request.mask = .rectangle(rect)
        case .ellipse(let shape):
            if shape.centerX < shape.radiusX || shape.centerY < shape.radiusY
                || shape.centerX > first.info.width - shape.radiusX
                || shape.centerY > first.info.height - shape.radiusY
            {
                error(
                    "the ellipse \(shape) reaches outside '\(first.path)', which is"
                        + " \(first.info.width)x\(first.info.height)",
                    at: mask.location
                )
            }
            request.mask = .ellipse(shape)
        }
    }

    /// Resolves one input image, checking it is inside the project and one the model can take.
    mutating func input(_ path: Located<String>, role: String, model: ModelSpec?) -> InputFacts? {
        let facts: InputFacts
        switch inputs.facts(for: path.value, in: project) {
        case .failure(let problem):
            error("'\(role)': \(problem.message)", at: path.location)
            return nil
        case .success(let found): facts = found
        }
        let dialect = model?.dialect ?? .gptImage
        if !["png", "jpeg", "webp"].contains(facts.info.format) {
            error("'\(path.value)' is a \(facts.info.format) image; the API takes PNG, JPEG or WebP", at: path.location)
            return nil
        }
        if facts.info.width > ImageSize.maxSide || facts.info.height > ImageSize.maxSide {
            error(
                "'\(path.value)' is \(facts.info.width)x\(facts.info.height); Easel takes images of at most"
                    + " \(ImageSize.maxSide) pixels a side",
                at: path.location
            )
            return nil
        }
        if facts.bytes > Self.uploadLimit(dialect) {
            error(
                "'\(path.value)' is \(facts.bytes >> 20) MB; the API takes at most \(Self.uploadLimit(dialect) >> 20) MB",
                at: path.location
            )
            return nil
        }
        if dialect == .legacy, let model, facts.info.format != "png" || facts.info.width != facts.info.height {
            error("\(model.name) takes only square PNG images; '\(path.value)' is not one", at: path.location)
            return nil
        }
        return facts
    }
}
