import Foundation
import Testing

@testable import EaselKit

/// Album pages, earlier versions, the stats page, feeds and gallery.json, determinism.
struct SitePagesTests {
    private func build(
        _ project: TemporaryProject,
        source: (any ImageSource)? = RecordingSource()
    ) async throws -> BuildReport {
        try await Builder(project: try project.open(), source: source).build(BuildOptions())
    }

    @Test func everyAlbumHasAPageWithItsPromptsAndThoseInside() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/space/saturn.md", "# Saturn\n\nRings.")
            try project.write("prompts/space/stations/iss.md", "# ISS\n\nA station.")
            try project.write("prompts/cat.md", "# Cat\n\nA cat.")
            _ = try await build(project)
            let space = try project.read("site/albums/space.html")
            #expect(space.contains(">Saturn<") && space.contains(">ISS<") && !space.contains(">Cat<"))
            #expect(space.contains(#"href="../prompts/space/saturn.html""#))
            let stations = try project.read("site/albums/space/stations.html")
            #expect(stations.contains(">ISS<") && !stations.contains(">Saturn<"))
            #expect(stations.contains(#"href="../../assets/style.css""#))
        }
    }

    @Test func longListsArePaginatedAndTheSearchIndexHoldsEveryPrompt() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "page_size: 3\nbase_url: https://example.com/g/\n")
            for index in 1...7 {
                try project.write(
                    "prompts/space/p\(index).md",
                    "---\ndate: 2026-01-0\(index)\n---\n# Planet \(index)\n\nA planet."
                )
            }
            try project.write("prompts/cat.md", "# Cat\n\nA cat.")
            _ = try await build(project, source: nil)
            // Newest first: the dated planets 7…1, then the undated cat.
            let first = try project.read("site/index.html")
            #expect(first.contains(">Planet 7<") && first.contains(">Planet 5<") && !first.contains(">Planet 4<"))
            #expect(first.contains(#"<a class="pagination-step" rel="next" href="page/2.html">"#))
            #expect(first.contains(#"data-easel-index="search-index.js""#))
            let third = try project.read("site/page/3.html")
            #expect(third.contains(">Planet 1<") && third.contains(">Cat<") && !third.contains(">Planet 2<"))
            #expect(third.contains(#"rel="prev" href="../page/2.html""#) && !third.contains(#"rel="next""#))
            #expect(third.contains("<title>Gallery · page 3</title>"))
            #expect(third.contains(#"href="../prompts/cat.html""#))
            // An album is paginated beside its first page; one that fits on a page has no links.
            let album = try project.read("site/albums/space.3.html")
            #expect(album.contains(">Planet 1<") && album.contains(#"rel="prev" href="../albums/space.2.html""#))
            #expect(!project.exists("site/albums/space.4.html"))
            let index = try project.read("site/search-index.js")
            #expect(index.hasPrefix("// ") && index.contains("window.EaselIndex = {"))
            for title in (1...7).map({ "Planet \($0)" }) + ["Cat"] { #expect(index.contains("\"\(title)\"")) }
            let sitemap = try project.read("site/sitemap.xml")
            #expect(
                sitemap.contains("https://example.com/g/page/3.html")
                    && sitemap.contains("https://example.com/g/albums/space.3.html")
            )

            try project.write("easel.yml", "base_url: https://example.com/g/\n")
            _ = try await build(project, source: nil)
            #expect(!project.exists("site/page/2.html") && !project.exists("site/albums/space.2.html"))
            #expect(!(try project.read("site/index.html")).contains("data-easel-pagination"))
        }
    }

    @Test func pageLinksShowTheEndsAndTheNeighbours() {
        #expect(SiteLayout.linkedPages(current: 1, count: 1) == [1])
        #expect(SiteLayout.linkedPages(current: 5, count: 10) == [1, 2, 3, 4, 5, 6, 7, nil, 10])
        #expect(SiteLayout.linkedPages(current: 9, count: 20) == [1, nil, 7, 8, 9, 10, 11, nil, 20])
        #expect(SiteLayout.listPage("index.html", number: 2) == "page/2.html")
        #expect(SiteLayout.listPage("albums/a/b.html", number: 12) == "albums/a/b.12.html")
        #expect(SiteLayout.pageCount(total: 0, size: 100) == 1)
        #expect(SiteLayout.pageCount(total: 201, size: 100) == 3)
    }

    @Test func aPageShowsTheEarlierVersionsOfItsPromptWithAWordDiff() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat on a mat.")
            _ = try await build(project)
            try project.write("prompts/cat.md", "A black cat on a mat.")
            _ = try await build(project)
            let page = try project.read("site/prompts/cat.html")
            #expect(page.contains("A <ins>black </ins>cat on a mat."))
            #expect(try project.open().cache.allEntries().count == 2, "the earlier entry stays")
        }
    }

    @Test func aPageShowsTheNewestEarlierVersionsAndHowManyMore() async throws {
        try await TemporaryProject.with { project in
            let count = SitePublisher.maxVersions + 2
            for take in 1...count {
                try project.write("prompts/cat.md", "A cat on a mat, take \(take).")
                _ = try await build(project)
            }
            let page = try project.read("site/prompts/cat.html")
            #expect(page.components(separatedBy: "<li class=\"version\">").count - 1 == SitePublisher.maxVersions)
            // (Which one is left out depends on the entries' creation times, here the same second.)
            #expect(page.contains("And 1 earlier, kept in the cache and not shown here."))
            #expect(try project.open().cache.allEntries().count == count, "every entry stays in the cache")
        }
    }

    @Test func statsFeedSitemapAndGalleryJSON() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: Feed test\nbase_url: https://example.com/gallery\n")
            try project.write("prompts/cat.md", "# Cat & co\n\nA cat.")
            try project.write("prompts/dog.md", "A dog.")
            _ = try await build(project)
            let stats = try project.read("site/stats.html")
            #expect(stats.contains("<svg") && stats.contains("generation · gpt-image-2"))
            let feed = try project.read("site/feed.xml")
            #expect(feed.contains("https://example.com/gallery/prompts/cat.html") && feed.contains("Cat &amp; co"))
            #expect(try project.read("site/sitemap.xml").contains("https://example.com/gallery/prompts/dog.html"))
            let json =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: project.root.appendingPathComponent("site/gallery.json"))
                ) as? [String: Any]
            #expect((json?["prompts"] as? [[String: Any]])?.count == 2)
            #expect(
                try project.read("site/index.html").contains(
                    #"<meta property="og:image" content="https://example.com/gallery/images/"#
                )
            )
        }
    }

    @Test func withoutABaseURLThereIsNoFeed() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            _ = try await build(project)
            #expect(!project.exists("site/feed.xml") && !project.exists("site/sitemap.xml"))
            #expect(project.exists("site/gallery.json") && project.exists("site/stats.html"))
        }
    }

    @Test func theSameProjectInTwoFoldersBuildsIdenticalSites() async throws {
        let files = [
            "prompts/a.md": "---\ntags: [x]\n---\n# A\n\nA cat.", "prompts/space/b.md": "A planet.",
            "prompts/c.md": "---\nn: 0\n---\nBroken.",
        ]
        var trees: [[String: Data]] = []
        for _ in 0..<2 {
            try await TemporaryProject.with { project in
                for (path, text) in files { try project.write(path, text) }
                _ = try await build(project)
                let site = project.root.appendingPathComponent("site")
                var tree: [String: Data] = [:]
                for case let url as URL in FileManager.default.enumerator(
                    at: site,
                    includingPropertiesForKeys: [.isRegularFileKey]
                )! {
                    guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
                    tree[String(url.path.dropFirst(site.path.count))] = try Data(contentsOf: url)
                }
                trees.append(tree)
            }
        }
        #expect(trees[0].keys.sorted() == trees[1].keys.sorted())
        for (path, data) in trees[0] where trees[1][path] != data { Issue.record("\(path) differs") }
    }
}
