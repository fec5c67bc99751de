/// The bounds every input is held to, each with its own diagnostic (SPEC §3; README, "Security").
///
/// A cloned gallery brings its prompts, easel.yml and cache with it, and a compatible server may
/// answer anything: no file is read, and no answer kept, past these sizes. Image sides are bounded
/// by ``ImageSize/maxSide``.
enum Limits {
    /// A prompt file, front matter and Markdown together.
    static let promptFileBytes = 1 << 20
    /// The YAML between a prompt's `---` fences.
    static let frontMatterBytes = 64 << 10
    /// The prompt text sent to the API: OpenAI's limit for GPT image models.
    static let promptCharacters = 32_000
    /// Tags of one prompt.
    static let tags = 100
    /// Requests one `compare:` prompt makes (SPEC §3): each is paid for.
    static let compareCells = 24
    /// easel.yml.
    static let configFileBytes = 1 << 20
    /// easel.yml's `title` and `description`, shown on every page.
    static let siteTitleCharacters = 200
    static let siteDescriptionCharacters = 1_000
    /// A cache entry's `entry.json`.
    static let cacheRecordBytes = 1 << 20
    /// `.env`, `.easel/` state files and the site manifest.
    static let stateFileBytes = 16 << 20
    /// The parse record (`.easel/parsed`): every prompt as last read, up to 1 MiB each.
    static let parseRecordBytes = 256 << 20
    /// A theme file in templates/.
    static let themeFileBytes = 16 << 20
    /// Folders inside prompts/ that make albums, one inside another. Each is a page, and every page
    /// of an album lists the albums above it with a link that climbs each level: three prompts 800
    /// folders deep made 805 pages and 708 MB of site in 67 s. A prompt deeper is not read, and is
    /// shown in the album of its first folders.
    static let albumDepth = 16
}
