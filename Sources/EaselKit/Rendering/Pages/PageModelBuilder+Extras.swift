import Foundation

extension PageModelBuilder {
    /// Totals and latency by operation and model.
    func statsPage(_ items: [Item], site: SiteInfo) -> StatsPage {
        // One record per request shown (prompts sharing a request count once), as the few figures
        // the page shows: grouping whole records copied 14 MB of them for 10,000 prompts.
        var samples: [CacheKey: StatsSample] = [:]
        var batched: [CacheRecord] = []
        // Requests that reached the API and failed, by key, with their model and quality.
        var failures: [CacheKey: String] = [:]
        for item in items.lazy.flatMap(\.requests) {
            guard let record = item.outcome.entry?.record else {
                if let failed = failedRequest(item.outcome) { failures[failed.key] = failed.group }
                continue
            }
            // An entry made through the Batch API has the batch's hours, not a latency: it counts in
            // the totals, not in the latency tables.
            if record.batch != nil {
                batched.append(record)
                continue
            }
            samples[record.key] = StatsSample(
                key: record.key,
                operation: operation(record),
                model: record.model,
                quality: record.quality ?? record.request.quality ?? "auto",
                latencyMS: record.latencyMS,
                totalMS: record.totalMS,
                images: record.images.count,
                costUSD: record.costUSD
            )
        }
        let all = samples.values.sorted { $0.key < $1.key }
        let groups = Dictionary(grouping: all) { "\($0.operation) · \($0.model)" }
        let rows = groups.keys.sorted().map { name -> StatsRow in
            let group = groups[name]!
            let latencies = group.map { Double($0.latencyMS) / 1000 }.sorted()
            return StatsRow(
                operation: group[0].operation,
                model: group[0].model,
                count: group.count,
                median: Display.duration(milliseconds: Int(percentile(latencies, 0.5) * 1000)),
                p90: Display.duration(milliseconds: Int(percentile(latencies, 0.9) * 1000)),
                mean: Display.duration(milliseconds: Int(latencies.reduce(0, +) / Double(latencies.count) * 1000)),
                cost: cost(group.map(\.costUSD))
            )
        }
        let bars = groups.keys.sorted().map { name -> StatsChart.Bar in
            let latencies = groups[name]!.map { Double($0.latencyMS) / 1000 }.sorted()
            return StatsChart.Bar(label: name, median: percentile(latencies, 0.5), p90: percentile(latencies, 0.9))
        }
        let qualities = qualityRows(all, failures: failures)
        let throughBatches = Dictionary(batched.map { ($0.key, $0) }) { first, _ in first }.values
            .sorted { $0.key < $1.key }
        let images = all.reduce(0) { $0 + $1.images } + throughBatches.reduce(0) { $0 + $1.images.count }
        let requests = all.count + throughBatches.count
        let costs = all.map(\.costUSD) + throughBatches.map(\.costUSD)
        let apiTime = all.reduce(0) { $0 + $1.totalMS }
        var totals = [
            DetailView(label: "Prompts", value: String(items.count), datetime: nil),
            DetailView(label: "Images", value: String(images), datetime: nil),
            DetailView(label: "Requests", value: String(requests), datetime: nil),
            DetailView(label: "Cost", value: cost(costs), datetime: nil),
            DetailView(label: "API time", value: Display.duration(milliseconds: apiTime), datetime: nil),
        ]
        if !throughBatches.isEmpty {
            totals.append(
                DetailView(label: "Through the Batch API", value: String(throughBatches.count), datetime: nil)
            )
        }
        return StatsPage(
            site: site,
            root: "",
            totals: totals,
            chart: StatsChart.svg(
                bars,
                title: "Latency by operation and model: median, whisker to the 90th percentile"
            ),
            rows: rows,
            qualities: qualities,
            social: social(
                title: "Statistics · \(site.title)",
                description: "\(images) images, \(requests) requests, \(cost(costs))",
                image: nil,
                page: "stats.html",
                root: ""
            )
        )
    }

    /// The Atom feed and sitemap data: the 50 newest generated prompts (the sitemap lists every page).
    func feedPage(
        _ items: [Item],
        site: SiteInfo,
        base: String,
        albums: SiteAlbums,
        limit: Int? = nil,
        listPages: [String] = []
    ) -> FeedPage {
        let sorted = items.map { ($0, sortDate($0.outcome)) }.sorted { ($0.1, $0.0.page) > ($1.1, $1.0.page) }
        let dated = limit.map { Array(sorted.prefix($0)) } ?? sorted
        let entries = dated.map { item, date in
            FeedEntry(
                title: item.outcome.prompt.title,
                url: base + item.page,
                updated: date.isEmpty ? "1970-01-01T00:00:00Z" : date,
                summary: Display.excerpt(item.outcome.prompt.text, limit: 300),
                image: isPlaceholder(item.outcome) ? nil : item.images.first.map { base + $0.path }
            )
        }
        return FeedPage(
            site: site,
            base: base,
            updated: dated.first.map { $0.1.isEmpty ? "1970-01-01T00:00:00Z" : $0.1 } ?? "1970-01-01T00:00:00Z",
            entries: entries,
            listPages: listPages
        )
    }

