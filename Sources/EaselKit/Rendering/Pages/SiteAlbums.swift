/// The albums of a site (every folder under prompts/ holding prompts, and its parents) and where
/// their pages go: `albums/<slug>.html`, nested like the folders.
struct SiteAlbums: Sendable {
    /// Album paths ("space", "space/stations"), sorted.
    let all: [String]
    private let counts: [String: Int]

    init(_ promptAlbums: [String]) {
        var counts: [String: Int] = [:]
        for album in promptAlbums {
            var parts = album.split(separator: "/").map(String.init)
            while !parts.isEmpty {
                counts[parts.joined(separator: "/"), default: 0] += 1
                parts.removeLast()
            }
        }
        self.counts = counts
        self.all = counts.keys.sorted()
    }

    /// The page of `album`, from the site root.
    func path(of album: String) -> String {
        "albums/" + album.split(separator: "/").map { SitePaths.slug(String($0)) }.joined(separator: "/") + ".html"
    }

    /// Links to the top-level albums (or, with `inside`, to the albums directly inside it).
    func links(current: String?, inside parent: String? = nil) -> [AlbumLink] {
        all.filter { album in
            let depth = album.split(separator: "/").count
            guard let parent else { return depth == 1 }
            return album.hasPrefix(parent + "/") && depth == parent.split(separator: "/").count + 1
        }
        .map { album in
            AlbumLink(
                name: String(album.split(separator: "/").last ?? Substring(album)),
                path: path(of: album),
                count: counts[album] ?? 0,
                isCurrent: album == current
            )
        }
    }

    /// The top-level albums the site navigation shows, at most.
    static let maxNavigation = 12

    /// The links of the site navigation: the top-level albums (``links(current:inside:)``), or, when
    /// there are more than ``maxNavigation``, the current one and the largest, in the same order; and
    /// how many are left out. The navigation is on every page: a gallery with a folder for each of
    /// its 1,000 prompts had 1,000 links on each of 2,000 pages (164 KB a prompt page, 497 MB of site).
    func navigation(current: String?) -> (links: [AlbumLink], omitted: Int) {
        let links = links(current: current)
        guard links.count > Self.maxNavigation else { return (links, 0) }
        let current = links.indices.filter { links[$0].isCurrent }
        let largest = links.indices.filter { !links[$0].isCurrent }
            .sorted { links[$0].count != links[$1].count ? links[$0].count > links[$1].count : $0 < $1 }
            .prefix(Self.maxNavigation - current.count)
        let kept = (current + largest).sorted()
        return (kept.map { links[$0] }, links.count - kept.count)
    }

    /// True when a prompt of `promptAlbum` belongs on `album`'s page (the album or one inside it).
    static func contains(_ album: String, _ promptAlbum: String?) -> Bool {
        guard let promptAlbum else { return false }
        return promptAlbum == album || promptAlbum.hasPrefix(album + "/")
    }

    /// `album` and the albums above it, top first: "space/stations" → space, space/stations.
    func chain(of album: String?) -> [AlbumLink] {
        guard let album else { return [] }
        let parts = album.split(separator: "/").map(String.init)
        return parts.indices.map { index in
            let path = parts[...index].joined(separator: "/")
            return AlbumLink(name: parts[index], path: self.path(of: path), count: counts[path] ?? 0, isCurrent: false)
        }
    }
}
