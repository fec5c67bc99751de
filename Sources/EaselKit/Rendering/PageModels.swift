// View models handed to the Mustache templates. Mustache reads values through Mirror, which only
// sees stored properties: every field here is a stored `let`, computed once by `SiteRenderer`.
// Optional values render their section only when present (`{{#cost}}…{{/cost}}`).

/// Values every page shares.
struct SiteInfo: Sendable {
    /// Site title from easel.yml (default: the project folder's name).
    let title: String
    let description: String?
    /// "Easel 0.1.0", for the footer and `<meta name="generator">`.
    let generator: String
}

/// An image shown on a page: a generated result, a placeholder, an edit input or a mask.
struct ImageView: Sendable {
    /// Relative URL of the image from the page that shows it.
    let src: String
    let width: Int
    let height: Int
    /// Alt text from the prompt.
    let alt: String
    /// Short label, e.g. "Image 1 of 2", "Input", "Mask".
    let label: String
}

/// A tag, album or model with how many prompts carry it (the index filters).
struct FacetView: Sendable {
    let name: String
    let count: Int
}

/// One thumbnail on the index.
struct CardView: Sendable {
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
    /// Sort key for "sort by date" (ISO 8601 date or empty).
    let sortDate: String
}

/// The index page.
struct IndexPage: Sendable {
    let site: SiteInfo
    /// Relative prefix from this page to the site root ("" for index.html).
    let root: String
    let cards: [CardView]
    let albums: [FacetView]
    let tags: [FacetView]
    let models: [FacetView]
    let total: Int
    let placeholders: Int
    let failures: Int
}

/// A problem shown on a failed prompt's page.
struct ProblemView: Sendable {
    /// "prompts/x.md:3:7"
    let location: String
    let message: String
}

/// A labelled value in the prompt page's details table ("Model", "gpt-image-2").
struct DetailView: Sendable {
    let label: String
    let value: String
    /// Machine form when the value is a time (`<time datetime>`), else nil.
    let datetime: String?
}

/// One prompt's page.
struct PromptPage: Sendable {
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
}