    /// How many entries the feed holds: the newest.
    static let feedEntries = 50

    /// `gallery.json`: everything the site shows, for scripts.
    /// - Parameter whole: encodes the whole gallery at once, as it was before it was put together
    ///   from its prompts: for tests, which check that both print the same bytes.
    /// - Parameter rows: the rows the last render encoded, taken for the items that did not change.
    func galleryJSON(_ items: [Item], whole: Bool = false, rows: RowMemo? = nil) throws -> [Data] {
        struct Gallery: Encodable {
            var generator: String
            var title: String
            var prompts: [Prompt]
        }
        struct Prompt: Encodable {
            var file: String
            var title: String
            var page: String
            var album: String?
            var tags: [String]
            var model: String
            var status: String
            var key: String?
            var created: String?
            var latencyMS: Int?
            var costUSD: Double?
            var images: [Image]
            /// An edit's inputs and mask.
            var inputs: [Image]
            /// The prompt sent and its settings: what an original without Content Credentials has
            /// embedded, and the only place Easel writes them for one with (SPEC §7).
            var provenance: Provenance?
            /// A `compare:` prompt's axes and every cell; the fields above are its picked cell's.
            var compare: Compare?
            /// The batch the image was made in (then `latency_ms` is the batch's time).
            var batch: BatchJSON?
            enum CodingKeys: String, CodingKey {
                case file, title, page, album, tags, model, status, key, created
                case latencyMS = "latency_ms"
                case costUSD = "cost_usd"
                case images, inputs, provenance, compare, batch
            }
        }
        struct BatchJSON: Encodable {
            var id: String
            var submitted: String
            var completed: String

            init?(_ batch: CacheRecord.Batch?) {
                guard let batch else { return nil }
                (id, submitted, completed) = (batch.id, Display.iso(batch.submittedAt), Display.iso(batch.completedAt))
            }
        }
        struct Compare: Encodable {
            var axes: [Comparison.Axis]
            var pick: Int
            var cells: [Cell]
        }
        struct Cell: Encodable {
            /// The cell's value on each axis, in the axes' order.
            var values: [String]
            var model: String
            var status: String
            var key: String?
            var failure: String?
            var created: String?
            var latencyMS: Int?
            var costUSD: Double?
            var usage: Usage?
            var images: [Image]
            var batch: BatchJSON?
            enum CodingKeys: String, CodingKey {
                case values, model, status, key, failure, created
                case latencyMS = "latency_ms"
                case costUSD = "cost_usd"
                case usage, images, batch
            }
        }
        struct Provenance: Encodable {
            var prompt: String
            var settings: [String: String]
        }
        struct Image: Encodable {
            var url: String
            var width: Int
            var height: Int
            var thumbnails: [String]
            /// Originals and inputs: what their C2PA Content Credentials say (SPEC §7).
            var credentials: CredentialsJSON?

            init(_ image: SiteImage) {
                url = image.path
                width = image.width
                height = image.height
                thumbnails = image.thumbs.map(\.path)
                credentials = PageModelBuilder.credentialsJSON(image.credentials)
            }
        }
        @Sendable func prompt(_ item: Item) -> Prompt {
            let record = item.outcome.entry?.record
            return Prompt(
                file: item.outcome.prompt.path,
                title: item.outcome.prompt.title,
                page: item.page,
                album: item.outcome.prompt.album,
                tags: item.outcome.prompt.tags,
                model: item.outcome.prompt.model,
                status: status(item.outcome),
                key: item.outcome.key?.hex,
                created: record.map { Display.iso($0.created) },
                latencyMS: record?.latencyMS,
                costUSD: record?.costUSD,
                images: item.images.map { Image($0) },
                inputs: item.inputs.map { Image($0) },
                provenance: record.map { record in
                    let provenance = SitePublisher.provenance(of: record, prompt: item.outcome.prompt)
                    return Provenance(
                        prompt: provenance.prompt,
                        settings: Dictionary(provenance.settings.map { ($0.key, $0.value) }) { first, _ in first }
                    )
                },
                compare: item.outcome.prompt.compare.map { comparison in
                    Compare(
                        axes: comparison.axes,
                        pick: comparison.pick,
                        cells: item.cells.map { cell in
                            let record = cell.outcome.entry?.record
                            let values = cell.outcome.cell.map { index in
                                zip(comparison.axes, comparison.cells[index].choices).map { $0.values[$1] }
                            }
                            return Cell(
                                values: values ?? [],
                                model: cell.outcome.prompt.model,
                                status: status(cell.outcome),
                                key: cell.outcome.key?.hex,
                                failure: cell.outcome.failure,
                                created: record.map { Display.iso($0.created) },
                                latencyMS: record?.latencyMS,
                                costUSD: record?.costUSD,
                                usage: record?.usage,
                                images: cell.images.map { Image($0) },
                                batch: BatchJSON(record?.batch)
                            )
                        }
                    )
                },
                batch: BatchJSON(record?.batch)
            )
        }
        let encoder = PrettyJSON.encoder()
        let title = project.config.title ?? "Gallery"
        let order = items.indices.sorted { items[$0].page < items[$1].page }
        guard !order.isEmpty, !whole else {
            return [
                try encoder.encode(
                    Gallery(generator: Self.generator, title: title, prompts: order.map { prompt(items[$0]) })
                )
            ]
        }
        // The prompts are encoded one by one on every core and put together as encoding the whole
        // would print them (two spaces a level; keys sorted: generator, prompts, title): encoding
        // 10,000 at once built a tree of every value first, 1.3 s and a hundred MB.
        rows?.encoded(.gallery)
        let parts = try Self.encodedOnEveryCore(order) { index in
            try rows?.row(.gallery, index) { try galleryRow(index) } ?? galleryRow(index)
        }
        @Sendable func galleryRow(_ index: Int) throws -> Data {
            PrettyJSON.indented(Array(try encoder.encode(prompt(items[index]))), levels: 2)
        }
        // Handed to the writer in parts: put together, the file of 10,000 prompts was 21 MB more at the build's peak.
        var head = Data("{\n  \"generator\" : ".utf8)
        head.append(try encoder.encode(Self.generator))
        head.append(contentsOf: Array(",\n  \"prompts\" : [\n".utf8))
        var tail = Data("\n  ],\n  \"title\" : ".utf8)
        tail.append(try encoder.encode(title))
        tail.append(contentsOf: Array("\n}".utf8))
        return [head] + Self.interleaved(parts, separator: Data(",\n".utf8)) + [tail]
    }

