internal import Mustache

/// A `compare:` prompt's cells as its page shows them (`comparison.mustache`): a table whose
/// columns are the values of the last key compared and whose rows are those of the key before it;
/// with three keys or more, a table for each value of the others. Field names are the view's own
/// (`caption`, `heading`, `name`…): a nil field is looked up on the page around it, whose `title`
/// and `status` would answer instead.
final class ComparisonView: Sendable {
    /// "model × quality".
    let keys: String
    /// How many requests the prompt makes.
    let count: Int
    /// The key of the columns, and of the rows (nil when one key is compared).
    let columnKey: String
    let rowKey: String?
    /// The column headings: the last key's values.
    let columns: [String]
    let groups: [ComparisonGroup]

    init(keys: String, count: Int, columnKey: String, rowKey: String?, columns: [String], groups: [ComparisonGroup]) {
        (self.keys, self.count, self.columnKey, self.rowKey) = (keys, count, columnKey, rowKey)
        (self.columns, self.groups) = (columns, groups)
    }
}

/// One table of a comparison: every cell with the same values of the keys before the rows'.
final class ComparisonGroup: Sendable {
    /// "format: webp, seed: 2"; nil when two keys or fewer are compared.
    let caption: String?
    let lines: [ComparisonLine]

    init(caption: String?, lines: [ComparisonLine]) {
        (self.caption, self.lines) = (caption, lines)
    }
}

/// One row of a comparison's table.
final class ComparisonLine: Sendable {
    /// The row key's value; nil when one key is compared.
    let heading: String?
    let cells: [ComparisonCell]

    init(heading: String?, cells: [ComparisonCell]) {
        (self.heading, self.cells) = (heading, cells)
    }
}

/// One request of a comparison: its images, and what it took.
final class ComparisonCell: Sendable {
    /// Its value on each key, "gpt-image-2, high": also what its images are labelled with.
    let name: String
    /// "generated", "cached", "placeholder", "failed".
    let state: String
    /// True for the cell whose image is the prompt's card.
    let isPick: Bool
    let isPlaceholder: Bool
    let shots: [ImageView]
    /// Latency, cost, tokens, created: what the request took.
    let facts: [DetailView]
    /// Why the cell has no image (its settings' error, or the API's), when it has none.
    let trouble: String?

    init(
        name: String,
        state: String,
        isPick: Bool,
        isPlaceholder: Bool,
        shots: [ImageView],
        facts: [DetailView],
        trouble: String?
    ) {
        (self.name, self.state, self.isPick, self.isPlaceholder) = (name, state, isPick, isPlaceholder)
        (self.shots, self.facts, self.trouble) = (shots, facts, trouble)
    }
}

extension ComparisonView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "keys": return keys
        case "count": return count
        case "columnKey": return columnKey
        case "rowKey": return rowKey
        case "columns": return columns
        case "groups": return groups
        default: return nil
        }
    }
}

extension ComparisonGroup: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "caption": return caption
        case "lines": return lines
        default: return nil
        }
    }
}

extension ComparisonLine: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "heading": return heading
        case "cells": return cells
        default: return nil
        }
    }
}

extension ComparisonCell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": return self.name
        case "state": return state
        case "isPick": return isPick
        case "isPlaceholder": return isPlaceholder
        case "shots": return shots
        case "facts": return facts
        case "trouble": return trouble
        default: return nil
        }
    }
}

extension PageModelBuilder {
    /// `sizes` of a comparison cell's image: a column of the table, the whole width on a phone.
    static let cellSizes = "(max-width: 640px) 100vw, 45vw"

    /// The grid of a comparison's cells, for its prompt's page; nil for any other prompt.
    func comparison(_ item: Item, root: String) -> ComparisonView? {
        guard let comparison = item.outcome.prompt.compare, !item.cells.isEmpty else { return nil }
        let axes = comparison.axes
        let columnAxis = axes.count - 1
        let rowAxis = axes.count >= 2 ? axes.count - 2 : nil
        let cells = item.cells.compactMap { cell in cell.outcome.cell.map { ($0, cell) } }
        // The cells in the comparison's order: the first axis varies slowest, so the axes before
        // the rows' make the groups, and each group's cells are its rows one after the other.
        let groupSize = axes[columnAxis].values.count * (rowAxis.map { axes[$0].values.count } ?? 1)
        var groups: [ComparisonGroup] = []
        for start in stride(from: 0, to: cells.count, by: groupSize) {
            let members = cells[start..<min(cells.count, start + groupSize)]
            guard let first = members.first else { continue }
            let choices = comparison.cells[first.0].choices
            let caption =
                axes.count > 2
                ? zip(axes.prefix(axes.count - 2), choices).map { "\($0.key): \($0.values[$1])" }.joined(
                    separator: ", "
                )
                : nil
            let width = axes[columnAxis].values.count
            let lines = stride(from: members.startIndex, to: members.endIndex, by: width).map { lineStart in
                let line = members[lineStart..<min(members.endIndex, lineStart + width)]
                let heading = rowAxis.map { axis in axes[axis].values[comparison.cells[line.first!.0].choices[axis]] }
                return ComparisonLine(
                    heading: heading,
                    cells: line.map { index, cell in comparisonCell(cell, index: index, of: comparison, root: root) }
                )
            }
            groups.append(ComparisonGroup(caption: caption, lines: lines))
        }
        return ComparisonView(
            keys: axes.map(\.key).joined(separator: " × "),
            count: comparison.cells.count,
            columnKey: axes[columnAxis].key,
            rowKey: rowAxis.map { axes[$0].key },
            columns: axes[columnAxis].values,
            groups: groups
        )
    }

    private func comparisonCell(_ cell: Item, index: Int, of comparison: Comparison, root: String) -> ComparisonCell {
        let name = comparison.label(of: index)
        let prompt = cell.outcome.prompt
        let record = cell.outcome.entry?.record
        var facts: [DetailView] = []
        if let record {
            facts.append(
                DetailView(label: "Latency", value: Self.latency(of: record), datetime: nil)
            )
            facts.append(
                DetailView(label: "Cost", value: record.costUSD.map(Display.dollars) ?? "unknown", datetime: nil)
            )
            if let usage = record.usage {
                let tokens = "\(Display.count(usage.inputTokens)) in · \(Display.count(usage.outputTokens)) out"
                facts.append(DetailView(label: "Tokens", value: tokens, datetime: nil))
            }
            facts.append(DetailView(label: "Size", value: displaySize(cell.outcome), datetime: nil))
            facts.append(
                DetailView(label: "Created", value: Display.time(record.created), datetime: Display.iso(record.created))
            )
        }
        let alt = "\(altText(prompt)) (\(name))"
        return ComparisonCell(
            name: name,
            state: status(cell.outcome),
            isPick: index == comparison.pick,
            isPlaceholder: isPlaceholder(cell.outcome),
            shots: cell.images.map { image in
                view(
                    image,
                    alt: alt,
                    root: root,
                    sizes: Self.cellSizes,
                    label: name + (cell.images.count > 1 ? " · \(image.label)" : "")
                )
            },
            facts: facts,
            trouble: cell.outcome.failure
        )
    }
}
