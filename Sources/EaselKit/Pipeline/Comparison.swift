import Foundation

/// A `compare:` prompt's requests: one per combination of the values of its keys (SPEC §3), each a
/// request of its own with its own cache key — the key a plain prompt with the same settings has.
public struct Comparison: Sendable, Hashable, Codable {
    /// A key compared, and its values as the page labels them, in the order written.
    public struct Axis: Sendable, Hashable, Codable {
        public var key: String
        public var values: [String]
    }

    /// One combination: the index of its value on each axis, and its request, or why it has none.
    public struct Cell: Sendable, Hashable, Codable {
        /// One index into each axis's `values`, in the order of ``Comparison/axes``.
        public var choices: [Int]
        /// The request, or nil when this cell's settings are invalid (the others still build).
        public var request: ImageRequest?
        /// The first error of this cell's settings, with its place, when it has no request.
        public var problem: String?
    }

    public var axes: [Axis]
    /// Every combination, the first axis varying slowest.
    public var cells: [Cell]
    /// The cell whose image is the prompt's card: `pick:`, else the first.
    public var pick: Int

    /// What a cell is, as "gpt-image-2, high": its value on each axis.
    public func label(of cell: Int) -> String {
        zip(axes, cells[cell].choices).map { axis, choice in axis.values[choice] }.joined(separator: ", ")
    }

    /// The value of `key` in `cell`, when `key` is compared.
    public func value(of key: String, in cell: Int) -> String? {
        guard let axis = axes.firstIndex(where: { $0.key == key }) else { return nil }
        return axes[axis].values[cells[cell].choices[axis]]
    }

    enum CodingKeys: String, CodingKey {
        case axes, cells, pick
    }

    init(axes: [Axis], cells: [Cell], pick: Int) {
        (self.axes, self.cells, self.pick) = (axes, cells, pick)
    }

    /// A comparison read back from local state (the parse record) is held to what the loader
    /// makes: every combination of its axes once, in order, at most ``Limits/compareCells``, and a
    /// pick among them. Every index the page reads is then in range.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        axes = try container.decode([Axis].self, forKey: .axes)
        cells = try container.decode([Cell].self, forKey: .cells)
        pick = try container.decode(Int.self, forKey: .pick)
        let counts = axes.map(\.values.count)
        // Bounded before any combination is made: 9 keys of at most 24 values multiply within an Int.
        guard (1...CompareAxisSetting.keys.count).contains(axes.count),
            counts.allSatisfy({ (1...Limits.compareCells).contains($0) }),
            counts.reduce(1, *) == cells.count, cells.count <= Limits.compareCells,
            cells.map(\.choices) == Self.combinations(counts), cells.indices.contains(pick)
        else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a comparison Easel makes")
            )
        }
    }

    /// Every combination of `counts` (one index per axis), the first axis varying slowest.
    static func combinations(_ counts: [Int]) -> [[Int]] {
        counts.reduce([[]]) { partial, count in partial.flatMap { prefix in (0..<count).map { prefix + [$0] } } }
    }
}

extension PromptLoader {
    /// The cells of `compare` over `base` (the prompt's settings without it), each validated on its
    /// own: a value that one model does not take is an error at that value's item for the cells
    /// with that model, and the other cells still build. The errors and warnings of every cell are
    /// added to `diagnostics`, each once.
    func comparison(
        _ compare: Located<[CompareAxisSetting]>,
        pick: Located<[(key: String, value: Located<String>)]>?,
        base: PromptSettings,
        text: String,
        hasHeading: Bool,
        bodyLocation: SourceLocation,
        diagnostics: inout [Diagnostic]
    ) -> Comparison {
        let axes = compare.value
        var seen = Set(diagnostics.map(\.description))
        var cells: [Comparison.Cell] = []
        for choices in Comparison.combinations(axes.map(\.values.count)) {
            var settings = base
            for (axis, choice) in zip(axes, choices) { settings = axis.values[choice].overlaid(on: settings) }
            var validator = PromptValidator(project: project, inputs: inputs, bodyLocation: bodyLocation)
            let request = validator.request(for: settings, text: text, hasHeading: hasHeading)
            for diagnostic in validator.diagnostics where seen.insert(diagnostic.description).inserted {
                diagnostics.append(diagnostic)
            }
            let problem = validator.diagnostics.first(where: \.isError)
            cells.append(Comparison.Cell(choices: choices, request: request, problem: problem?.description))
        }
        var comparison = Comparison(
            axes: axes.map { axis in
                Comparison.Axis(key: axis.key.rawValue, values: axis.values.compactMap { $0.label(of: axis.key) })
            },
            cells: cells,
            pick: 0
        )
        if let pick {
            switch Self.cell(picked: pick.value, in: comparison) {
            case .success(let cell): comparison.pick = cell
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        return comparison
    }

    /// The first cell with every value `pick` names, or an error at the value that matches none.
    private static func cell(
        picked pick: [(key: String, value: Located<String>)],
        in comparison: Comparison
    ) -> Result<Int, Diagnostic> {
        for (key, value) in pick {
            guard let axis = comparison.axes.first(where: { $0.key == key }) else {
                return .failure(
                    .error(
                        "'pick' names '\(key)', which 'compare' does not vary; pick by "
                            + comparison.axes.map(\.key).joined(separator: ", "),
                        at: value.location
                    )
                )
            }
            guard axis.values.contains(value.value) else {
                return .failure(
                    .error(
                        "'pick' \(key) '\(value.value)' is not one of compare's \(axis.values.joined(separator: ", "))"
                            + Suggestion.hint(for: value.value, in: axis.values),
                        at: value.location
                    )
                )
            }
        }
        let cell = comparison.cells.indices.first { cell in
            pick.allSatisfy { comparison.value(of: $0.key, in: cell) == $0.value.value }
        }
        return .success(cell ?? 0)
    }
}