    private func operation(_ record: CacheRecord) -> String {
        switch record.request.endpoint {
        case .generations: return "generation"
        case .edits: return "edit"
        case .variations: return "variation"
        }
    }

    /// The model × quality table: for each pair, the requests the cache holds, their median and
    /// 90th-percentile latency, the median cost of one image, and the requests that failed.
    private func qualityRows(_ all: [StatsSample], failures: [CacheKey: String]) -> [StatsQualityRow] {
        let groups = Dictionary(grouping: all) { Self.group(model: $0.model, quality: $0.quality) }
        let failed = Dictionary(grouping: failures.values) { $0 }.mapValues(\.count)
        return Set(groups.keys).union(failed.keys).sorted().map { name in
            let group = groups[name] ?? []
            let latencies = group.map { Double($0.latencyMS) / 1000 }.sorted()
            let perImage = group.compactMap { sample in
                sample.costUSD.map { $0 / Double(max(1, sample.images)) }
            }.sorted()
            let parts = name.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            return StatsQualityRow(
                model: parts[0],
                quality: parts.count > 1 ? parts[1] : "auto",
                count: group.count,
                median: group.isEmpty ? "–" : Display.duration(milliseconds: Int(percentile(latencies, 0.5) * 1000)),
                p90: group.isEmpty ? "–" : Display.duration(milliseconds: Int(percentile(latencies, 0.9) * 1000)),
                costPerImage: perImage.isEmpty
                    ? (group.isEmpty ? "–" : "unknown") : Display.dollars(percentile(perImage, 0.5)),
                failures: failed[name] ?? 0
            )
        }
    }

    private static func group(model: String, quality: String) -> String { model + "\u{1F}" + quality }

    /// A request that reached the API and failed (not an invalid prompt, not one left unsent): its
    /// key and its model × quality group.
    private func failedRequest(_ outcome: PromptOutcome) -> (key: CacheKey, group: String)? {
        // Failed in this build after it was sent, or in an earlier one and not made since (the
        // failure log's entry: the prompt is then a placeholder, or skipped).
        let failed = outcome.status == .failed ? outcome.failedAt != nil : outcome.previousFailure != nil
        guard failed, let key = outcome.key, let request = outcome.prompt.request else { return nil }
        let quality = request.quality ?? project.catalog[request.model]?.defaults["quality"] ?? "auto"
        return (key, Self.group(model: request.model, quality: quality))
    }

