import Foundation

/// Publishes what the pages show into the site folder: each prompt's originals (as the API made
/// them when signed, with their provenance embedded otherwise), placeholders, edit inputs and
/// masks, earlier versions, and the thumbnails of them all; and gathers, for each prompt, the
/// images its pages show (``SiteRenderer/Item``). The page models and the writing of pages are the
/// renderer's.
struct SitePublisher: Sendable {
    typealias Item = SiteRenderer.Item
    typealias SiteImage = SiteRenderer.SiteImage
    typealias Thumb = SiteRenderer.Thumb
    typealias Version = SiteRenderer.Version

    let project: Project
    let output: URL
    /// Every cache entry by the prompt file it was first made for: the earlier versions.
    let history: CacheIndex
    let placeholders = PlaceholderRenderer()
    let thumbnailer = Thumbnailer()

    /// The earlier versions of a prompt published and shown, at most: the newest. The cache can
    /// name any number of entries as first made for one prompt file (a cloned one, thousands), and
    /// each shown is its images published, thumbnailed and diffed on the prompt's page.
    static let maxVersions = 24

    /// Publishes every image (originals, placeholders, inputs, earlier versions, thumbnails) and
    /// gathers what each prompt's page needs.
    /// Content Credentials come from `memo`.
    func prepare(
        _ outcomes: [PromptOutcome],
        memo: CredentialsMemo,
        with writer: inout SiteWriter
    ) async throws -> [Item] {
        var paths = SitePaths()
        var items: [Item] = []
        items.reserveCapacity(outcomes.count)
        var placeholderJobs: [PlaceholderJob] = []
        // A comparison's cells are each other's entries, not earlier versions: those are the
        // entries made for the file that no cell shows now, listed with its first cell.
        let cellKeys = outcomes.reduce(into: [String: Set<CacheKey>]()) { keys, outcome in
            if outcome.cell != nil, let key = outcome.key { keys[outcome.prompt.path, default: []].insert(key) }
        }
        // Each prompt's entry and earlier versions, with the provenance hash their published names
        // carry and what their images' Content Credentials say, computed on every core.
        let published = outcomes.concurrentMap { outcome -> (current: Stamped?, versions: [Stamped], omitted: Int) in
            let stamped = { (entry: CacheEntry) in
                Stamped(
                    entry: entry,
                    stamp: Self.provenanceStamp(of: entry, prompt: outcome.prompt),
                    credentials: entry.imagePaths.map { memo.reading(of: $0) }
                )
            }
            var earlier = history.entries(firstMadeFor: outcome.prompt.path, except: outcome.key)
            if outcome.cell != nil {
                let shown = cellKeys[outcome.prompt.path] ?? []
                earlier = outcome.isFirstOfPrompt ? earlier.filter { !shown.contains($0.record.key) } : []
            }
            return (
                outcome.entry.map(stamped),
                earlier.prefix(Self.maxVersions).map(stamped),
                max(0, earlier.count - Self.maxVersions)
            )
        }
        for (outcome, entries) in zip(outcomes, published) {
            var item = Item(
                outcome: outcome,
                // A comparison has one page, its cells' grid.
                page: outcome.isFirstOfPrompt || items.isEmpty
                    ? paths.page(for: outcome.prompt) : items[items.count - 1].page,
                images: [],
                inputs: [],
                versions: []
            )
            item.versionsOmitted = entries.omitted
            // A file that cannot be read fails its prompt (or drops an earlier version), never the site.
            if let current = entries.current {
                let entry = current.entry
                do {
                    item.images = try publish(current, of: outcome.prompt, with: &writer)
                } catch {
                    item.fail(damaged(entry, file: nil, error))
                }
            } else if outcome.status != .failed, let key = outcome.key, let request = outcome.prompt.request {
                let (image, job) = placeholder(for: request, key: key, prompt: outcome.prompt, with: &writer)
                item.images = [image]
                if let job { placeholderJobs.append(job) }
            }
            if let request = outcome.prompt.request {
                do {
                    item.inputs = try publishInputs(of: request, key: outcome.key, memo: memo, with: &writer)
                } catch {
                    item.fail("an input image cannot be published: \(relative(String(describing: error)))")
                }
            }
            for version in entries.versions {
                guard let images = try? publish(version, of: outcome.prompt, with: &writer) else { continue }
                item.versions.append(
                    Version(record: version.entry.record, images: images, recordDigest: version.entry.recordDigest)
                )
            }
            items.append(item)
        }
        Trace.mark("published images")
        try await renderPlaceholders(placeholderJobs, into: writer)
        let broken = try await makeThumbnails(for: &items, with: &writer)
        if !broken.isEmpty { failBroken(broken, in: &items, entries: published.map(\.current?.entry)) }
        Trace.mark("thumbnails")
        return items
    }

