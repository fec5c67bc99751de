import Foundation
internal import Yams

/// Reads one prompt file through every stage: text, front matter, YAML, Markdown, validation.
///
/// Never throws: whatever is wrong with the file becomes a diagnostic, so one bad prompt never stops
/// the others.
struct PromptLoader: Sendable {
    let project: Project
    let inputs: InputCatalog

    init(project: Project, inputs: InputCatalog = InputCatalog()) {
        self.project = project
        self.inputs = inputs
    }

    /// Reads and loads the prompt file at `path` (inside the project).
    func load(_ path: String) -> PromptFile {
        let url = project.root.appendingPathComponent(path)
        if BoundedRead.isSymbolicLink(url.path) {
            // Project.promptPaths lists a link by its own path only when it leads out of prompts/.
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
            return Self.unread(
                path,
                .error(
                    "this is a link to '\(target)', which is not a prompt file inside prompts/: Easel reads"
                        + " only .md files inside prompts/, never hidden ones; copy the file in, or remove the link",
                    at: .init(path: path)
                )
            )
        }
        let depth = PromptFile.folderDepth(of: path)
        if depth > Limits.albumDepth {
            return Self.unread(
                path,
                .error(
                    "this file is \(depth) folders deep inside prompts/; albums nest at most \(Limits.albumDepth) deep"
                        + " (each is a page, and each page links every album above it): move the file up",
                    at: .init(path: path)
                )
            )
        }
        switch TextFile.read(url, path: path, limit: Limits.promptFileBytes) {
        case .failure(let diagnostic): return Self.unread(path, diagnostic)
        case .success(let file): return load(file)
        }
    }

    /// A prompt that could not be read, with why.
    private static func unread(_ path: String, _ diagnostic: Diagnostic) -> PromptFile {
        var prompt = empty(path)
        prompt.diagnostics = [diagnostic]
        return prompt
    }

    private static func empty(_ path: String) -> PromptFile {
        var prompt = PromptFile(
            path: path,
            title: "",
            tags: [],
            date: nil,
            isDraft: false,
            html: "",
            text: "",
            model: ModelCatalog.defaultModel,
            kind: .generation,
            request: nil,
            diagnostics: []
        )
        prompt.title = prompt.name
        return prompt
    }

    /// Loads a prompt from its text: front matter, YAML, Markdown, validation. Never throws.
    func load(_ file: TextFile) -> PromptFile {
        let path = file.path
        var prompt = Self.empty(path)
        prompt.source = file.text
        let parts: FrontMatter
        switch FrontMatter.split(file) {
        case .failure(let diagnostic):
            prompt.diagnostics = [diagnostic]
            return prompt
        case .success(let split): parts = split
        }

        let markdown = MarkdownDocument(parsing: parts.body)
        prompt.html = markdown.html
        prompt.text = markdown.text
        if let heading = markdown.title, !heading.isEmpty { prompt.title = heading }

        var settings = PromptSettings()
        if let yaml = parts.yaml, yaml.utf8.count > Limits.frontMatterBytes {
            prompt.diagnostics = [
                .error(
                    "the front matter is \(TextFile.kibibytes(yaml.utf8.count)); it may hold at most"
                        + " \(TextFile.kibibytes(Limits.frontMatterBytes)) of settings",
                    at: .init(path: path, line: 1)
                )
            ]
            return prompt
        }
        if let yaml = parts.yaml {
            let source = YAMLSource(path: path, firstLine: parts.yamlFirstLine)
            switch source.compose(yaml) {
            case .failure(let diagnostic):
                prompt.diagnostics = [diagnostic]
                return prompt
            case .success(let node?):
                var reader = SettingsReader(source: source)
                settings = reader.read(node)
                prompt.diagnostics = reader.diagnostics
            case .success(nil): break
            }
        }
        settings = settings.overlaid(on: project.config.defaults)
        if let title = settings.title?.value { prompt.title = title }
        prompt.tags = settings.tags?.value ?? []
        prompt.date = settings.date?.value
        prompt.isDraft = settings.draft?.value ?? false
        prompt.model = settings.model?.value ?? ModelCatalog.defaultModel
        prompt.kind = settings.variationOf != nil ? .variation : settings.edit != nil ? .edit : .generation

        let bodyLocation = SourceLocation(path: path, line: parts.bodyFirstLine)
        var request: ImageRequest?
        let unreadable = prompt.diagnostics.hasErrors
        if let compare = settings.compare {
            var base = settings
            (base.compare, base.pick) = (nil, nil)
            var comparison = comparison(
                compare,
                pick: settings.pick,
                base: base,
                text: markdown.text,
                hasHeading: markdown.title != nil,
                bodyLocation: bodyLocation,
                diagnostics: &prompt.diagnostics
            )
            // A setting that could not be read leaves every cell without a request, as it leaves a
            // plain prompt; a cell's own errors leave only that cell without one.
            if unreadable {
                for index in comparison.cells.indices { comparison.cells[index].request = nil }
            }
            request = comparison.cells[comparison.pick].request
            prompt.model = comparison.value(of: PromptKey.model.rawValue, in: comparison.pick) ?? prompt.model
            prompt.compare = comparison
        } else {
            var validator = PromptValidator(project: project, inputs: inputs, bodyLocation: bodyLocation)
            request = validator.request(for: settings, text: markdown.text, hasHeading: markdown.title != nil)
            prompt.diagnostics += validator.diagnostics
            if let pick = settings.pick {
                prompt.diagnostics.append(
                    .error(
                        "'pick' chooses which cell of 'compare' is shown on the index, and this prompt compares"
                            + " nothing; add 'compare:' or remove 'pick'",
                        at: pick.location
                    )
                )
            }
            if prompt.diagnostics.hasErrors { request = nil }
        }
        prompt.diagnostics.sort {
            ($0.location.path, $0.location.line, $0.location.column) < (
                $1.location.path, $1.location.line, $1.location.column
            )
        }
        prompt.request = request
        return prompt
    }
}
