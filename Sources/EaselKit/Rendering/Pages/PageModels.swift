// View models handed to the Mustache templates. Mustache reads values through Mirror, which only
// sees stored properties: every field here is a stored `let`, computed once by `SiteRenderer`.
// Optional values render their section only when present (`{{#cost}}…{{/cost}}`).
//
// They are final classes, not structs: Mustache holds every value as `Any` and casts it to its
// protocols at each lookup, and a struct of twenty fields is copied out of its box (a retain per
// field) at every cast where a class is one pointer. Prompt pages of a 1,000-prompt re-render took
// 767 ms of render time as structs and about 400 as classes (EASEL_TRACE=1). Immutable and
// `Sendable` as the structs were; nothing compares them by identity.

/// Values every page shares.
final class SiteInfo: Sendable {
    /// Site title from easel.yml (default "Gallery": not the folder name, so that the same project
    /// builds the same site wherever it is checked out).
    let title: String
    let description: String?
    /// "Easel 0.1.0", for the footer and `<meta name="generator">`.
    let generator: String
    /// easel.yml's `base_url` ("https://example.com/gallery/"), nil when not set.
    let baseURL: String?
    /// True when feed.xml and sitemap.xml are written (base_url is set).
    let hasFeed: Bool
    /// Albums, for the site navigation: name, relative URL from the site root, prompt count (at
    /// most `SiteAlbums.maxNavigation`).
    let albums: [AlbumLink]
    /// Top-level albums the navigation leaves out, nil for none: the first page of the index lists
    /// them all (its `subAlbums`).
    let albumsOmitted: Int?

    init(
        title: String,
        description: String?,
        generator: String,
        baseURL: String?,
        hasFeed: Bool,
        navigation: (links: [AlbumLink], omitted: Int)
    ) {
        self.title = title
        self.description = description
        self.generator = generator
        self.baseURL = baseURL
        self.hasFeed = hasFeed
        self.albums = navigation.links
        self.albumsOmitted = navigation.omitted.shownCount
    }
}

/// An album in the navigation.
final class AlbumLink: Sendable {
    let name: String
    /// Path from the site root, e.g. "albums/space.html".
    let path: String
    let count: Int
    /// True on the page of this album.
    let isCurrent: Bool

    init(name: String, path: String, count: Int, isCurrent: Bool) {
        self.name = name
        self.path = path
        self.count = count
        self.isCurrent = isCurrent
    }
}

/// Open Graph / Twitter card values of a page.
final class SocialView: Sendable {
    let title: String
    let description: String
    /// The image: absolute when base_url is set, else relative from the page.
    let image: String?
    let imageWidth: Int?
    let imageHeight: Int?
    /// The page's absolute URL when base_url is set.
    let url: String?

    init(title: String, description: String, image: String?, imageWidth: Int?, imageHeight: Int?, url: String?) {
        self.title = title
        self.description = description
        self.image = image
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.url = url
    }
}

/// An image shown on a page: a generated result, a placeholder, an edit input or a mask.
final class ImageView: Sendable {
    /// Relative URL of the image to show from the page: the smaller thumbnail when there is one.
    let src: String
    /// Relative URL of the full-size original (what a click opens).
    let full: String
    /// "thumbs/x-480.webp 480w, thumbs/x-960.webp 960w" when thumbnails exist, else nil.
    let srcset: String?
    /// The `sizes` attribute to go with `srcset`.
    let sizes: String?
    /// Pixel size of the original (`width` and `height` are those of `src`).
    let fullWidth: Int
    let fullHeight: Int
    let width: Int
    let height: Int
    /// Alt text from the prompt.
    let alt: String
    /// Short label, e.g. "Image 1 of 2", "Input", "Mask".
    let label: String

    init(
        src: String,
        full: String,
        srcset: String?,
        sizes: String?,
        fullWidth: Int,
        fullHeight: Int,
        width: Int,
        height: Int,
        alt: String,
        label: String
    ) {
        self.src = src
        self.full = full
        self.srcset = srcset
        self.sizes = sizes
        self.fullWidth = fullWidth
        self.fullHeight = fullHeight
        self.width = width
        self.height = height
        self.alt = alt
        self.label = label
    }
}

