import Foundation
import Testing

@testable import EaselKit

/// The navigation is on every page and an album's sub-albums on every page of its list: a gallery
/// with a folder for each of its 1,000 prompts had 1,000 links on each of 2,000 pages.
struct AlbumNavigationTests {
    @Test func theNavigationKeepsTheCurrentAlbumAndTheLargestInTheirOrder() {
        // a01…a20, a05 holding 5 prompts, a10…a20 2 each, the others 1.
        let names = (1...20).map { String(format: "a%02d", $0) }
        let prompts = names.flatMap { name -> [String] in
            let count = name == "a05" ? 5 : name >= "a10" ? 2 : 1
            return Array(repeating: name, count: count)
        }
        let albums = SiteAlbums(prompts)
        let (links, omitted) = albums.navigation(current: "a02")
        #expect(links.count == SiteAlbums.maxNavigation)
        #expect(omitted == 8)
        #expect(links.map(\.name) == ["a02", "a05"] + (10...19).map { String(format: "a%02d", $0) })
        #expect(links.first?.isCurrent == true)
        // Twelve or fewer: all of them, nothing left out.
        let few = SiteAlbums(Array(names.prefix(12))).navigation(current: nil)
        #expect(few.links.count == 12 && few.omitted == 0)
    }

    @Test func aGalleryOfManyAlbumsLinksTheRestFromTheIndex() async throws {
        try await TemporaryProject.with { project in
            for index in 1...15 {
                try project.write(String(format: "prompts/a%02d/p.md", index), "# P\(index)\n\nA cat number \(index).")
            }
            var options = BuildOptions()
            options.offline = true
            _ = try await Builder(project: try project.open(), source: nil).build(options)
            let index = try project.read("site/index.html")
            let nav = try #require(index.firstRange(of: "data-easel-nav").map { String(index[$0.lowerBound...]) })
            let navLinks = nav.components(separatedBy: "</nav>")[0]
            #expect(navLinks.components(separatedBy: "href=\"albums/").count - 1 == SiteAlbums.maxNavigation)
            #expect(navLinks.contains("href=\"index.html#albums\">More albums"))
            // The index lists every album, once, where the link goes.
            let list = try #require(
                index.components(separatedBy: "<nav class=\"sub-albums\" id=\"albums\"").dropFirst().first
            )
            let listed = list.components(separatedBy: "</nav>")[0]
            #expect(listed.components(separatedBy: "href=\"albums/").count - 1 == 15)
            // A prompt page links there from its own depth.
            #expect(try project.read("site/prompts/a01/p.html").contains("href=\"../../index.html#albums\""))
        }
    }

    @Test func subAlbumsAreOnTheFirstPageOfAListOnly() async throws {
        try await TemporaryProject.with { project in
            try project.write("easel.yml", "title: T\npage_size: 2\n")
            for index in 1...3 {
                try project.write("prompts/space/s\(index)/p.md", "# P\(index)\n\nA star number \(index).")
            }
            var options = BuildOptions()
            options.offline = true
            _ = try await Builder(project: try project.open(), source: nil).build(options)
            #expect(try project.read("site/albums/space.html").contains("data-easel-subalbums"))
            #expect(!(try project.read("site/albums/space.2.html")).contains("data-easel-subalbums"))
            // Three albums: the navigation shows them all, and the index does not list them again.
            #expect(!(try project.read("site/index.html")).contains("More albums"))
        }
    }
}
