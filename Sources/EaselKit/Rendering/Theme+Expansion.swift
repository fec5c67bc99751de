import Foundation

/// A section over a list renders its content once for each item, and swift-mustache looks a name
/// up on every object around it: `{{#cards}}` inside the card of an index page is the page's
/// cards again, so a card holding `{{#cards}}{{#cards}}{{#cards}}…{{/cards}}{{/cards}}{{/cards}}`
/// made each page of 100 cards 100⁴ cards long. Such a theme (a cloned gallery's templates/ could
/// hold one) ran `easel build` for as long as it was let run, its memory growing with the page; a
/// partial included a thousand times by a partial included a thousand times did the same without
/// a list. swift-mustache has no limit of its own on what it renders, so the theme is measured
/// when it loads, before anything is rendered: every template's largest page, reckoned with every
/// list `assumedListLength` items long (or as long as `assumedLengths` says) and every value
/// `assumedValueBytes` long, must stay under `expansionLimit`. The built-in theme comes to 1.5 MB at
/// most (its index: 100 cards of 30 tags, 100 albums in the navigation; `ThemeExpansionTests`). What a real list of 10,000 cards makes is the data's size, not a repetition
/// of the theme, and is not what this bounds.
extension Theme {
    /// The items each list is reckoned to hold, unless ``assumedLengths`` says otherwise.
    static let assumedListLength = 100
    /// Lists with a bound of their own: a request's images (n ≤ 10), an edit's inputs (16), their
    /// credentials; a prompt's tags, settings and problems as they come; a comparison's grid.
    static let assumedLengths: [String: Int] = [
        "images": 10, "inputs": 16, "credentials": 10, "tags": 30, "details": 40, "problems": 20, "parents": 32,
        // A comparison: at most 24 cells (``Limits/compareCells``) in its groups, lines and columns,
        // reckoned as a grid of 4 × 3 × 4 with two images a cell.
        "columns": 24, "groups": 4, "lines": 3, "cells": 4, "shots": 2, "facts": 8,
    ]
    /// The bytes each value is reckoned to take.
    static let assumedValueBytes = 64
    /// The most a page may come to, so reckoned.
    static let expansionLimit = 64 << 20

    /// The fields of the page models that hold lists, by name: a section over one of them renders
    /// its content once per item (`PageModelTests` checks every list field of every model is here).
    static let listNames: Set<String> = [
        "albums", "cards", "credentials", "details", "entries", "images", "inputs", "links", "models", "parents",
        "problems", "rows", "subAlbums", "tags", "totals", "versions", "listPages", "columns", "groups", "lines",
        "cells", "shots", "facts", "qualities",
    ]

    /// swift-mustache's transforms whose result is not a list (`{{#empty(cards)}}` renders once).
    private static let scalarTransforms: Set<String> = [
        "first", "last", "count", "empty", "capitalized", "lowercased", "uppercased", "equalzero", "plusone",
        "minusone", "even", "odd",
    ]

    /// How often a section tag's content may be rendered: `assumedListLength` when it names a
    /// list (through transforms that keep it one: `reversed`, `sorted`), else once.
    static func repeats(ofSection rest: ArraySlice<UInt8>) -> Int {
        let parts = String(decoding: rest, as: UTF8.self).split(separator: "(", omittingEmptySubsequences: false)
        if let outer = parts.dropLast().first, scalarTransforms.contains(outer.trimmingCharacters(in: .whitespaces)) {
            return 1
        }
        let name = parts.last?.split(separator: ")").first?.trimmingCharacters(in: .whitespaces) ?? ""
        let last = name.split(separator: ".").last.map(String.init) ?? ""
        return listNames.contains(last) ? assumedLengths[last] ?? assumedListLength : 1
    }

    /// What a template comes to at most (``refuseRunawayExpansion()``): its bytes, and how often
    /// the content of its blocks may be rendered (for a template that is a parent of others).
    struct Expansion {
        var bytes: Int
        var blockRepeats: Int
    }

    /// Throws ``ThemeError`` at the tag of the first template whose largest page, reckoned as the
    /// extension's comment says, comes to more than ``expansionLimit``. To be asked after
    /// ``refuseCycles()``, which bounds the recursion here as it bounds the renderer's.
    func refuseRunawayExpansion() throws {
        var done: [String: Expansion] = [:]
        for name in templates.keys.sorted() { _ = try expansion(of: name, &done) }
    }

