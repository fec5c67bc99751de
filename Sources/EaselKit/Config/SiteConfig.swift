public import Foundation

/// The project's easel.yml: site settings, prompt defaults and model-table additions.
public struct SiteConfig: Sendable {
    /// The file name Easel reads in the project folder.
    public static let fileName = "easel.yml"

    /// The text easel.yml was parsed from (empty without one): the site is rendered from it.
    var source = ""
    public var title: String?
    public var description: String?
    /// Where the site will be published, e.g. `https://example.com/gallery/`; enables the feed and sitemap.
    public var baseURL: String?
    /// Cards on each page of the index and of an album; nil: ``defaultPageSize``.
    public var pageSize: Int?
    /// The page size without `page_size`: about 100 cards, an index page of a few hundred KB.
    public static let defaultPageSize = 100
    /// What `page_size` may be.
    static let pageSizes = 1...10_000
    /// How many requests run at once.
    public var concurrency: Int?
    /// The most a build may spend, in US dollars.
    public var maxCost: Double?
    /// Above this estimated cost, `build` asks before spending (on a terminal, without `--yes`).
    public var confirmAbove: Double?
    /// Rows added to (or replacing rows of) the built-in model table.
    public var models: [ModelSpec]
    /// Settings every prompt starts from.
    var defaults: PromptSettings

    /// An empty configuration: what a project without easel.yml gets.
    public init() {
        models = []
        defaults = PromptSettings()
    }
}
