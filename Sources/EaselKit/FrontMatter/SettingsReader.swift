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
        case .inputFidelity: settings.inputFidelity = yaml.choice(value, key: name, from: ["high", "low"])
        case .compare: settings.compare = compare(value)
        case .pick: settings.pick = pick(value)
        }
    }

    /// `compare:`: a mapping from request keys to lists of values, each value read as the key
    /// itself is (so a bad value is an error at its item), at most ``Limits/compareCells`` cells.
    private mutating func compare(_ node: Node) -> Located<[CompareAxisSetting]>? {
        var axes: [CompareAxisSetting] = []
        var failed = false
        let names = CompareAxisSetting.keys.map(\.rawValue)
        for (name, keyNode, value) in yaml.pairs(node, of: "'compare'") {
            guard let key = PromptKey(rawValue: name), CompareAxisSetting.keys.contains(key) else {
                yaml.unknownKey(name, at: keyNode, known: names, in: "'compare'")
                failed = true
                continue
            }
            guard case .sequence(let sequence) = value, !sequence.isEmpty else {
                yaml.error(
                    "compare '\(name)' must be a list of the values to compare, such as \(Self.example(for: key))",
                    at: value
                )
                failed = true
                continue
            }
            var values: [PromptSettings] = []
            var seen: Set<String> = []
            for item in sequence {
                var one = PromptSettings()
                read(key, item, into: &one)
                guard let label = one.label(of: key) else {
                    failed = true
                    continue
                }
                guard seen.insert(label).inserted else {
                    yaml.warning("'\(label)' is listed twice under compare '\(name)'; it is compared once", at: item)
                    continue
                }
                values.append(one)
            }
            axes.append(CompareAxisSetting(key: key, location: yaml.source.location(of: keyNode), values: values))
        }
        guard !failed else { return nil }
        guard !axes.isEmpty else {
            yaml.error("'compare' needs a key and the values to compare, such as {quality: [low, high]}", at: node)
            return nil
        }
        let cells = axes.reduce(1) { $0 * $1.values.count }
        guard cells <= Limits.compareCells else {
            let factors = axes.map { "\($0.values.count) \($0.key.rawValue)" }.joined(separator: " × ")
            yaml.error(
                "'compare' makes \(cells) requests (\(factors)); a prompt compares at most \(Limits.compareCells):"
                    + " shorten a list, or split the prompt in two",
                at: node
            )
            return nil
        }
        return Located(axes, at: yaml.source.location(of: node))
    }

    private static func example(for key: PromptKey) -> String {
        switch key {
        case .model: "[gpt-image-2, gpt-image-2.5-flare]"
        case .size: "[1024x1024, 1536x1024]"
        case .compression: "[50, 90]"
        case .seed: "[1, 2, 3]"
        case .background: "[opaque, transparent]"
        case .format: "[png, webp]"
        case .moderation: "[auto, low]"
        case .inputFidelity: "[low, high]"
        default: "[low, high]"
        }
    }

    /// `pick:`: the compare cell shown on the index, by the values of its keys ({model: gpt-image-2}).
    private mutating func pick(_ node: Node) -> Located<[(key: String, value: Located<String>)]>? {
        var choices: [(key: String, value: Located<String>)] = []
        for (name, _, value) in yaml.pairs(node, of: "'pick'") {
            guard let text = yaml.string(value, key: name) else { return nil }
            choices.append((name, text))
        }
        return Located(choices, at: yaml.source.location(of: node))
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
        guard let text = node.plainScalar, let date = node.timestamp else {
            yaml.error("'date' must be a date such as 2026-11-20, found \(node.kindDescription)", at: node)
            return nil
        }
        guard Self.isRealTimestamp(text) else {
            yaml.error(
                "'date' must be a real date such as 2026-11-20, from 1900 to 9999 (a month of 1 to 12, a day the"
                    + " month has, a time of at most 23:59:60, an offset of at most ±14:00), found '\(text)'",
                at: node
            )
            return nil
        }
        return Located(date, at: yaml.source.location(of: node))
    }

    /// Whether a YAML timestamp names a real moment: Yams reads one through a calendar that rolls
    /// what is out of range over, so 2026-02-30 was the 2nd of March, 2026-13-45 the 14th of
    /// February 2027 and 25:99:99 the next day, without a word; year 1 came out as year 0.
    static func isRealTimestamp(_ text: String) -> Bool {
        let pattern =
            /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[ \t]*(?:Z|([-+])(\d{1,2})(?::?(\d{2}))?))?)?$/
        guard let match = text.wholeMatch(of: pattern),
            let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
            (1900...9999).contains(year), (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return false }
        if let hour = match.4.flatMap({ Int($0) }), let minute = match.5.flatMap({ Int($0) }),
            let second = match.6.flatMap({ Int($0) })
        {
            guard hour <= 23, minute <= 59, second <= 60 else { return false }
        }
        if let hours = match.8.flatMap({ Int($0) }) {
            let minutes = match.9.flatMap { Int($0) } ?? 0
            guard hours * 60 + minutes <= 14 * 60, minutes <= 59 else { return false }
        }
        return true
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
