import Foundation
internal import Yams

/// Reads easel.yml `models:`: rows added to the model table, each optionally starting `like:` a known one.
///
/// ```yaml
/// models:
///   my-server-model:
///     like: gpt-image-2          # start from this row (optional)
///     sizes: [auto, 1024x1024]
///     qualities: [low, high]
///     max_n: 4
///     prices: {text_input: 5, image_input: 8, image_output: 30}   # USD per 1M tokens
/// ```
struct ModelTableReader {
    var yaml: YAMLReader

    private static let keys = [
        "like", "dialect", "sizes", "flexible_sizes", "qualities", "max_n", "formats", "endpoints",
        "max_input_images", "max_prompt_length", "input_fidelities", "prices", "batch_prices",
    ]

    mutating func read(_ node: Node) -> [ModelSpec] {
        yaml.pairs(node, of: "'models'").compactMap { name, _, value in model(named: name, value) }
    }

    private mutating func model(named name: String, _ node: Node) -> ModelSpec? {
        let pairs = yaml.pairs(node, of: "model '\(name)'")
        var model = ModelCatalog.builtin[name] ?? Self.template(name)
        if let like = pairs.first(where: { $0.name == "like" }) {
            guard let base = yaml.string(like.value, key: "like") else { return nil }
            guard let row = ModelCatalog.builtin[base.value] else {
                yaml.error(
                    "'like' names an unknown model '\(base.value)'"
                        + Suggestion.hint(for: base.value, in: ModelCatalog.builtin.names),
                    at: like.value
                )
                return nil
            }
            model = row
            model.name = name
            model.status = .active
        }
        for (key, keyNode, value) in pairs where key != "like" {
            switch key {
            case "dialect":
                if let dialect = yaml.choice(value, key: key, from: ModelSpec.Dialect.allCases.map(\.rawValue)) {
                    model.dialect = ModelSpec.Dialect(rawValue: dialect.value)!
                }
            case "sizes":
                if let sizes = yaml.strings(value, key: key, example: "[auto, 1024x1024]") {
                    let bad = sizes.value.filter { $0 != "auto" && ImageSize($0) == nil }
                    if bad.isEmpty {
                        model.sizes = sizes.value
                    } else {
                        yaml.error(
                            "'sizes' holds \(bad.joined(separator: ", ")); write auto or WIDTHxHEIGHT",
                            at: value
                        )
                    }
                }
            case "flexible_sizes": model.flexibleSizes = flexibleSizes(value)
            case "qualities":
                model.qualities = yaml.strings(value, key: key, example: "[low, high]")?.value ?? model.qualities
            case "max_n": model.maxImages = yaml.integer(value, key: key, in: 1...10)?.value ?? model.maxImages
            case "formats":
                model.formats = yaml.strings(value, key: key, example: "[png, webp]")?.value ?? model.formats
            case "endpoints":
                let names = ImageRequest.Endpoint.allCases.map(\.rawValue)
                if let list = yaml.strings(value, key: key, example: "[generations, edits]") {
                    let unknown = list.value.filter { !names.contains($0) }
                    if unknown.isEmpty {
                        model.endpoints = Set(list.value.compactMap(ImageRequest.Endpoint.init))
                    } else {
                        yaml.error(
                            "'endpoints' takes \(names.joined(separator: ", ")), found \(unknown.joined(separator: ", "))",
                            at: value
                        )
                    }
                }
            case "max_input_images":
                model.maxInputImages = yaml.integer(value, key: key, in: 0...16)?.value ?? model.maxInputImages
            case "max_prompt_length":
                model.maxPromptLength =
                    yaml.integer(value, key: key, in: 1...Limits.promptCharacters)?.value ?? model.maxPromptLength
            case "input_fidelities":
                if let list = yaml.strings(value, key: key, example: "[high, low]") {
                    let unknown = list.value.filter { !["high", "low"].contains($0) }
                    if unknown.isEmpty {
                        model.inputFidelities = list.value
                    } else {
                        yaml.error(
                            "'input_fidelities' takes high and low, found \(unknown.joined(separator: ", "))",
                            at: value
                        )
                    }
                }
            case "prices": model.prices = prices(value, key: key)
            case "batch_prices": model.batchPrices = prices(value, key: key)
            default: yaml.unknownKey(key, at: keyNode, known: Self.keys, in: "a model")
            }
        }
        return model
    }

    /// A new row with the GPT image models' common shape.
    private static func template(_ name: String) -> ModelSpec {
        var model = ModelCatalog.builtin[ModelCatalog.defaultModel]!
        model.name = name
        model.flexibleSizes = nil
        model.prices = .unknown
        return model
    }

    private mutating func flexibleSizes(_ node: Node) -> FlexibleSizes? {
        var rules = FlexibleSizes(
            multipleOf: 16,
            maxRatio: 3,
            maxSize: ImageSize(width: 3840, height: 2160),
            minPixels: 0
        )
        for (key, keyNode, value) in yaml.pairs(node, of: "'flexible_sizes'") {
            switch key {
            case "multiple_of":
                rules.multipleOf = yaml.integer(value, key: key, in: 1...1024)?.value ?? rules.multipleOf
            case "max_ratio": rules.maxRatio = yaml.integer(value, key: key, in: 1...100)?.value ?? rules.maxRatio
            case "min_pixels": rules.minPixels = yaml.integer(value, key: key, in: 0...Int(Int32.max))?.value ?? 0
            case "max":
                if let text = yaml.string(value, key: key), let size = ImageSize(text.value) {
                    rules.maxSize = ImageSize(width: size.longEdge, height: size.shortEdge)
                } else {
                    yaml.error("'max' must be WIDTHxHEIGHT such as 3840x2160", at: value)
                }
            default:
                yaml.unknownKey(
                    key,
                    at: keyNode,
                    known: ["multiple_of", "max_ratio", "max", "min_pixels"],
                    in: "'flexible_sizes'"
                )
            }
        }
        return rules
    }

    private mutating func prices(_ node: Node, key name: String) -> Prices {
        var prices = Prices.unknown
        for (key, keyNode, value) in yaml.pairs(node, of: "'\(name)'") {
            switch key {
            case "text_input": prices.textInput = yaml.number(value, key: key, atLeast: 0)?.value
            case "image_input": prices.imageInput = yaml.number(value, key: key, atLeast: 0)?.value
            case "image_output": prices.imageOutput = yaml.number(value, key: key, atLeast: 0)?.value
            case "per_image":
                for (size, _, price) in yaml.pairs(value, of: "'per_image'") {
                    prices.perImage[size] = yaml.number(price, key: size, atLeast: 0)?.value
                }
            default:
                yaml.unknownKey(
                    key,
                    at: keyNode,
                    known: ["text_input", "image_input", "image_output", "per_image"],
                    in: "'\(name)'"
                )
            }
        }
        return prices
    }
}
