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
