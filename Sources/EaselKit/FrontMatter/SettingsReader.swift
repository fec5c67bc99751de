import Foundation
internal import Yams

/// Reads prompt settings from a YAML mapping, checking each key's name and type on its own.
///
/// Checks that need the model (sizes, qualities, n) or the file system (edit images) come later, in
/// ``PromptValidator``; this reader only knows the shape of each key.
struct SettingsReader {
    var yaml: YAMLReader

    init(source: YAMLSource) {
        yaml = YAMLReader(source: source)
    }

    var diagnostics: [Diagnostic] { yaml.diagnostics }

    /// Reads every key of `node`, which must be a mapping; `what` names it in messages.
    mutating func read(_ node: Node, what: String = "the front matter") -> PromptSettings {
        var settings = PromptSettings()
        for (name, keyNode, value) in yaml.pairs(node, of: what) {
            guard let key = PromptKey(rawValue: name) else {
                unknownKey(name, at: keyNode)
                continue
            }
            read(key, value, into: &settings)
        }
        return settings
    }

    private mutating func read(_ key: PromptKey, _ value: Node, into settings: inout PromptSettings) {
        let name = key.rawValue
        switch key {
        case .title: settings.title = yaml.string(value, key: name)
        case .model: settings.model = yaml.string(value, key: name)
        case .size: settings.size = size(value)
        case .quality: settings.quality = yaml.string(value, key: name)
        case .n: settings.n = yaml.integer(value, key: name, in: 1...10)
        case .background: settings.background = yaml.choice(value, key: name, from: ["auto", "opaque", "transparent"])
        case .format:
            settings.format = yaml.string(value, key: name).map { Located($0.value.lowercased(), at: $0.location) }
        case .compression: settings.compression = yaml.integer(value, key: name, in: 0...100)
        case .moderation: settings.moderation = yaml.choice(value, key: name, from: ["auto", "low"])
        case .tags: settings.tags = tags(value)
        case .date: settings.date = date(value)
        case .edit: settings.edit = edit(value)
        case .variationOf: settings.variationOf = yaml.path(value, key: name)
        case .seed: settings.seed = yaml.string(value, key: name)
        case .draft: settings.draft = yaml.flag(value, key: name)
        }
    }

    private mutating func size(_ node: Node) -> Located<String>? {
        guard let value = yaml.string(node, key: "size") else { return nil }
        let normalized = value.value.lowercased().replacingOccurrences(of: "×", with: "x")
        guard normalized != "auto" else { return Located(normalized, at: value.location) }
        switch ImageSize.parse(normalized) {
        case .size: return Located(normalized, at: value.location)
        case .malformed:
            yaml.error("'size' must be auto or WIDTHxHEIGHT such as 1024x1024, found '\(value.value)'", at: node)
        case .tooLarge:
            yaml.error(
                "'size' \(value.value) is too large: image sides are at most \(ImageSize.maxSide) pixels",
                at: node
            )
        }
        return nil
    }

    private mutating func tags(_ node: Node) -> Located<[String]>? {
        guard let tags = yaml.strings(node, key: "tags", example: "[space, village]") else { return nil }
        guard tags.value.count <= Limits.tags else {
            yaml.error("'tags' holds \(tags.value.count) tags; a prompt takes at most \(Limits.tags)", at: node)
            return nil
        }
        return tags
    }

    private mutating func date(_ node: Node) -> Located<Date>? {
        guard node.plainScalar != nil, let date = node.timestamp else {
            yaml.error("'date' must be a date such as 2026-11-20, found \(node.kindDescription)", at: node)
            return nil
        }
        return Located(date, at: yaml.source.location(of: node))
    }

    private mutating func unknownKey(_ name: String, at node: Node) {
        if let reason = PromptKey.retired[name] {
            yaml.error("'\(name)' is not a setting: \(reason)", at: node)
        } else if let alias = PromptKey.aliases[name] {
            yaml.error("unknown key '\(name)'; did you mean '\(alias)'?", at: node)
        } else {
            yaml.unknownKey(name, at: node, known: PromptKey.allCases.map(\.rawValue), in: "a prompt")
        }
    }
}