    /// ``Expansion`` of the template `name`; 0 bytes for a template the theme does not have (a
    /// partial that renders nothing).
    func expansion(of name: String, _ done: inout [String: Expansion]) throws -> Expansion {
        if let known = done[name] { return known }
        guard let text = templates[name] else { return Expansion(bytes: 0, blockRepeats: 1) }
        // The sections open around the current tag: how often each repeats its content, what it
        // is over, where it opens.
        var open: [(repeats: Int, name: String, tag: Tag)] = []
        var repeats = 1
        var bytes = 0
        var blockRepeats = 1
        var last = 0
        func refusal(at tag: Tag?, including included: (name: String, bytes: Int)? = nil) -> ThemeError {
            let lists = open.filter { $0.repeats > 1 }
            let at = lists.last?.tag ?? tag
            let with = included.map {
                ", with \($0.name), which it includes, reckoned at \($0.bytes.formatted()) bytes,"
            }
            let why =
                lists.isEmpty
                ? "includes so many templates, so many times\(with ?? ""), that a page could come to more than "
                    + "\(Self.expansionLimit >> 20) MB: include fewer"
                : "repeats its content for every item of \(lists.map(\.name).joined(separator: " → "))\(with ?? "") "
                    + "(a list counted as \(Self.assumedListLength) items, a prompt's images as 10), so that a page "
                    + "could come to more than \(Self.expansionLimit >> 20) MB: sections over lists inside one another "
                    + "multiply (one over the page's cards inside a card renders them all again for every card); "
                    + "take the inner one out"
            return ThemeError(
                template: "templates/\(name).mustache",
                line: at?.line ?? 1,
                column: at?.column ?? 1,
                message: why
            )
        }
        func add(_ amount: Int, at tag: Tag?, including included: String? = nil) throws {
            let (product, overflowed) = amount.multipliedReportingOverflow(by: repeats)
            let (sum, overflowedSum) = bytes.addingReportingOverflow(product)
            guard !overflowed, !overflowedSum, sum <= Self.expansionLimit else {
                throw refusal(at: tag, including: included.map { ($0, amount) })
            }
            bytes = sum
        }
        // Held just above the limit: anything rendered in it is then refused, without overflow.
        func times(_ a: Int, _ b: Int) -> Int {
            let (product, overflowed) = a.multipliedReportingOverflow(by: b)
            return overflowed ? Self.expansionLimit + 1 : min(product, Self.expansionLimit + 1)
        }
        func enter(_ count: Int, _ what: String, _ tag: Tag) {
            open.append((count, what, tag))
            repeats = times(repeats, count)
        }
        for tag in Self.tags(in: text) {
            try add(tag.start - last, at: tag)
            last = tag.end
            let named = String(decoding: tag.rest, as: UTF8.self)
            switch tag.sigil {
            case UInt8(ascii: "#"):
                enter(Self.repeats(ofSection: tag.rest), named, tag)
            case UInt8(ascii: "^"):
                enter(1, named, tag)
            case UInt8(ascii: "$"):
                blockRepeats = max(blockRepeats, repeats)
                enter(1, named, tag)
            case UInt8(ascii: "<"):
                // The parent, with the blocks given here rendered where its blocks are.
                let parent = try expansion(of: named, &done)
                try add(parent.bytes, at: tag, including: named)
                enter(parent.blockRepeats, named, tag)
            case UInt8(ascii: "/"):
                open.removeLast(open.isEmpty ? 0 : 1)
                repeats = open.reduce(1) { times($0, $1.repeats) }
            case UInt8(ascii: ">"):
                try add(try expansion(of: named, &done).bytes, at: tag, including: named)
            case UInt8(ascii: "!"), UInt8(ascii: "%"):
                continue
            default:
                try add(Self.assumedValueBytes, at: tag)
            }
        }
        try add(text.utf8.count - last, at: nil)
        let expansion = Expansion(bytes: bytes, blockRepeats: blockRepeats)
        done[name] = expansion
        return expansion
    }
}
