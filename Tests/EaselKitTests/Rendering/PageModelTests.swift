import Foundation
import Mustache
import Testing

@testable import EaselKit

/// The page models answer Mustache's lookups themselves (`child(named:)`) instead of through
/// reflection; every field Mirror sees must be answered, or a template would silently render it empty.
struct PageModelTests {
    /// Checks `value` and everything inside it.
    private mutating func checkFields(of value: Any, path: String) {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            if let wrapped = mirror.children.first?.value { checkFields(of: wrapped, path: path) }
            return
        }
        if mirror.displayStyle == .collection {
            for (index, element) in mirror.children.enumerated() {
                checkFields(of: element.value, path: "\(path)[\(index)]")
            }
            return
        }
        // The models are classes (they were structs): both are checked, or nothing would be.
        guard mirror.displayStyle == .struct || mirror.displayStyle == .class else { return }
        checked += 1
        let parent = value as? any MustacheParent
        #expect(parent != nil, "\(path): \(type(of: value)) is not a MustacheParent")
        for child in mirror.children {
            guard let label = child.label else { continue }
            let present =
                Mirror(reflecting: child.value).displayStyle != .optional
                || Mirror(reflecting: child.value).children.first != nil
            if present {
                let answer = parent?.child(named: label)
                #expect(answer != nil, "\(path).\(label) is not answered by child(named:)")
                // The answer must be the field itself: `case "name": return name` inside
                // `child(named name:)` answered the key, and every model filter read "name".
                if let answer, let expected = Self.scalar(child.value) {
                    #expect(Self.scalar(answer) == expected, "\(path).\(label) answers \(answer), not \(expected)")
                }
            }
            // A list must be known as one, or a theme repeating it inside itself would not be
            // reckoned with it (Theme+Expansion.swift).
            var value = Mirror(reflecting: child.value)
            if value.displayStyle == .optional, let wrapped = value.children.first?.value {
                value = Mirror(reflecting: wrapped)
            }
            if value.displayStyle == .collection {
                #expect(Theme.listNames.contains(label), "\(path).\(label) is a list Theme.listNames lacks")
            }
            checkFields(of: child.value, path: "\(path).\(label)")
        }
    }

    /// How many models ``checkFields(of:path:)`` looked into.
    private var checked = 0

    /// A text, number or flag as text (optionals unwrapped); nil for anything else.
    private static func scalar(_ value: Any) -> String? {
        if let text = value as? String { return text }
        if let number = value as? Int { return String(number) }
        if let flag = value as? Bool { return String(flag) }
        return nil
    }

    @Test func everyFieldOfEveryPageIsAnsweredWithoutReflection() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: T\ndescription: D\nbase_url: https://example.com/\n")
            try project.writeImage("inputs/in.png")
            try project.write(
                "prompts/space/a.md",
                "---\ntags: [x]\nedit: {image: inputs/in.png, mask: {rect: [0, 0, 8, 8]}}\n---\n# A\n\nA cat."
            )
            try project.write("prompts/b.md", "---\nn: 0\n---\nBroken.")
            // A comparison: its grid, with a cell whose size the model does not take.
            try project.write(
                "prompts/c.md",
                "---\ncompare:\n  quality: [low, high]\n  size: [1024x1024, 1000x1000]\n  seed: [1, 2]\n---\nA cup."
            )
            let projectValue = try project.open()
            _ = try await Builder(project: projectValue, source: RecordingSource()).build(BuildOptions())
            try project.write(
                "prompts/space/a.md",
                "---\ntags: [x]\nedit: {image: inputs/in.png, mask: {rect: [0, 0, 8, 8]}}\n---\n# A\n\nA black cat."
            )
            let builder = Builder(project: try project.open(), source: RecordingSource())
            let plan = try builder.plan(BuildOptions())
            let report = try await builder.run(plan, BuildOptions())
            #expect(report.generated == 1)
            let after = try builder.plan(BuildOptions())
            let renderer = SiteRenderer(
                project: try project.open(),
                theme: after.theme,
                library: after.library,
                output: project.root.appendingPathComponent("site"),
                history: after.cacheIndex
            )
            let pages = try await renderer.pageModels(after.outcomes)
            #expect(pages.count >= 5)
            // gallery.json, put together from its prompts, is what encoding it whole prints.
            let json = try await renderer.galleryJSONBothWays(after.outcomes)
            #expect(json.parts == json.whole)
            #expect(String(decoding: json.parts, as: UTF8.self).contains("\"provenance\" : {"))
            #expect(try project.read("site/gallery.json") == String(decoding: json.whole, as: UTF8.self))
            let search = try await renderer.searchIndexBothWays(after.outcomes)
            #expect(search.parts == search.whole)
            #expect(String(decoding: search.parts, as: UTF8.self).contains("\"prompts/space/a.html\""))
            var check = self
            for (name, page) in pages { check.checkFields(of: page, path: name) }
            // Every page, and the cards, images and rows inside them.
            #expect(check.checked > pages.count * 2)
        }
    }
}
