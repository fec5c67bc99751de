import Foundation
internal import Yams

/// YAML text from a project file, parsed with Yams into nodes that remember their positions.
struct YAMLSource {
    /// Path inside the project, for diagnostics.
    var path: String
    /// Line of the file on which the YAML text starts.
    var firstLine: Int

    /// Parses `yaml` into a node tree; nil for an empty document.
    ///
    /// ``YAMLGate`` looks first: anchors, aliases and deep nesting are refused before Yams composes.
    func compose(_ yaml: String) -> Result<Node?, Diagnostic> {
        if let refusal = YAMLGate.check(yaml) {
            let location = SourceLocation(path: path, line: firstLine + refusal.line - 1, column: refusal.column)
            return .failure(.error(refusal.message, at: location))
        }
        do {
            return .success(try Yams.compose(yaml: yaml))
        } catch let error as YamlError {
            return .failure(diagnostic(for: error))
        } catch {
            return .failure(.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: firstLine)))
        }
    }

    /// Where `node` was written in the file.
    func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(path: path, line: firstLine) }
        return location(of: mark)
    }

    private func location(of mark: Mark) -> SourceLocation {
        SourceLocation(path: path, line: firstLine + mark.line - 1, column: mark.column)
    }

    private func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(firstLine + context.mark.line - 1))" }
            message += Self.hint(for: problem)
            return .error(message, at: location(of: mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return .error("\(keys) is set twice; keep one", at: location(of: context.mark))
        case .reader(let problem, _, _, _):
            return .error("invalid YAML: \(problem)", at: SourceLocation(path: path, line: firstLine))
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(path: path, line: firstLine))
        }
    }

    private static func hint(for problem: String) -> String {
        if problem.contains("mapping values are not allowed") {
            return "; a value that contains ': ' must be quoted"
        }
        if problem.contains("cannot start any token") {
            return "; indent with spaces, not tabs, and quote values that start with @ or `"
        }
        return ""
    }
}

extension Node {
    /// The text of a scalar that is not null; nil for mappings, sequences and `~`.
    var plainScalar: String? {
        guard case .scalar(let scalar) = self, tag.description != Tag.Name.null.rawValue else { return nil }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        return scalar.string
    }

    /// Yams' `int`, without YAML 1.1's sexagesimal integers ("1:20:30"): Yams multiplies their
    /// parts without checking for overflow, so `n: 1411010:4240:40:4240110:…` trapped (found by
    /// `make fuzz`). Easel takes none of them; such a value is text.
    var integer: Int? {
        guard case .scalar(let scalar) = self, !scalar.string.contains(":") else { return nil }
        return int
    }

    /// A number: Yams' `float` or ``integer``, without sexagesimal forms either.
    var number: Double? {
        guard case .scalar(let scalar) = self, !scalar.string.contains(":") else { return nil }
        return float ?? integer.map(Double.init)
    }

    /// "a mapping", "a list", "a number", "text", … for "expected …, found …" messages.
    var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if plainScalar == nil { return "nothing (null)" }
            if bool != nil { return "true/false" }
            if number != nil { return "a number" }
            return "'\(scalar.string)'"
        }
    }
}