/// A tag, album or model with how many prompts carry it (the index filters).
final class FacetView: Sendable {
    let name: String
    let count: Int

    init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

/// One thumbnail on the index.
final class CardView: Sendable {
    let title: String
    /// Relative URL of the prompt's page from index.html.
    let url: String
    /// Album path ("space/stations"), nil for prompts at the top of prompts/.
    let album: String?
    let tags: [String]
    let model: String
    let size: String
    /// "6.2 s"; nil for placeholders and failures.
    let latency: String?
    /// Readable creation time ("25 Nov 2026, 09:14 UTC") and the same instant in ISO 8601.
    let created: String?
    let createdISO: String?
    /// "generated", "placeholder" or "failed".
    let status: String
    let isPlaceholder: Bool
    let isFailed: Bool
    /// The first image; nil when the prompt failed before producing anything.
    let image: ImageView?
    /// Lower-cased title, prompt text, tags, album and model: what the index search looks in.
    let searchText: String
    /// How many images the request made (the card shows a count when more than one).
    let imageCount: Int
    /// "generation", "edit" or "variation".
    let kind: String
    /// Sort key for "sort by date" (ISO 8601 date or empty).
    let sortDate: String
    /// The models the card is filtered by: its own, or every model of a comparison's cells.
    let models: [String]
    /// How many requests a `compare:` prompt's card stands for; 0 for any other prompt.
    let compareCells: Int
    /// The card as the built-in card template renders it, when it was rendered once for the list
    /// pages that show it (``CardMemo``); nil otherwise.
    let builtinCardHTML: String?

    init(
        title: String,
        url: String,
        album: String?,
        tags: [String],
        model: String,
        size: String,
        latency: String?,
        created: String?,
        createdISO: String?,
        status: String,
        isPlaceholder: Bool,
        isFailed: Bool,
        image: ImageView?,
        searchText: String,
        imageCount: Int,
        kind: String,
        sortDate: String,
        models: [String],
        compareCells: Int = 0,
        builtinCardHTML: String? = nil
    ) {
        self.title = title
        self.url = url
        self.album = album
        self.tags = tags
        self.model = model
        self.size = size
        self.latency = latency
        self.created = created
        self.createdISO = createdISO
        self.status = status
        self.isPlaceholder = isPlaceholder
        self.isFailed = isFailed
        self.image = image
        self.searchText = searchText
        self.imageCount = imageCount
        self.kind = kind
        self.sortDate = sortDate
        self.models = models
        self.compareCells = compareCells
        self.builtinCardHTML = builtinCardHTML
    }

    /// This card with its text rendered once (``CardMemo``).
    func with(builtinCardHTML html: String?) -> CardView {
        CardView(
            title: title,
            url: url,
            album: album,
            tags: tags,
            model: model,
            size: size,
            latency: latency,
            created: created,
            createdISO: createdISO,
            status: status,
            isPlaceholder: isPlaceholder,
            isFailed: isFailed,
            image: image,
            searchText: searchText,
            imageCount: imageCount,
            kind: kind,
            sortDate: sortDate,
            models: models,
            compareCells: compareCells,
            builtinCardHTML: html
        )
    }
}

/// The index page, and each album's page (same template, `album` set).
final class IndexPage: Sendable {
    let site: SiteInfo
    /// Relative prefix from this page to the site root ("" for index.html).
    let root: String
    /// The album this page shows ("space/stations"), nil for the whole gallery.
    let album: String?
    /// The page's heading: the site title, or the album's name.
    let heading: String
    /// Albums inside this one (for the whole gallery: the top-level albums), on the first page of
    /// its list only.
    let subAlbums: [AlbumLink]
    /// The albums above this one, top first (empty for a top-level album and the gallery).
    let parents: [AlbumLink]
    let social: SocialView
    let cards: [CardView]
    let albums: [FacetView]
    let tags: [FacetView]
    let models: [FacetView]
    /// Albums, tags and models the filters leave out (the list has more than
    /// `PageModelBuilder.maxFacets`); nil for none.
    let albumsOmitted: Int?
    let tagsOmitted: Int?
    let modelsOmitted: Int?
    let total: Int
    let placeholders: Int
    let failures: Int
    /// Where this page stands among the pages of its list; nil when the list fits on one page.
    let pagination: PaginationView?
    /// The search index (`search-index.js`) from this page, for the script to search the whole
    /// list when the cards of one page are not all of it; nil when they are.
    let searchIndex: String?

