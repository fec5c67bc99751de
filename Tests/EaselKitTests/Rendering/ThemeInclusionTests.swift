import Foundation
import Testing

@testable import EaselKit

/// A theme whose templates include themselves made the renderer recurse until the process died
/// (a segmentation fault, the site half written); it is refused when the theme loads.
struct ThemeInclusionTests {
    @Test func partialAndParentTagsAreFoundAsMustacheReadsTags() {
        let text = """
            {{<base}}{{$main}}
              {{ > nav }} {{title}} {{! {{> commented}} }}
            {{>*dynamic}}
            {{=<% %>=}}<%> hidden %> {{> notATag}}
            <%={{ }}=%>{{> back}}{{/main}}{{/base}}
            """
        let found = Theme.inclusions(in: text)
        #expect(
            found == [
                .init(name: "base", line: 1, column: 1), .init(name: "nav", line: 2, column: 3),
                .init(name: nil, line: 3, column: 1), .init(name: "hidden", line: 4, column: 12),
                .init(name: "back", line: 5, column: 12),
            ]
        )
    }

    @Test func theBuiltInThemeHasNoCycle() throws {
        try Theme.builtin.refuseCycles()
        #expect(Theme.inclusions(in: Theme.builtin.templates["base"] ?? "").count >= 3)
    }

    @Test func aCardThatIncludesItselfIsRefusedWhereItDoesNotABuildThatCrashes() async throws {
        try await TemporaryProject.with { project in
            try project.write("templates/card.mustache", "{{% CONTENT_TYPE: HTML }}\n<li>{{> card}}</li>\n")
            try project.write("prompts/a.md", "# A\n\nA cat.")
            if let error = try await project.themeErrorOfOfflineBuild() {
                #expect(error.template == "templates/card.mustache")
                #expect((error.line, error.column) == (2, 5))
                #expect(error.message.contains("(card → card)"))
            }
            #expect(!project.exists("site"))
        }
    }

    @Test func aCycleThroughOtherTemplatesAndHiddenDelimitersIsRefused() async throws {
        try await TemporaryProject.with { project in
            try project.write("templates/footer.mustache", "<footer>\n{{=<% %>=}}<%> nav %></footer>\n")
            try project.write("templates/nav.mustache", "<nav>{{#site.albums}}{{> footer}}{{/site.albums}}</nav>\n")
            let theme = try Theme.load(overridesIn: project.root.appendingPathComponent("templates"))
            #expect {
                try theme.library()
            } throws: { error in
                guard let error = error as? ThemeError else { return false }
                // Found from base, which includes nav first; footer's tag back is behind other delimiters.
                return error.template == "templates/nav.mustache" && error.line == 1 && error.column == 22
                    && error.message.contains("(nav → footer → nav)")
            }
        }
    }

    @Test func aDynamicPartialIsRefused() throws {
        var theme = Theme.builtin
        theme.add(path: "card.mustache", data: Data("{{>*which}}".utf8))
        #expect {
            try theme.refuseCycles()
        } throws: { error in
            (error as? ThemeError)?.template == "templates/card.mustache"
                && (error as? ThemeError)?.message.contains("its data names") == true
        }
    }

    @Test func aChainOfPartialsIsBoundedInDepth() throws {
        func chain(_ length: Int) -> Theme {
            var theme = Theme.builtin
            for index in 0..<length { theme.add(path: "t\(index).mustache", data: Data("{{> t\(index + 1)}}".utf8)) }
            theme.add(path: "t\(length).mustache", data: Data("end".utf8))
            return theme
        }
        try chain(Theme.inclusionDepth - 2).refuseCycles()
        #expect {
            try chain(Theme.inclusionDepth + 5).refuseCycles()
        } throws: { error in
            (error as? ThemeError)?.message.contains("more than \(Theme.inclusionDepth) deep") == true
                && (error as? ThemeError)?.template == "templates/t0.mustache"
        }
        // Ten thousand templates in a chain: refused, not a stack overflow of the check itself.
        #expect(throws: ThemeError.self) { try chain(10_000).refuseCycles() }
    }

    @Test func sectionsNestedTooDeepAreRefusedBeforeTheyAreParsed() async throws {
        let limit = Theme.nestingDepth
        try Theme.refuseDeepNesting(
            String(repeating: "{{#a}}", count: limit) + String(repeating: "{{/a}}", count: limit),
            of: "card"
        )
        let deep = "x\n" + String(repeating: "{{#a}}{{/a}}", count: 100) + String(repeating: "{{^b}}", count: limit + 1)
        #expect {
            try Theme.refuseDeepNesting(deep, of: "card")
        } throws: { error in
            let error = error as? ThemeError
            return error?.template == "templates/card.mustache" && error?.line == 2
                && error?.column == 1 + 100 * 12 + limit * 6
        }
        // 100,000 nested sections: a segmentation fault while parsing, before.
        try await TemporaryProject.with { project in
            try project.write(
                "templates/card.mustache",
                String(repeating: "{{#title}}", count: 100_000) + String(repeating: "{{/title}}", count: 100_000)
            )
            try project.write("prompts/a.md", "# A\n\nA cat.")
            var options = BuildOptions()
            options.offline = true
            await #expect(throws: ThemeError.self) {
                _ = try await Builder(project: try project.open(), source: nil).build(options)
            }
        }
    }
}
