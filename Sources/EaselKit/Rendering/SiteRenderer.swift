import Foundation
internal import Mustache

/// Writes the static site: originals and placeholders, input images, the pages, the theme's assets.
struct SiteRenderer: Sendable {
    let project: Project
    let theme: Theme
    let library: MustacheLibrary
    let output: URL
    let placeholders = PlaceholderRenderer()

    static let generator = "Easel \(EaselVersion.current)"

    /// One prompt's place in the site, gathered before any page is rendered.
    struct Item: Sendable {
        var outcome: PromptOutcome
        var page: String
        var images: [SiteImage]
        var inputs: [SiteImage]
    }

    /// An image file of the site, by its path inside the site folder.
    struct SiteImage: Sendable {
        var path: String
        var width: Int
        var height: Int
        var label: String
    }

    func render(_ outcomes: [PromptOutcome]) async throws {
        var writer = SiteWriter(folder: output)
        var paths = SitePaths()
        var items: [Item] = []
        var missingPlaceholders: [(path: String, prompt: PromptFile, size: ImageSize, key: CacheKey)] = []
        for outcome in outcomes {
            var item = Item(outcome: outcome, page: paths.page(for: outcome.prompt), images: [], inputs: [])
            if let entry = outcome.entry {
                item.images = try publish(entry, of: outcome.prompt, with: &writer)
            } else if outcome.status != .failed, let key = outcome.key, let request = outcome.prompt.request {
                let size = placeholderSize(for: request)
                let path = "images/placeholder-\(key.short)-\(size).png"
                writer.keep(path)
                if !writer.exists(path) { missingPlaceholders.append((path, outcome.prompt, size, key)) }
                item.images = [SiteImage(path: path, width: size.width, height: size.height, label: "Placeholder")]
            }
            if let request = outcome.prompt.request {
                item.inputs = try publishInputs(of: request, key: outcome.key, with: &writer)
            }
            items.append(item)
        }
        try await renderPlaceholders(missingPlaceholders, into: writer)

        let site = SiteInfo(
            title: project.config.title ?? project.root.lastPathComponent,
            description: project.config.description,
            generator: Self.generator
        )
        try writer.write(Data(try render("index", indexPage(items, site: site)).utf8), to: "index.html")
        for item in items {
            try writer.write(Data(try render("prompt", promptPage(item, site: site)).utf8), to: item.page)
        }
        for (path, data) in theme.assets.sorted(by: { $0.key < $1.key }) {
            try writer.write(data, to: "assets/" + path)
        }
        try writer.finish()
    }

    private func render(_ template: String, _ page: Any) throws -> String {
        guard let html = library.render(page, withTemplate: template) else {
            throw ThemeError(template: "templates/\(template).mustache", line: 1, column: 1, message: "missing")
        }
        return html
    }

    /// Links a cache entry's images into `images/`.
    private func publish(
        _ entry: CacheEntry,
        of prompt: PromptFile,
        with writer: inout SiteWriter
    ) throws -> [SiteImage] {
        let record = entry.record
        let provenance = Self.provenance(of: record, prompt: prompt)
        // The file name carries the provenance's fingerprint: a new title rewrites the file, and an
        // existing file is the right one without reading it.
        let stamp = CacheKey.sha256(Data(String(describing: provenance).utf8)).prefix(8)
        let count = record.images.count
        return try zip(record.images, entry.imageURLs).enumerated().map { offset, pair in
            let (image, url) = pair
            let path = "images/\(record.key.short)-\(stamp)-\(offset + 1).\(url.pathExtension)"
            if writer.exists(path) {
                writer.keep(path)
            } else if let stamped = try? provenance.embed(into: Data(contentsOf: url), format: record.format) {
                try writer.write(stamped, to: path)
            } else {
                try writer.publish(url, to: path)  // not a file Easel can annotate: the API's bytes as they are
            }
            let reported = record.size.flatMap(ImageSize.init)
            return SiteImage(
                path: path,
                width: image.width ?? reported?.width ?? 1024,
                height: image.height ?? reported?.height ?? 1024,
                label: count > 1 ? "Image \(offset + 1) of \(count)" : "Image"
            )
        }
    }

