// CYaml is the copy of libyaml that Yams builds and parses with (a C target of the Yams package,
// whose module map SwiftPM hands to every target depending on Yams). Yams has no event API of
// its own; scanning with the very parser it uses means this gate and Yams read the same YAML.
internal import CYaml
import Foundation

/// Looks at YAML with libyaml's event parser before Yams builds a node tree from it, and refuses
/// what would make building (or reading) that tree costly.
///
/// - Anchors and aliases (SPEC §3: no alias expansion). Yams resolves an alias to the node it
///   names and hashes every mapping key to find duplicates: a 300-byte file of aliases used as
///   keys kept `easel check` busy for minutes.
/// - Nesting deeper than ``maxDepth``. Yams builds the tree recursively, on whatever thread runs
///   the prompt, and libyaml allows 1,000 levels.
/// - More than ``maxNodes`` values.
///
/// The scan is one linear pass. A syntax error is left for Yams to report in its own words.
enum YAMLGate {
    /// Deeper than any setting Easel reads (`models: → name: → prices: → per_image: → size`).
    static let maxDepth = 32
    /// Far more than a front matter of 64 KiB or an easel.yml of 1 MiB holds in practice.
    static let maxNodes = 200_000

    /// Why the YAML was refused, and where: 1-based line and column in the YAML text.
    struct Refusal: Equatable, Sendable {
        var message: String
        var line: Int
        var column: Int
    }

    /// The first reason to refuse `yaml`, or nil when Yams may compose it.
    static func check(_ yaml: String) -> Refusal? {
        var text = yaml
        return text.withUTF8 { bytes in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var depth = 0
            var nodes = 0
            while true {
                var event = yaml_event_t()
                // A syntax error: Yams meets it too, and says it with the line and column.
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let mark = event.start_mark
                func refusal(_ message: String) -> Refusal {
                    Refusal(message: message, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
                }
                let anchor: UnsafeMutablePointer<yaml_char_t>?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_ALIAS_EVENT:
                    return refusal(
                        "YAML aliases (*\(name(event.data.alias.anchor))) are not allowed: Easel does not expand"
                            + " them; write the value out in full"
                    )
                case YAML_SCALAR_EVENT:
                    anchor = event.data.scalar.anchor
                    nodes += 1
                case YAML_SEQUENCE_START_EVENT:
                    anchor = event.data.sequence_start.anchor
                    nodes += 1
                    depth += 1
                case YAML_MAPPING_START_EVENT:
                    anchor = event.data.mapping_start.anchor
                    nodes += 1
                    depth += 1
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                    continue
                default:
                    continue
                }
                if let anchor {
                    return refusal(
                        "YAML anchors (&\(name(anchor))) are not allowed: Easel does not expand aliases;"
                            + " write each value out in full"
                    )
                }
                if depth > maxDepth {
                    return refusal(
                        "the YAML is nested more than \(maxDepth) levels deep; Easel reads nothing that deep"
                    )
                }
                if nodes > maxNodes {
                    return refusal(
                        "the YAML holds more than \(maxNodes.formatted()) values; Easel reads at most that many"
                    )
                }
            }
        }
    }

    /// An anchor's name for a message, cut short.
    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String {
        guard let anchor else { return "" }
        let text = String(cString: UnsafeRawPointer(anchor).assumingMemoryBound(to: CChar.self))
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