    /// Fails the prompts whose current images or inputs libvips could not read (`broken`, by
    /// site path), and drops the earlier versions whose images it could not read.
    private func failBroken(_ broken: [String: String], in items: inout [Item], entries: [CacheEntry?]) {
        for index in items.indices {
            items[index].versions.removeAll { $0.images.contains { broken[$0.path] != nil } }
            if let (offset, message) = items[index].images.enumerated().lazy
                .compactMap({ offset, image in broken[image.path].map { (offset, $0) } }).first,
                let entry = entries[index]
            {
                let file = entry.record.images.indices.contains(offset) ? entry.record.images[offset].file : nil
                items[index].fail(damaged(entry, file: file, message))
            } else if let message = items[index].inputs.lazy.compactMap({ broken[$0.path] }).first {
                items[index].fail("an input image cannot be read: \(relative(message))")
            }
        }
    }

    /// The message for a cache entry whose image could not be read while publishing.
    private func damaged(_ entry: CacheEntry, file: String?, _ cause: Any) -> String {
        let reason = (file.map { "\($0) cannot be read as an image: " } ?? "") + relative(String(describing: cause))
        return CacheError.damaged(project.cache.displayPath(for: entry.record.key), reason: reason).description
    }

    /// ``SitePaths/relative(_:output:project:)`` for this site.
    func relative(_ text: String) -> String { SitePaths.relative(text, output: output, project: project) }

    /// A cache entry to publish, with the provenance hash its published names carry and what
    /// the Content Credentials of each of its images say.
    struct Stamped: Sendable {
        var entry: CacheEntry
        /// ``provenanceStamp(of:prompt:)`` of `entry` for the prompt.
        var stamp: String
        /// One reading per image of the entry, in order.
        var credentials: [ContentCredentials.Reading]
    }

    /// Publishes a cache entry's images into `images/` (SPEC §7). An image that carries C2PA
    /// Content Credentials is linked as it is, byte for byte, so its signature stays valid; one
    /// without gets the prompt and its settings embedded (a file of its own, named by their hash).
    func publish(_ stamped: Stamped, of prompt: PromptFile, with writer: inout SiteWriter) throws -> [SiteImage] {
        let record = stamped.entry.record
        let count = record.images.count
        return try record.images.enumerated().map { offset, image in
            // A URL is made only for a file to copy or read: making 10,000 was most of publishing.
            var url: URL { stamped.entry.folder.appendingPathComponent(image.file) }
            let credentials = stamped.credentials.indices.contains(offset) ? stamped.credentials[offset] : .absent
            let path: String
            if credentials.hasManifest {
                // Signed by the API: the cache's bytes, never rewritten (a hard link where it can be).
                path = SiteLayout.signedOriginal(record.key, image: offset, fileExtension: url.pathExtension)
                try writer.publishUnaltered(url, to: path)
            } else {
                path = SiteLayout.original(
                    record.key,
                    stamp: stamped.stamp,
                    image: offset,
                    fileExtension: Self.pathExtension(of: image.file)
                )
                if writer.exists(path) {
                    writer.keep(path)
                } else if let annotated = try? Self.provenance(of: record, prompt: prompt)
                    .embed(into: Data(contentsOf: url), format: record.format)
                {
                    try writer.write(annotated, to: path)
                } else {
                    try writer.publish(url, to: path)  // not a file Easel can annotate: the API's bytes as they are
                }
            }
            let reported = record.size.flatMap(ImageSize.init)
            return SiteImage(
                path: path,
                width: image.width ?? reported?.width ?? 1024,
                height: image.height ?? reported?.height ?? 1024,
                label: count > 1 ? "Image \(offset + 1) of \(count)" : "Image",
                credentials: credentials,
                thumbnailStem: SiteLayout.originalThumbnailStem(record.key, image: offset, sha256: image.sha256)
            )
        }
    }

    /// What `URL.pathExtension` gives for a file name, without making a URL: the part after the
    /// last dot, or nothing when there is none, or only a leading one.
    static func pathExtension(of name: String) -> String {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.utf8.startIndex else { return "" }
        return String(name[name.utf8.index(after: dot)...])
    }