    init(
        site: SiteInfo,
        root: String,
        album: String?,
        heading: String,
        subAlbums: [AlbumLink],
        parents: [AlbumLink],
        social: SocialView,
        cards: [CardView],
        albums: [FacetView],
        tags: [FacetView],
        models: [FacetView],
        albumsOmitted: Int?,
        tagsOmitted: Int?,
        modelsOmitted: Int?,
        total: Int,
        placeholders: Int,
        failures: Int,
        pagination: PaginationView?,
        searchIndex: String?
    ) {
        self.site = site
        self.root = root
        self.album = album
        self.heading = heading
        self.subAlbums = subAlbums
        self.parents = parents
        self.social = social
        self.cards = cards
        self.albums = albums
        self.tags = tags
        self.models = models
        self.albumsOmitted = albumsOmitted
        self.tagsOmitted = tagsOmitted
        self.modelsOmitted = modelsOmitted
        self.total = total
        self.placeholders = placeholders
        self.failures = failures
        self.pagination = pagination
        self.searchIndex = searchIndex
    }
}

/// A page of a paginated list (the index or an album) and the links to the others.
final class PaginationView: Sendable {
    /// This page's number, from 1.
    let number: Int
    /// How many pages the list has.
    let count: Int
    /// The positions of this page's first and last cards in the list, from 1.
    let first: Int
    let last: Int
    /// Relative URLs of the pages before and after this one.
    let previous: String?
    let next: String?
    /// The first and last pages, and those around this one; a gap where pages are left out.
    let links: [PageLinkView]

    var isFirst: Bool { number == 1 }

    init(number: Int, count: Int, first: Int, last: Int, previous: String?, next: String?, links: [PageLinkView]) {
        self.number = number
        self.count = count
        self.first = first
        self.last = last
        self.previous = previous
        self.next = next
        self.links = links
    }
}

/// A numbered link of a pagination, or a gap between two.
final class PageLinkView: Sendable {
    let number: Int
    /// Relative URL from the page the link is on; nil for a gap.
    let url: String?
    let isCurrent: Bool
    var isGap: Bool { url == nil }

    init(number: Int, url: String?, isCurrent: Bool) {
        self.number = number
        self.url = url
        self.isCurrent = isCurrent
    }
}

/// A problem shown on a failed prompt's page.
final class ProblemView: Sendable {
    /// "prompts/x.md:3:7"
    let location: String
    let message: String

    init(location: String, message: String) {
        self.location = location
        self.message = message
    }
}

/// A labelled value in the prompt page's details table ("Model", "gpt-image-2").
final class DetailView: Sendable {
    let label: String
    let value: String
    /// Machine form when the value is a time (`<time datetime>`), else nil.
    let datetime: String?
    /// The value as the built-in theme shows it, escaped by Easel: in a `<time>` element when it
    /// has a `datetime`. One lookup where the value and its time were four, and a section: the
    /// rows were a third of a prompt page's render (`{{{valueHTML}}}`).
    let valueHTML: String

