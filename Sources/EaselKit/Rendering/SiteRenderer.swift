import Foundation
internal import Mustache

/// Writes the static site: originals, placeholders, inputs and their thumbnails; the index, album,
/// prompt and stats pages; the feed, sitemap and gallery.json; the theme's assets.
///
/// The output depends only on the prompts, the cache and the theme — never on the time of the
/// build — and a file is written only when its content changes.
struct SiteRenderer: Sendable {
    let project: Project
    let theme: Theme
    let library: MustacheLibrary
    let output: URL
    let placeholders = PlaceholderRenderer()
    let thumbnailer = Thumbnailer()

    static let generator = "Easel \(EaselVersion.current)"
    /// Thumbnail widths. A card is about 300 CSS pixels wide: ordinary screens take the 320, 2x
    /// screens the 640 (so a 200-card index stays under 2 MB); prompt pages take the 960.
    static let thumbnailWidths = [320, 640, 960]

    /// One prompt's place in the site, gathered before any page is rendered.
    struct Item: Sendable {
        var outcome: PromptOutcome
        var page: String
        var images: [SiteImage]
        var inputs: [SiteImage]
        var versions: [Version]
    }

    /// An earlier cache entry of a prompt, and its published images.
    struct Version: Sendable {
        var record: CacheRecord
        var images: [SiteImage]
    }

    /// An image file of the site, by its path inside the site folder, and its thumbnails.
    struct SiteImage: Sendable {
        var path: String
        var width: Int
        var height: Int
        var label: String
        /// Widths to make thumbnails at; filled into `thumbs` once they exist.
        var thumbnailWidths: [Int] = SiteRenderer.thumbnailWidths
        var thumbs: [Thumb] = []
    }

    /// A thumbnail: path inside the site folder and pixel size.
    struct Thumb: Sendable {
        var path: String
        var width: Int
        var height: Int
    }

    func render(_ outcomes: [PromptOutcome]) async throws {
        var writer = SiteWriter(folder: output)
        var paths = SitePaths()
        let history = try EarlierVersions(cache: project.cache)
        var items: [Item] = []
        var placeholderJobs: [PlaceholderJob] = []
        for outcome in outcomes {
            var item = Item(
                outcome: outcome,
                page: paths.page(for: outcome.prompt),
                images: [],
                inputs: [],
                versions: []
            )
            if let entry = outcome.entry {
                item.images = try publish(entry, of: outcome.prompt, with: &writer)
            } else if outcome.status != .failed, let key = outcome.key, let request = outcome.prompt.request {
                let (image, job) = placeholder(for: request, key: key, prompt: outcome.prompt, with: &writer)
                item.images = [image]
                if let job { placeholderJobs.append(job) }
            }
            if let request = outcome.prompt.request {
                item.inputs = try publishInputs(of: request, key: outcome.key, with: &writer)
            }
            for entry in history.entries(of: outcome.prompt.path, except: outcome.key) {
                item.versions.append(
                    Version(record: entry.record, images: try publish(entry, of: outcome.prompt, with: &writer))
                )
            }
            items.append(item)
        }
        try await renderPlaceholders(placeholderJobs, into: writer)
        try await makeThumbnails(for: &items, with: &writer)
        try writePages(items, with: &writer)
        for (path, data) in theme.assets.sorted(by: { $0.key < $1.key }) {
            try writer.write(data, to: "assets/" + path)
        }
        try writer.finish()
    }

    /// Every page and listing: index, albums, prompts, stats, feed, sitemap, gallery.json.
    private func writePages(_ items: [Item], with writer: inout SiteWriter) throws {
        let albums = SiteAlbums(items.compactMap(\.outcome.prompt.album))
        let site = SiteInfo(
            title: project.config.title ?? "Gallery",
            description: project.config.description,
            generator: Self.generator,
            baseURL: project.config.baseURL,
            hasFeed: project.config.baseURL != nil,
            albums: albums.links(current: nil)
        )
        try write("index", indexPage(items, site: site, album: nil, albums: albums), to: "index.html", with: &writer)
        for album in albums.all {
            let page = indexPage(items, site: site, album: album, albums: albums)
            try write("index", page, to: albums.path(of: album), with: &writer)
        }
        for item in items {
            try write("prompt", promptPage(item, site: site, albums: albums), to: item.page, with: &writer)
        }
        try write("stats", statsPage(items, site: site), to: "stats.html", with: &writer)
        if let base = project.config.baseURL {
            let feed = feedPage(items, site: site, base: base, albums: albums)
            try write("feed", feed, to: "feed.xml", with: &writer)
            try write("sitemap", feed, to: "sitemap.xml", with: &writer)
        }
        try writer.write(try galleryJSON(items, site: site), to: "gallery.json")
    }

    /// Renders `page` with `template` to `path`. The index and prompt templates are required (the
    /// theme is checked when it loads); a theme without the stats, feed or sitemap template simply
    /// has no such page.
    private func write(_ template: String, _ page: Any, to path: String, with writer: inout SiteWriter) throws {
        guard let text = library.render(page, withTemplate: template) else { return }
        try writer.write(Data(text.utf8), to: path)
    }
}
