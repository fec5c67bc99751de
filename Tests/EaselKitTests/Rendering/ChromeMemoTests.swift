import Foundation
import Mustache
import Testing

@testable import EaselKit

/// The built-in navigation and footer of the prompt pages are rendered once for each depth
/// (``ChromeMemo``): every page must be the bytes rendering them in each page makes.
struct ChromeMemoTests {
    @Test(arguments: ["nav", "footer"])
    func chromeRenderedOnceIsWhatEachPageRenders(template: String) async throws {
        try await TemporaryProject.with { project in
            // Prompt pages at three depths, albums for the navigation, a feed link in the footer.
            try project.write("easel.yml", "title: Chrome & <co>\nbase_url: https://example.com/g/\npage_size: 2\n")
            for (index, album) in ["", "space/", "space/stations/", "sea/", "sea/", "space/"].enumerated() {
                try project.write("prompts/\(album)p\(index).md", "# Prompt \(index)\n\nA study \(index).")
            }
            let source = RecordingSource()
            _ = try await Builder(project: try project.open(), source: source).build(BuildOptions())
            let once = try project.snapshot().files
            let templates = project.root.appendingPathComponent("templates")
            #expect(try Theme.load(overridesIn: templates).rendersChromeOnce)
            // The same template as a file of the project's own: rendered in each page.
            let own = try #require(Theme.builtin.templates[template])
            try project.write("templates/\(template).mustache", own + "{{! the project's own }}\n")
            #expect(try !Theme.load(overridesIn: templates).rendersChromeOnce)
            _ = try await Builder(project: try project.open(), source: source).build(BuildOptions())
            let each = try project.snapshot().files
            let pages = once.keys.filter { $0.hasSuffix(".html") }
            #expect(pages.filter { $0.hasPrefix("prompts/space/stations/") }.count == 1)
            #expect(Set(pages) == Set(each.keys.filter { $0.hasSuffix(".html") }))
            for page in pages.sorted() {
                #expect(once[page] == each[page], "\(page) differs")
            }
            // The index marks "All" through its block, the prompt pages nothing.
            let index = String(decoding: once["index.html"] ?? Data(), as: UTF8.self)
            let prompt = String(decoding: once["prompts/space/stations/p2.html"] ?? Data(), as: UTF8.self)
            #expect(index.contains("index.html\" aria-current=\"page\">All"))
            #expect(prompt.contains("href=\"../../../albums/space.html\">space"))
            #expect(prompt.contains("href=\"../../../index.html\">All") && !prompt.contains("\"page\">All"))
            #expect(prompt.contains("<a href=\"../../../feed.xml\" type=\"application/atom+xml\">Feed</a>"))
        }
    }

    @Test func aThemesOwnPromptPageOrLayoutRendersItsOwnChrome() throws {
        for name in ["base", "prompt", "nav", "footer"] {
            var theme = Theme.builtin
            #expect(theme.rendersChromeOnce)
            theme.add(path: "\(name).mustache", data: Data(((theme.templates[name] ?? "") + "{{! own }}").utf8))
            #expect(!theme.rendersChromeOnce, "\(name)")
        }
    }

    @Test func theChromeOfOneDepthIsRenderedOnce() throws {
        let library = try Theme.builtin.library()
        let site = SiteInfo(
            title: "A <site>",
            description: nil,
            generator: "Easel",
            baseURL: nil,
            hasFeed: false,
            navigation: ([AlbumLink(name: "space", path: "albums/space.html", count: 3, isCurrent: false)], 0)
        )
        let memo = ChromeMemo()
        let first = try #require(memo.chrome(root: "../", site: site, with: library))
        #expect(first.nav.contains("href=\"../albums/space.html\"") && first.nav.hasPrefix("<nav class=\"site-nav\""))
        #expect(first.footer.contains("A &lt;site&gt;") && !first.footer.contains("feed.xml"))
        let again = try #require(memo.chrome(root: "../", site: site, with: library))
        #expect(again.nav == first.nav && again.footer == first.footer)
        let top = try #require(memo.chrome(root: "", site: site, with: library))
        #expect(top.nav.contains("href=\"albums/space.html\""))
        #expect(memo.summary == "navigation and footer rendered 2 times")
    }
}

/// A detail row's `valueHTML` is what the row rendered from `value` and `.datetime` before.
struct DetailRowTests {
    @Test(arguments: [nil, "2026-12-04T10:00:00Z", "<\"&'>"])
    func valueHTMLIsTheValueAndTimeTheTemplateRendered(datetime: String?) throws {
        let row = DetailView(label: "Created", value: "4 Dec <2026> & \"later\" 'then'", datetime: datetime)
        var library = try Theme.builtin.library()
        let before =
            "{{% CONTENT_TYPE: HTML }}{{#.datetime}}<time datetime=\"{{.}}\">{{value}}</time>{{/.datetime}}"
            + "{{^.datetime}}{{value}}{{/.datetime}}"
        library.register(try MustacheTemplate(string: before), named: "row-before")
        library.register(try MustacheTemplate(string: "{{% CONTENT_TYPE: HTML }}{{{valueHTML}}}"), named: "row-now")
        let expected = try #require(library.render(row, withTemplate: "row-before"))
        #expect(expected.contains("&lt;2026&gt; &amp; &quot;later&quot; &#39;then&#39;"))
        #expect(library.render(row, withTemplate: "row-now") == expected)
        #expect(row.valueHTML.hasPrefix("<time") == (datetime != nil))
    }
}