    init(label: String, value: String, datetime: String?) {
        self.label = label
        self.value = value
        self.datetime = datetime
        let escaping = HTMLEscaping()
        valueHTML =
            datetime.map { "<time datetime=\"\(escaping.escapeText($0))\">\(escaping.escapeText(value))</time>" }
            ?? escaping.escapeText(value)
    }
}

/// One prompt's page.
final class PromptPage: Sendable {
    let site: SiteInfo
    /// Relative prefix from this page to the site root, e.g. "../../".
    let root: String
    let title: String
    let album: String?
    let tags: [String]
    /// Path of the prompt file inside the project, e.g. "prompts/space/death-star.md".
    let file: String
    /// The prompt rendered by cmark (raw HTML omitted). Inserted unescaped: `{{{html}}}`.
    let html: String
    /// "generation", "edit" or "variation".
    let kind: String
    let status: String
    let isPlaceholder: Bool
    let isFailed: Bool
    let images: [ImageView]
    /// Edit inputs and the mask, shown beside the result.
    let inputs: [ImageView]
    /// Model, size, quality, format, latency, created, tokens, cost, … in display order.
    let details: [DetailView]
    let problems: [ProblemView]
    /// The prompt's album and those above it, top first (empty at the top of prompts/).
    let parents: [AlbumLink]
    /// Earlier versions of this prompt (cache entries it used before), newest first.
    let versions: [VersionView]
    /// Earlier versions older than those shown, nil for none.
    let versionsOmitted: Int?
    /// The Content Credentials of each original and edit input shown; empty for placeholders.
    let credentials: [CredentialsView]
    /// A public verifier to link (never load), e.g. "https://contentcredentials.org/verify".
    let verifier: String
    let social: SocialView
    /// A `compare:` prompt's cells side by side; nil for any other prompt (whose `images` show).
    let comparison: ComparisonView?
    /// For a request waiting in a batch: where, and since when ("in batch batch_… , submitted …").
    let queuedNote: String?
    /// The built-in navigation and footer rendered once for the prompt pages at this depth
    /// (``ChromeMemo``); nil otherwise.
    let builtinNavHTML: String?
    let builtinFooterHTML: String?

    init(
        site: SiteInfo,
        root: String,
        title: String,
        album: String?,
        tags: [String],
        file: String,
        html: String,
        kind: String,
        status: String,
        isPlaceholder: Bool,
        isFailed: Bool,
        images: [ImageView],
        inputs: [ImageView],
        details: [DetailView],
        problems: [ProblemView],
        parents: [AlbumLink],
        versions: [VersionView],
        versionsOmitted: Int?,
        credentials: [CredentialsView],
        verifier: String,
        social: SocialView,
        comparison: ComparisonView? = nil,
        queuedNote: String? = nil,
        chrome: ChromeMemo.Chrome? = nil
    ) {
        self.site = site
        self.root = root
        self.title = title
        self.album = album
        self.tags = tags
        self.file = file
        self.html = html
        self.kind = kind
        self.status = status
        self.isPlaceholder = isPlaceholder
        self.isFailed = isFailed
        self.images = images
        self.inputs = inputs
        self.details = details
        self.problems = problems
        self.parents = parents
        self.versions = versions
        self.versionsOmitted = versionsOmitted
        self.credentials = credentials
        self.verifier = verifier
        self.social = social
        self.comparison = comparison
        self.queuedNote = queuedNote
        self.builtinNavHTML = chrome?.nav
        self.builtinFooterHTML = chrome?.footer
    }
}

/// What one image's C2PA Content Credentials say, on its prompt page.
final class CredentialsView: Sendable {
    /// "Image", "Image 2 of 4", "Input".
    let label: String
    /// Relative URL of the file from the page.
    let file: String
    /// "intact", "altered", "unchecked", "none" or "unreadable".
    let state: String
    /// True when the file carries readable credentials.
    let present: Bool
    let unreadable: Bool
    let generator: String?
    let signer: String?
    /// Readable time of the signature's time stamp, and ISO 8601; nil when not time-stamped.
    let signed: String?
    let signedISO: String?
    /// "AI-generated", "edited with AI"…
    let source: String?
    let isIntact: Bool
    let isAltered: Bool
    let isUnchecked: Bool
    /// Why the binding was not checked.
    let bindingNote: String?
    /// The badge: "intact", "altered" (the file or its credentials changed after signing) or "not checked".
    let badge: String?
    /// The claim's signature verifies with its certificate and the assertions match the claim.
    let signatureValid: Bool
    let signatureInvalid: Bool
    /// Why the signature is invalid or was not checked.
    let signatureNote: String?
    /// Why credentials that are there cannot be read.
    let problem: String?