    /// What one request shown on the stats page counts for.
    private struct StatsSample {
        var key: CacheKey
        var operation: String
        var model: String
        /// The quality the API reports it made (it resolves `auto`), else the one asked for.
        var quality: String
        var latencyMS: Int
        var totalMS: Int
        var images: Int
        var costUSD: Double?
    }

    /// The total of `costs` (one per request; nil where unknown).
    private func cost(_ costs: [Double?]) -> String {
        let known = costs.compactMap { $0 }
        guard !known.isEmpty else { return "unknown" }
        let total = Display.dollars(known.reduce(0, +))
        return known.count == costs.count ? total : "\(total) + \(costs.count - known.count) unknown"
    }

    private func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(sorted.count - 1, lower + 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}

extension PageModelBuilder {
    /// `search-index.js`: every prompt of `listing` (the whole gallery, in its order) as one row of
    /// what its card shows, for the theme's script to search and filter a list longer than a page.
    /// A script, not JSON: a page opened from `file://` may load a script but not fetch a file.
    /// URLs are from the site root.
    /// - Parameter whole: encodes the index at once (for tests: the same bytes).
    /// - Parameter rows: the rows the last render encoded, taken for the items that did not change.
    func searchIndexScript(_ listing: Listing, whole: Bool = false, rows: RowMemo? = nil) throws -> [Data] {
        struct Index: Encodable {
            var fields: [String]
            var prompts: [Row]
        }
        struct Row: Encodable {
            var card: CardView
            var text: String

            func encode(to encoder: any Encoder) throws {
                var row = encoder.unkeyedContainer()
                try row.encode(card.url)
                try row.encode(card.title)
                try row.encode(card.album ?? "")
                try row.encode(card.tags)
                try row.encode(card.model)
                try row.encode(card.sortDate)
                try row.encode(card.status)
                try row.encode(card.kind)
                try row.encode(card.size)
                try row.encode(card.latency ?? "")
                try row.encode(card.created ?? "")
                try row.encode(card.createdISO ?? "")
                try row.encode(card.image?.src ?? "")
                try row.encode(card.image?.srcset ?? "")
                try row.encode(card.image?.width ?? 0)
                try row.encode(card.image?.height ?? 0)
                try row.encode(text)
                try row.encode(card.imageCount)
                try row.encode(card.models)
                try row.encode(card.compareCells)
            }
        }
        let fields = [
            "page", "title", "album", "tags", "model", "date", "status", "kind", "size", "latency", "created",
            "createdISO", "src", "srcset", "width", "height", "text", "images", "models", "compared",
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var script = Data(
            "// The prompts of this gallery for its search (assets/easel.js). Made by Easel.\nwindow.EaselIndex = ".utf8
        )
        if whole {
            script.append(
                try encoder.encode(
                    Index(
                        fields: fields,
                        prompts: listing.items.map { Row(card: card($0, root: ""), text: altText($0.outcome.prompt)) }
                    )
                )
            )
        } else {
            // Row by row on every core, put together as encoding the whole prints it.
            let order = Array(listing.order)
            rows?.encoded(.search)
            let parts = try Self.encodedOnEveryCore(order) { index in
                let item = listing.all[index]
                let encode = { try encoder.encode(Row(card: card(item, root: ""), text: altText(item.outcome.prompt))) }
                return try rows?.row(.search, index, encode: encode) ?? encode()
            }
            script.append(contentsOf: Array("{\"fields\":".utf8))
            script.append(try encoder.encode(fields))
            script.append(contentsOf: Array(",\"prompts\":[".utf8))
            return [script] + Self.interleaved(parts, separator: Data(",".utf8)) + [Data("]};\n".utf8)]
        }
        script.append(contentsOf: Array(";\n".utf8))
        return [script]
    }

    /// `parts` with `separator` between each two.
    static func interleaved(_ parts: [Data], separator: Data) -> [Data] {
        var all: [Data] = []
        all.reserveCapacity(parts.count * 2)
        for (index, part) in parts.enumerated() {
            if index > 0 { all.append(separator) }
            all.append(part)
        }
        return all
    }
}

extension PageModelBuilder {
    /// `encode(index)` of each of `indices`, in order, in 32 runs spread over every core: the
    /// data files are put together from their prompts, each encoded on its own.
    static func encodedOnEveryCore(
        _ indices: [Int],
        _ encode: @escaping @Sendable (Int) throws -> Data
    ) throws -> [Data] {
        let size = max(1, (indices.count + 31) / 32)
        return try stride(from: 0, to: indices.count, by: size).map { indices[$0..<min(indices.count, $0 + size)] }
            .concurrentMap { run in Result { try run.map(encode) } }
            .flatMap { try $0.get() }
    }
}
