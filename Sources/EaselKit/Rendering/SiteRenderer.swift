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
    /// Every cache entry by the prompt file it was first made for: the earlier versions.
    let history: CacheIndex
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
        let items = try await prepare(outcomes, with: &writer)
        Trace.mark("prepared \(items.count) items")
        let rendered = try await renderPages(pages(items))
        Trace.mark("rendered \(rendered.count) pages")
        for (path, data) in rendered { try writer.write(data, to: path) }
        Trace.mark("wrote pages")
        for (path, data) in theme.assets.sorted(by: { $0.key < $1.key }) {
            try writer.write(data, to: "assets/" + path)
        }
        try writer.write(try galleryJSON(items), to: "gallery.json")
        try writer.finish()
        Trace.mark("site finished")
    }

    /// Publishes every image (originals, placeholders, inputs, earlier versions, thumbnails) and
    /// gathers what each prompt's page needs.
    private func prepare(_ outcomes: [PromptOutcome], with writer: inout SiteWriter) async throws -> [Item] {
        var paths = SitePaths()
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
            for entry in history.entries(firstMadeFor: outcome.prompt.path, except: outcome.key) {
                item.versions.append(
                    Version(record: entry.record, images: try publish(entry, of: outcome.prompt, with: &writer))
                )
            }
            items.append(item)
        }
        Trace.mark("published images")
        try await renderPlaceholders(placeholderJobs, into: writer)
        try await makeThumbnails(for: &items, with: &writer)
        Trace.mark("thumbnails")
        return items
    }

    /// A page to render: where it goes, with which template, from which model.
    struct Page: Sendable {
        var path: String
        var template: String
        var model: any Sendable
    }

    /// Every page: index, albums, prompts, stats, and with base_url the feed and sitemap.
    private func pages(_ items: [Item]) -> [Page] {
        let albums = SiteAlbums(items.compactMap(\.outcome.prompt.album))
        let site = siteInfo(albums)
        var pages = [
            Page(path: "index.html", template: "index", model: indexPage(items, site: site, album: nil, albums: albums))
        ]
        for album in albums.all {
            pages.append(
                Page(
                    path: albums.path(of: album),
                    template: "index",
                    model: indexPage(items, site: site, album: album, albums: albums)
                )
            )
        }
        for item in items {
            pages.append(Page(path: item.page, template: "prompt", model: promptPage(item, site: site, albums: albums)))
        }
        pages.append(Page(path: "stats.html", template: "stats", model: statsPage(items, site: site)))
        if let base = project.config.baseURL {
            let feed = feedPage(items, site: site, base: base, albums: albums)
            pages.append(Page(path: "feed.xml", template: "feed", model: feed))
            pages.append(Page(path: "sitemap.xml", template: "sitemap", model: feed))
        }
        return pages
    }

    /// The models of every page, for tests: images are published as in a build, nothing else is written.
    func pageModels(_ outcomes: [PromptOutcome]) async throws -> [(String, Any)] {
        var writer = SiteWriter(folder: output)
        return pages(try await prepare(outcomes, with: &writer)).map { ($0.path, $0.model as Any) }
    }

    private func siteInfo(_ albums: SiteAlbums) -> SiteInfo {
        SiteInfo(
            title: project.config.title ?? "Gallery",
            description: project.config.description,
            generator: Self.generator,
            baseURL: project.config.baseURL,
            hasFeed: project.config.baseURL != nil,
            albums: albums.links(current: nil)
        )
    }

    /// Renders the pages on every core. A theme without the stats, feed or sitemap template
    /// simply has no such page (index and prompt are checked when the theme loads).
    private func renderPages(_ pages: [Page]) async throws -> [(String, Data)] {
        let library = library
        let chunks = max(1, min(pages.count, ProcessInfo.processInfo.activeProcessorCount * 4))
        let size = (pages.count + chunks - 1) / max(1, chunks)
        return try await withThrowingTaskGroup(of: (Int, [(String, Data)]).self) { group in
            for (index, start) in stride(from: 0, to: pages.count, by: max(1, size)).enumerated() {
                let slice = Array(pages[start..<min(pages.count, start + size)])
                group.addTask {
                    let rendered = slice.compactMap { page -> (String, Data)? in
                        guard let text = library.render(page.model, withTemplate: page.template) else { return nil }
                        return (page.path, Data(text.utf8))
                    }
                    return (index, rendered)
                }
            }
            var results: [(Int, [(String, Data)])] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
