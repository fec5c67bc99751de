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
    /// easel.yml.
    static let configFileBytes = 1 << 20
    /// A cache entry's `entry.json`.
    static let cacheRecordBytes = 1 << 20
    /// `.env`, `.easel/` state files and the site manifest.
    static let stateFileBytes = 16 << 20
    /// The parse record (`.easel/parsed`): every prompt as last read, up to 1 MiB each.
    static let parseRecordBytes = 256 << 20
    /// A theme file in templates/.
    static let themeFileBytes = 16 << 20
}
