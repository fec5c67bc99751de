import Foundation
internal import Yams

/// Reads typed values out of YAML nodes, collecting a positioned diagnostic for each bad one.
///
/// Shared by the front-matter and easel.yml readers; `key` is the name shown in messages.
struct YAMLReader {
    var source: YAMLSource
    private(set) var diagnostics: [Diagnostic] = []

    init(source: YAMLSource) {
        self.source = source
    }

    mutating func error(_ message: String, at node: Node) {
        diagnostics.append(.error(message, at: source.location(of: node)))
    }

    mutating func warning(_ message: String, at node: Node) {
        diagnostics.append(.warning(message, at: source.location(of: node)))
    }

    /// The pairs of a mapping whose keys are plain names; reports anything else.
    mutating func pairs(_ node: Node, of what: String) -> [(name: String, key: Node, value: Node)] {
        guard case .mapping(let mapping) = node else {
            error("\(what) must be 'key: value' lines, found \(node.kindDescription)", at: node)
            return []
        }
        var pairs: [(name: String, key: Node, value: Node)] = []
        for (key, value) in mapping {
            guard let name = key.plainScalar else {
                error("a key must be a plain name, found \(key.kindDescription)", at: key)
                continue
            }
            pairs.append((name, key, value))
        }
        return pairs
    }

    /// Reports an unknown key with the nearest known one.
    mutating func unknownKey(_ name: String, at node: Node, known: [String], in what: String) {
        let hint =
            Suggestion.nearest(to: name, in: known).map { "; did you mean '\($0)'?" }
            ?? "; \(what) takes " + known.joined(separator: ", ")
        error("unknown key '\(name)'\(hint)", at: node)
    }

    mutating func string(_ node: Node, key: String) -> Located<String>? {
        guard let string = node.plainScalar?.trimmingSpaces(), !string.isEmpty else {
            error("'\(key)' needs a value, found \(node.kindDescription)", at: node)
            return nil
        }
        return Located(string, at: source.location(of: node))
    }

    mutating func choice(_ node: Node, key: String, from values: [String]) -> Located<String>? {
        guard let value = string(node, key: key) else { return nil }
        guard values.contains(value.value) else {
            error(
                "'\(key)' cannot be '\(value.value)'; use one of \(values.joined(separator: ", "))"
                    + Suggestion.hint(for: value.value, in: values),
                at: node
            )
            return nil
        }
        return value
    }

    mutating func integer(_ node: Node, key: String, in range: ClosedRange<Int>) -> Located<Int>? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, node.plainScalar != nil, let value = node.integer
        else {
            error(
                "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound),"
                    + " found \(node.kindDescription)",
                at: node
            )
            return nil
        }
        guard range.contains(value) else {
            error("'\(key)' must be from \(range.lowerBound) to \(range.upperBound), found \(value)", at: node)
            return nil
        }
        return Located(value, at: source.location(of: node))
    }

    mutating func number(_ node: Node, key: String, atLeast minimum: Double) -> Located<Double>? {
        guard case .scalar(let scalar) = node, scalar.style == .plain,
            let value = node.number,
            value.isFinite
        else {
            error("'\(key)' must be a number, found \(node.kindDescription)", at: node)
            return nil
        }
        guard value >= minimum else {
            error("'\(key)' must be at least \(minimum.formatted()), found \(value.formatted())", at: node)
            return nil
        }
        return Located(value, at: source.location(of: node))
    }

    mutating func flag(_ node: Node, key: String) -> Located<Bool>? {
        guard case .scalar = node, let value = node.bool else {
            error("'\(key)' must be true or false, found \(node.kindDescription)", at: node)
            return nil
        }
        return Located(value, at: source.location(of: node))
    }

    /// A list of words; a single word is a list of one.
    mutating func strings(_ node: Node, key: String, example: String) -> Located<[String]>? {
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            error("'\(key)' must be a list such as \(example), found \(node.kindDescription)", at: node)
            return nil
        }
        var values: [String] = []
        var seen: Set<String> = []
        for item in items {
            guard let value = item.plainScalar?.trimmingSpaces(), !value.isEmpty else {
                error("each item of '\(key)' must be a word, found \(item.kindDescription)", at: item)
                return nil
            }
            // A set, not `values.contains`: 100,000 items took 17 s to check one by one.
            if seen.insert(value).inserted { values.append(value) }
        }
        return Located(values, at: source.location(of: node))
    }

    /// A path to a project file, as written.
    mutating func path(_ node: Node, key: String) -> Located<String>? {
        guard let value = node.plainScalar?.trimmingSpaces(), !value.isEmpty else {
            error("'\(key)' must be a file path such as inputs/photo.png, found \(node.kindDescription)", at: node)
            return nil
        }
        return Located(value, at: source.location(of: node))
    }
}
