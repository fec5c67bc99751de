import Foundation

/// Builds what every page and data file shows — the index and album pages, prompt pages, the stats
/// page, the feed and sitemap, `gallery.json` and the search index — from the prompts' items as
/// ``SitePublisher`` gathered them. It reads and writes nothing: which pages are rendered, and the
/// writing, are the renderer's (``SiteRenderer``), what they depend on the ledger's (PageInputs).
struct PageModelBuilder: Sendable {
    typealias Item = SiteRenderer.Item
    typealias SiteImage = SiteRenderer.SiteImage
    typealias Thumb = SiteRenderer.Thumb
    typealias Version = SiteRenderer.Version

    let project: Project
    /// The site folder (for messages, made relative).
    let output: URL

    static let generator = SiteRenderer.generator

    /// ``SitePaths/relative(_:output:project:)`` for this site.
    func relative(_ text: String) -> String { SitePaths.relative(text, output: output, project: project) }

    func siteInfo(_ albums: SiteAlbums) -> SiteInfo {
        SiteInfo(
            title: project.config.title ?? "Gallery",
            description: project.config.description,
            generator: Self.generator,
            baseURL: project.config.baseURL,
            hasFeed: project.config.baseURL != nil,
            navigation: albums.navigation(current: nil)
        )
    }
}
