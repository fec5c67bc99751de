/// The files `easel init` writes into a new project, with their text.
///
/// The texts are plain literals so that the binary needs no resource at run time; the publish
/// workflow, the longest, is in `ProjectTemplate+Workflow.swift`.
enum ProjectTemplate {
    /// One file of a new project.
    struct File: Sendable, Equatable {
        /// Where the file goes, relative to the project folder (`prompts/first.md`).
        var path: String
        /// Its complete text.
        var text: String
    }

    /// Every file, in the order they are written and reported.
    static let files: [File] = [
        File(path: "easel.yml", text: config),
        File(path: "prompts/first.md", text: firstPrompt),
        File(path: ".gitignore", text: gitignore),
        File(path: ".env.example", text: envExample),
        File(path: ".github/workflows/publish.yml", text: publishWorkflow),
    ]

    /// The title of the example prompt, which the first build shows on the index page.
    static let firstPromptTitle = "A lighthouse at dawn"

    static let config = #"""
        # Site settings and the defaults of every prompt. Every key is optional; `easel check`
        # validates this file, and Easel's README ("easel.yml") describes each key.

        # The gallery's name and a sentence about it, shown on every page.
        title: My gallery
        description: Images generated from the Markdown prompts in prompts/.

        # Where the site will be published, e.g. https://OWNER.github.io/REPOSITORY/ on GitHub Pages.
        # When it is set, the build also writes feed.xml (Atom) and sitemap.xml, which need absolute
        # addresses; every link between the pages stays relative either way.
        # base_url: https://example.com/gallery/

        # How many requests to the image API run at once.
        concurrency: 4
        # A hard cap, in US dollars: a build starts no request whose estimated cost would pass it.
        max_cost: 5.00
        # On a terminal, `easel build` asks first when its estimate is above this (US dollars).
        confirm_above: 1.00

        # Any prompt setting; a prompt's own front matter wins.
        defaults:
          model: gpt-image-2
          size: 1024x1024
          quality: medium

        # A model that is not in Easel's built-in table (an OpenAI-compatible server's, say) is
        # described under `models:`; see "easel.yml" and "Models" in Easel's README.
        #
        # Source images and masks for edits go in inputs/ by convention (create it when you need
        # it; any path inside the project works).

        """#

    static let firstPrompt = #"""
        ---
        # One prompt per file: these YAML settings, then the prompt itself in Markdown.
        # Sub-folders of prompts/ are albums: prompts/travel/lisbon.md is in the album "travel".
        # Settings left out come from easel.yml's defaults. To edit a picture of your own, put it in
        # inputs/ and add `edit: {image: inputs/photo.png}`.
        title: A lighthouse at dawn
        tags: [example, sea]
        size: 1536x1024
        ---
        A red-and-white lighthouse on a rocky headland at dawn, waves breaking on the rocks below,
        the first sunlight catching the *lantern room*. Watercolour on rough paper, soft edges,
        a calm palette of blues and warm pinks.

        """#

    static let gitignore = #"""
        # The built site: `easel build` writes it again from prompts/ and cache/ at any time.
        site/
        # Your API key: never commit it (.env.example is the template to copy).
        .env
        # Easel's local state: the build lock and the failures of the last builds.
        .easel/
        .DS_Store

        # cache/ is deliberately NOT ignored: it holds every image the API returned, which were paid
        # for. Commit it, so that anyone (and the publish workflow) can rebuild the site for free.

        """#

    static let envExample = #"""
        # Copy this file to .env (`cp .env.example .env`) and set your key there.
        # Never commit .env: it holds a secret, and .gitignore keeps it out of git.
        # Variables already set in the environment win over this file.

        OPENAI_API_KEY=sk-...

        # Another OpenAI-compatible server (the default is https://api.openai.com/v1):
        # OPENAI_BASE_URL=https://api.openai.com/v1
        # The organization and project the requests are billed to:
        # OPENAI_ORG_ID=org-...
        # OPENAI_PROJECT_ID=proj_...

        # Azure OpenAI: with these two set, Easel uses Azure (its /openai/v1/ API).
        # AZURE_OPENAI_ENDPOINT=https://YOUR-RESOURCE.openai.azure.com
        # AZURE_OPENAI_API_KEY=...
        # Set this too for the older deployments API (/openai/deployments/...):
        # OPENAI_API_VERSION=2025-04-01-preview

        """#
}