    /// What a published original says about itself (SPEC §7): the prompt and its settings.
    static func provenance(of record: CacheRecord, prompt: PromptFile) -> Provenance {
        var settings: [Provenance.Setting] = [
            .init(key: "model", value: record.model),
            .init(key: "endpoint", value: record.request.endpoint.rawValue),
            .init(key: "size", value: record.size ?? record.request.size ?? "auto"),
        ]
        let optional: [(String, String?)] = [
            ("quality", record.quality ?? record.request.quality), ("format", record.format),
            ("background", record.background ?? record.request.background), ("n", String(record.request.n)),
            ("seed", record.request.seed), ("created", Display.iso(record.created)), ("request_id", record.requestID),
            ("revised_prompt", record.revisedPrompt), ("prompt_file", prompt.path), ("cache_key", record.key.hex),
            ("inputs", record.request.images.map(\.path).joined(separator: ", ")),
        ]
        for case let (key, value?) in optional where !value.isEmpty { settings.append(.init(key: key, value: value)) }
        return Provenance(title: prompt.title, prompt: record.request.prompt, settings: settings)
    }

    /// Copies an edit's inputs into `inputs/`, and paints a mask given as a shape there.
    private func publishInputs(
        of request: ImageRequest,
        key: CacheKey?,
        with writer: inout SiteWriter
    ) throws -> [SiteImage] {
        var shown: [SiteImage] = []
        var first: ImageInfo?
        for (index, image) in request.images.enumerated() {
            let info = try ImageInfo.read(contentsOf: image.url.path)
            first = first ?? info
            let path = "inputs/\(image.sha256.prefix(16)).\(image.url.pathExtension.lowercased())"
            try writer.publish(image.url, to: path)
            let label = request.endpoint == .edits && request.images.count > 1 ? "Input \(index + 1)" : "Input"
            shown.append(SiteImage(path: path, width: info.width, height: info.height, label: label))
        }
        switch request.mask {
        case .image(let mask):
            let info = try ImageInfo.read(contentsOf: mask.url.path)
            let path = "inputs/\(mask.sha256.prefix(16)).png"
            try writer.publish(mask.url, to: path)
            shown.append(SiteImage(path: path, width: info.width, height: info.height, label: "Mask"))
        case .rectangle, .ellipse:
            guard let mask = request.mask, let first, let key else { break }
            let path = "inputs/mask-\(key.short).png"
            if !writer.exists(path) {
                try writer.write(try InputUpload.drawnMask(mask, width: first.width, height: first.height), to: path)
            } else {
                writer.keep(path)
            }
            shown.append(SiteImage(path: path, width: first.width, height: first.height, label: "Mask"))
        case nil:
            break
        }
        return shown
    }

    /// The size a placeholder is drawn at: the requested size, or 1024x1024 for `auto`.
    private func placeholderSize(for request: ImageRequest) -> ImageSize {
        let size = request.size ?? project.catalog[request.model]?.defaults["size"] ?? "auto"
        return ImageSize(size) ?? ImageSize(width: 1024, height: 1024)
    }

    private func renderPlaceholders(
        _ pending: [(path: String, prompt: PromptFile, size: ImageSize, key: CacheKey)],
        into writer: SiteWriter
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var queue = pending.makeIterator()
            func startNext() {
                guard let job = queue.next() else { return }
                group.addTask {
                    let text =
                        job.prompt.request?.prompt.isEmpty == false ? job.prompt.request!.prompt : job.prompt.title
                    let png = try await placeholders.render(
                        prompt: text,
                        width: job.size.width,
                        height: job.size.height,
                        key: job.key.hex
                    )
                    try AtomicFile.write(png, to: writer.url(job.path))
                }
            }
            for _ in 0..<ProcessInfo.processInfo.activeProcessorCount { startNext() }
            while try await group.next() != nil { startNext() }
        }
    }
}
