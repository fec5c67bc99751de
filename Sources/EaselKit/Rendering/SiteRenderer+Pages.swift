import Foundation

extension SiteRenderer {
    func indexPage(_ items: [Item], site: SiteInfo) -> IndexPage {
        let sorted = items.sorted { a, b in
            let (dateA, dateB) = (sortDate(a.outcome), sortDate(b.outcome))
            if dateA != dateB { return dateA > dateB }
            return a.outcome.prompt.path < b.outcome.prompt.path
        }
        let cards = sorted.map { card($0) }
        return IndexPage(
            site: site,
            root: "",
            cards: cards,
            albums: facets(items.compactMap(\.outcome.prompt.album)),
            tags: facets(items.flatMap(\.outcome.prompt.tags)),
            models: facets(items.map(\.outcome.prompt.model)),
            total: items.count,
            placeholders: items.filter { isPlaceholder($0.outcome) }.count,
            failures: items.filter { $0.outcome.status == .failed }.count
        )
    }

    func promptPage(_ item: Item, site: SiteInfo) -> PromptPage {
        let prompt = item.outcome.prompt
        let root = SitePaths.root(of: item.page)
        let alt = altText(prompt)
        var problems = prompt.diagnostics.filter(\.isError).map {
            ProblemView(location: $0.location.description, message: $0.message)
        }
        if let failure = item.outcome.failure {
            let when = item.outcome.failedAt.map { " · " + Display.time($0) } ?? ""
            problems.append(ProblemView(location: prompt.path + when, message: failure))
        } else if let earlier = item.outcome.previousFailure, item.outcome.entry == nil {
            problems.append(
                ProblemView(
                    location: "\(earlier.file) · \(Display.time(earlier.time))",
                    message: "last attempt failed: \(earlier.message)"
                )
            )
        }
        return PromptPage(
            site: site,
            root: root,
            title: prompt.title,
            album: prompt.album,
            tags: prompt.tags,
            file: prompt.path,
            html: prompt.html,
            kind: prompt.kind.rawValue,
            status: status(item.outcome),
            isPlaceholder: isPlaceholder(item.outcome),
            isFailed: item.outcome.status == .failed,
            images: item.images.map { view($0, alt: alt, root: root) },
            inputs: item.inputs.map { view($0, alt: "\($0.label) of “\(prompt.title)”", root: root) },
            details: details(item),
            problems: problems
        )
    }

    private func card(_ item: Item) -> CardView {
        let prompt = item.outcome.prompt
        let record = item.outcome.entry?.record
        let searchable = [prompt.title, prompt.text, prompt.album ?? "", prompt.model] + prompt.tags
        return CardView(
            title: prompt.title,
            url: item.page,
            album: prompt.album,
            tags: prompt.tags,
            model: prompt.model,
            size: displaySize(item.outcome),
            latency: record.map { Display.duration(milliseconds: $0.latencyMS) },
            created: record.map { Display.time($0.created) },
            createdISO: record.map { Display.iso($0.created) },
            status: status(item.outcome),
            isPlaceholder: isPlaceholder(item.outcome),
            isFailed: item.outcome.status == .failed,
            image: item.images.first.map { view($0, alt: altText(prompt), root: "") },
            searchText: searchable.joined(separator: " ").lowercased(),
            sortDate: sortDate(item.outcome)
        )
    }

    private func details(_ item: Item) -> [DetailView] {
        let prompt = item.outcome.prompt
        let request = prompt.request
        let record = item.outcome.entry?.record
        let model = project.catalog[prompt.model]
        var rows: [DetailView] = []
        func add(_ label: String, _ value: String?, datetime: String? = nil) {
            if let value, !value.isEmpty { rows.append(DetailView(label: label, value: value, datetime: datetime)) }
        }
        add("Model", prompt.model)
        add("Size", displaySize(item.outcome))
        add("Quality", requestedOrReported(request?.quality, record?.quality, default: model?.defaults["quality"]))
        add("Format", record?.format ?? request.map { $0.outputFormat })
        add("Background", requestedOrReported(request?.background, record?.background, default: nil))
        if let n = request?.n, n > 1 { add("Images", String(n)) }
        if let compression = request?.compression { add("Compression", "\(compression)") }
        if let moderation = request?.moderation { add("Moderation", moderation) }
        if let seed = request?.seed { add("Seed", seed) }
        if let record {
            add("Latency", Display.duration(milliseconds: record.latencyMS))
            if record.attempts > 1 {
                add("Total time", "\(Display.duration(milliseconds: record.totalMS)) over \(record.attempts) attempts")
            }
            add("Created", Display.time(record.created), datetime: Display.iso(record.created))
            if let usage = record.usage {
                add("Tokens", "\(Display.count(usage.inputTokens)) in · \(Display.count(usage.outputTokens)) out")
            }
            add("Cost", record.costUSD.map(Display.dollars) ?? "unknown")
            add("Request ID", record.requestID)
            add("Revised prompt", record.revisedPrompt)
        }
        if let date = prompt.date { add("Date", Display.day(date), datetime: Display.iso(date)) }
        add("Cache key", item.outcome.key?.short)
        return rows
    }

    private func view(_ image: SiteImage, alt: String, root: String) -> ImageView {
        ImageView(src: root + image.path, width: image.width, height: image.height, alt: alt, label: image.label)
    }

    private func altText(_ prompt: PromptFile) -> String {
        let text = prompt.text.isEmpty ? prompt.title : prompt.text
        return Display.excerpt(text, limit: 250)
    }

    private func facets(_ names: [String]) -> [FacetView] {
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        return counts.sorted { $0.key.localizedStandardCompare($1.key) == .orderedAscending }
            .map { FacetView(name: $0.key, count: $0.value) }
    }

    private func isPlaceholder(_ outcome: PromptOutcome) -> Bool {
        outcome.entry == nil && (outcome.status == .placeholder || outcome.status == .skipped)
    }

    /// "generated", "placeholder" or "failed": what the page shows, the same whether this build made
    /// the image or found it in the cache, so that a rebuild with nothing changed rewrites no page.
    private func status(_ outcome: PromptOutcome) -> String {
        if isPlaceholder(outcome) { return "placeholder" }
        return outcome.status == .failed ? "failed" : "generated"
    }

    private func displaySize(_ outcome: PromptOutcome) -> String {
        let model = project.catalog[outcome.prompt.model]
        let requested = outcome.prompt.request?.size ?? model?.defaults["size"] ?? "auto"
        guard let reported = outcome.entry?.record.size, reported != requested else { return requested }
        return requested == "auto" ? "auto → \(reported)" : reported
    }

    private func requestedOrReported(_ requested: String?, _ reported: String?, default fallback: String?) -> String? {
        guard let requested = requested ?? fallback else { return reported }
        guard let reported, reported != requested else { return requested }
        return "\(requested) → \(reported)"
    }

    private func sortDate(_ outcome: PromptOutcome) -> String {
        if let date = outcome.prompt.date { return Display.iso(date) }
        return outcome.entry.map { Display.iso($0.record.created) } ?? ""
    }
}