    init(
        label: String,
        file: String,
        state: String,
        present: Bool,
        unreadable: Bool,
        generator: String?,
        signer: String?,
        signed: String?,
        signedISO: String?,
        source: String?,
        isIntact: Bool,
        isAltered: Bool,
        isUnchecked: Bool,
        bindingNote: String?,
        badge: String?,
        signatureValid: Bool,
        signatureInvalid: Bool,
        signatureNote: String?,
        problem: String?
    ) {
        self.label = label
        self.file = file
        self.state = state
        self.present = present
        self.unreadable = unreadable
        self.generator = generator
        self.signer = signer
        self.signed = signed
        self.signedISO = signedISO
        self.source = source
        self.isIntact = isIntact
        self.isAltered = isAltered
        self.isUnchecked = isUnchecked
        self.bindingNote = bindingNote
        self.badge = badge
        self.signatureValid = signatureValid
        self.signatureInvalid = signatureInvalid
        self.signatureNote = signatureNote
        self.problem = problem
    }
}

/// An earlier version of a prompt: what it asked then, how that differs from now, what it made.
final class VersionView: Sendable {
    /// Readable creation time and ISO 8601.
    let created: String
    let createdISO: String
    let model: String
    let size: String
    /// The prompt text then against now, word by word: HTML with `<del>` and `<ins>`, escaped.
    /// Inserted unescaped: `{{{diff}}}`.
    let diff: String
    let images: [ImageView]

    init(created: String, createdISO: String, model: String, size: String, diff: String, images: [ImageView]) {
        self.created = created
        self.createdISO = createdISO
        self.model = model
        self.size = size
        self.diff = diff
        self.images = images
    }
}

/// The statistics page.
final class StatsPage: Sendable {
    let site: SiteInfo
    let root: String
    /// Big numbers: label and value ("Images", "48").
    let totals: [DetailView]
    /// Latency by operation and model as an inline SVG drawn at build time. Inserted unescaped.
    let chart: String
    let rows: [StatsRow]
    /// Latency, cost per image and failures by model and quality.
    let qualities: [StatsQualityRow]
    let social: SocialView

    init(
        site: SiteInfo,
        root: String,
        totals: [DetailView],
        chart: String,
        rows: [StatsRow],
        qualities: [StatsQualityRow] = [],
        social: SocialView
    ) {
        self.site = site
        self.root = root
        self.totals = totals
        self.chart = chart
        self.rows = rows
        self.qualities = qualities
        self.social = social
    }
}

/// One model at one quality, over the whole gallery: what the comparison of models asks.
final class StatsQualityRow: Sendable {
    let model: String
    let quality: String
    /// Requests the cache holds.
    let count: Int
    let median: String
    let p90: String
    /// The median cost of one image ("unknown" when no price is known, "–" with no request).
    let costPerImage: String
    /// Requests that reached the API and failed, and have no image since.
    let failures: Int

    init(model: String, quality: String, count: Int, median: String, p90: String, costPerImage: String, failures: Int) {
        (self.model, self.quality, self.count, self.median, self.p90) = (model, quality, count, median, p90)
        (self.costPerImage, self.failures) = (costPerImage, failures)
    }
}

/// Latency figures for one operation and model.
final class StatsRow: Sendable {
    let operation: String
    let model: String
    let count: Int
    let median: String
    let p90: String
    let mean: String
    let cost: String

    init(operation: String, model: String, count: Int, median: String, p90: String, mean: String, cost: String) {
        self.operation = operation
        self.model = model
        self.count = count
        self.median = median
        self.p90 = p90
        self.mean = mean
        self.cost = cost
    }
}

/// The Atom feed and the sitemap (written when base_url is set).
struct FeedPage: Sendable {
    let site: SiteInfo
    /// Absolute URL of the site root, ending in "/".
    let base: String
    /// ISO 8601 time of the newest entry (never the build's own time: the output is deterministic).
    let updated: String
    let entries: [FeedEntry]
    /// Every page of the index and of the albums but the first, from the site root (for the sitemap).
    var listPages: [String] = []
}

/// One prompt in the feed and the sitemap.
struct FeedEntry: Sendable {
    let title: String
    /// Absolute URL of the prompt's page.
    let url: String
    let updated: String
    let summary: String
    /// Absolute URL of the first image, when there is one.
    let image: String?
}

extension Int {
    /// The count, or nil when there is none: what a template shows only when it is not zero
    /// (`{{#versionsOmitted}}And {{.}} earlier…{{/versionsOmitted}}`).
    var shownCount: Int? { self > 0 ? self : nil }
}