    /// The file name of a published original carries its provenance's fingerprint: a new title
    /// rewrites the file, and an existing file is the right one without reading it.
    static func provenanceStamp(of entry: CacheEntry, prompt: PromptFile) -> String {
        String(CacheKey.sha256(Data(provenance(of: entry.record, prompt: prompt).fingerprint.utf8)).prefix(8))
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
    /// Their Content Credentials come from `memo`.
    func publishInputs(
        of request: ImageRequest,
        key: CacheKey?,
        memo: CredentialsMemo,
        with writer: inout SiteWriter
    ) throws -> [SiteImage] {
        var shown: [SiteImage] = []
        var first: ImageInfo?
        for (index, image) in request.images.enumerated() {
            let info = try ImageInfo.read(contentsOf: image.url.path)
            first = first ?? info
            // The extension comes from what libvips read, never the file's name: an input named
            // photo.html that is also a PNG must not become an HTML page of the site.
            guard let format = ImageFormat(rawValue: info.format) else {
                throw ImagingError(path: image.path, message: "not a PNG, JPEG or WebP image")
            }
            let path = SiteLayout.input(sha256: image.sha256, format: format)
            try writer.publish(image.url, to: path)
            let label = request.endpoint == .edits && request.images.count > 1 ? "Input \(index + 1)" : "Input"
            shown.append(
                SiteImage(
                    path: path,
                    width: info.width,
                    height: info.height,
                    label: label,
                    credentials: memo.reading(of: image.url.path),
                    thumbnailWidths: [320, 640]
                )
            )
        }
        switch request.mask {
        case .image(let mask):
            let info = try ImageInfo.read(contentsOf: mask.url.path)
            let path = SiteLayout.mask(sha256: mask.sha256)
            try writer.publish(mask.url, to: path)
            shown.append(
                SiteImage(
                    path: path,
                    width: info.width,
                    height: info.height,
                    label: "Mask",
                    thumbnailWidths: [320, 640]
                )
            )
        case .rectangle, .ellipse:
            guard let mask = request.mask, let first, let key else { break }
            let path = SiteLayout.drawnMask(key)
            if !writer.exists(path) {
                try writer.write(try InputUpload.drawnMask(mask, width: first.width, height: first.height), to: path)
            } else {
                writer.keep(path)
            }
            shown.append(
                SiteImage(
                    path: path,
                    width: first.width,
                    height: first.height,
                    label: "Mask",
                    thumbnailWidths: [320, 640]
                )
            )
        case nil:
            break
        }
        return shown
    }

    /// A placeholder to draw: where, for which prompt, at which size.
    struct PlaceholderJob: Sendable {
        var path: String
        var prompt: PromptFile
        var size: ImageSize
        var key: CacheKey
    }

    /// The placeholder image of a prompt not generated yet, and the job drawing it when it does not exist.
    func placeholder(
        for request: ImageRequest,
        key: CacheKey,
        prompt: PromptFile,
        with writer: inout SiteWriter
    ) -> (SiteImage, PlaceholderJob?) {
        let size = placeholderSize(for: request)
        let drawn = PlaceholderRenderer.drawnSize(for: size)
        let path = SiteLayout.placeholder(key, size: size)
        writer.keep(path)
        let job = writer.exists(path) ? nil : PlaceholderJob(path: path, prompt: prompt, size: size, key: key)
        return (SiteImage(path: path, width: drawn.width, height: drawn.height, label: "Placeholder"), job)
    }

    /// The size a placeholder is drawn at: the requested size, or 1024x1024 for `auto`.
    func placeholderSize(for request: ImageRequest) -> ImageSize {
        let size = request.size ?? project.catalog[request.model]?.defaults["size"] ?? "auto"
        return ImageSize(size) ?? ImageSize(width: 1024, height: 1024)
    }

    func renderPlaceholders(_ pending: [PlaceholderJob], into writer: SiteWriter) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var queue = pending.makeIterator()
            func startNext() {
                guard let job = queue.next() else { return }
                group.addTask {
                    let text =
                        job.prompt.request?.prompt.isEmpty == false ? job.prompt.request!.prompt : job.prompt.title
                    // Drawn at a bounded size, labelled with the one asked for.
                    let drawn = PlaceholderRenderer.drawnSize(for: job.size)
                    let png = try await placeholders.render(
                        prompt: text,
                        width: drawn.width,
                        height: drawn.height,
                        key: job.key.hex,
                        label: "\(job.size.width)×\(job.size.height)"
                    )
                    try AtomicFile.write(png, to: writer.url(job.path), durable: false)
                }
            }
            for _ in 0..<ProcessInfo.processInfo.activeProcessorCount { startNext() }
            while try await group.next() != nil { startNext() }
        }
    }

    /// Thumbnails were once named after the published original, whose name changes with the
    /// title; now they are named after the image. A missing set whose old names are there (a site
    /// an earlier Easel made) is linked into place rather than made again: 10,000 prompts took
    /// two minutes of libvips to redo. The old names are then left out of the site and removed.
    private func adoptEarlierThumbnails(
        _ jobs: [(source: String, widths: [Int], destinations: [String])],
        made: inout [[(width: Int, height: Int)]?],
        with writer: inout SiteWriter
    ) {
        for index in made.indices where made[index] == nil {
            let job = jobs[index]
            let earlier = job.widths.map { SiteLayout.thumbnail(of: job.source, width: $0) }
            guard earlier != job.destinations,
                let sizes = Thumbnailer.existingSizes(atPaths: earlier.map { writer.base + $0 })
            else { continue }
            do {
                for (old, new) in zip(earlier, job.destinations) { try writer.publish(writer.url(old), to: new) }
                made[index] = sizes
            } catch {
                continue  // made again below
            }
        }
    }

    /// Makes (or finds) the WebP thumbnails of every image, at most one per core at a time, and
    /// records them in the items.
    /// - Returns: the images libvips could not read, by site path, with why; the rest have thumbnails.
    func makeThumbnails(for items: inout [Item], with writer: inout SiteWriter) async throws -> [String: String] {
        // Paths inside the site; URLs are made only for the jobs the thumbnailer gets.
        var jobs: [(source: String, widths: [Int], destinations: [String])] = []
        // The job of each image path, and of each set of thumbnails: two prompts that share a
        // cache entry publish two originals (each with its own provenance) of the same pixels,
        // whose thumbnails are one set, made once.
        var seen: [String: Int] = [:]
        var jobOf: [String: Int] = [:]
        func plan(_ image: SiteImage) {
            guard seen[image.path] == nil, !image.thumbnailWidths.isEmpty else { return }
            let destinations = image.thumbnailWidths.map {
                SiteLayout.thumbnail(of: image.path, stem: image.thumbnailStem, width: $0)
            }
            let set = destinations.joined(separator: "\n")
            if let job = jobOf[set] {
                seen[image.path] = job
                return
            }
            seen[image.path] = jobs.count
            jobOf[set] = jobs.count
            jobs.append((image.path, image.thumbnailWidths, destinations))
        }
        for item in items {
            (item.images + item.inputs + item.versions.flatMap(\.images)).forEach(plan)
        }
        let names = jobs.map(\.destinations)
        try FileManager.default.createDirectory(at: writer.url(SiteLayout.thumbs), withIntermediateDirectories: true)
        // Thumbnails are made once: those that exist are found on every core, and only the
        // sources with one missing go to the thumbnailer.
        let base = writer.base
        var made = names.concurrentMap { Thumbnailer.existingSizes(atPaths: $0.map { base + $0 }) }
        adoptEarlierThumbnails(jobs, made: &made, with: &writer)
        let missing = made.indices.filter { made[$0] == nil }
        // One image that cannot be read (a damaged cache entry) does not stop the others.
        let new = try await thumbnailer.thumbnails(
            missing.map { (writer.url(jobs[$0].source), jobs[$0].widths, jobs[$0].destinations.map(writer.url)) }
        )
        var failed: [Int: String] = [:]
        for (index, result) in zip(missing, new) {
            switch result {
            case .success(let thumbs): made[index] = thumbs.map { ($0.width, $0.height) }
            case .failure(let error): failed[index] = error.message
            }
        }
        var broken: [String: String] = [:]
        var thumbs: [String: [Thumb]] = [:]
        for (path, index) in seen {
            if let message = failed[index] { broken[path] = message }
            thumbs[path] = zip(names[index], made[index] ?? []).map { relative, result in
                writer.keep(relative)
                return Thumb(path: relative, width: result.width, height: result.height)
            }
        }
        func fill(_ images: inout [SiteImage]) {
            for index in images.indices { images[index].thumbs = thumbs[images[index].path] ?? [] }
        }
        for index in items.indices {
            fill(&items[index].images)
            fill(&items[index].inputs)
            for version in items[index].versions.indices { fill(&items[index].versions[version].images) }
        }
        return broken
    }
}
