import Foundation

extension PageModelBuilder {
    /// `sizes` of a card's thumbnail: the grid's column width.
    static let cardSizes = "(max-width: 640px) 50vw, 300px"
    /// `sizes` of a result on a prompt page.
    static let pageSizes = "(max-width: 960px) 100vw, 960px"

    /// The prompts of the index (`album` nil) or of an album, in the order their cards are shown
    /// (newest first, then by path: a card keeps its place from build to build), with what every
    /// page of the list shows about all of them.
    struct Listing: Sendable {
        var album: String?
        /// The list's first page.
        var first: String
        /// Every item of the site, and the positions of the list's own in it, in list order
        /// (indices, so that twenty albums of 10,000 prompts do not copy their items).
        var all: [Item]
        var order: [Int]
        var albums: [FacetView]
        var tags: [FacetView]
        var models: [FacetView]
        /// Albums, tags and models of the list left out of its filters (``maxFacets``).
        var albumsOmitted = 0
        var tagsOmitted = 0
        var modelsOmitted = 0
        var placeholders: Int
        var failures: Int

        var count: Int { order.count }
        var items: some Collection<Item> { order.lazy.map { all[$0] } }

        /// The positions in `all` of the cards of page `number` (from 1) at `size` a page.
        func positions(of number: Int, size: Int) -> ArraySlice<Int> {
            let start = min(order.count, (number - 1) * size)
            return order[start..<min(order.count, start + size)]
        }
    }

    /// `items` in the index's order (newest first, then by path), sorted once for every list, with
    /// what the lists filter and count by taken out of the items once: each album's list is the
    /// index's order filtered (21 lists of 10,000 items were sorted and walked one by one).
    struct Sorting: Sendable {
        var items: [Item]
        /// Positions in `items`, in list order.
        var order: [Int]
        /// What the order is made from: each item's date (``sortDate(_:)``) and path.
        var dates: [String]
        var paths: [String]
        var albums: [String?]
        var tags: [[String]]
        /// Each item's model; a comparison's, each model of its cells (a filter matches any).
        var models: [[String]]
        var placeholder: [Bool]
        var failed: [Bool]

        /// Puts item `index`'s keys in; false when what the lists count changed (album, tags,
        /// model, placeholder, failure), which only the order and these decide.
        mutating func take(_ item: Item, at index: Int, from builder: PageModelBuilder) -> Bool {
            let outcome = item.outcome
            let (isPlaceholder, isFailed) = (builder.isPlaceholder(outcome), outcome.status == .failed)
            let counted =
                albums[index] == outcome.prompt.album && tags[index] == outcome.prompt.tags
                && models[index] == PageModelBuilder.models(of: item) && placeholder[index] == isPlaceholder
                && failed[index] == isFailed
            (dates[index], paths[index]) = (builder.sortDate(outcome), outcome.prompt.path)
            (albums[index], tags[index], models[index]) = (
                outcome.prompt.album, outcome.prompt.tags, PageModelBuilder.models(of: item)
            )
            (placeholder[index], failed[index]) = (isPlaceholder, isFailed)
            return counted
        }

        /// This sorting without its items (kept by `easel serve`, which changes the items).
        var withoutItems: Sorting {
            var sorting = self
            sorting.items = []
            return sorting
        }

        /// Whether `a` comes before `b` in the lists.
        func precedes(_ a: Int, _ b: Int) -> Bool {
            dates[a] != dates[b] ? dates[a] > dates[b] : paths[a] < paths[b]
        }
    }

    /// The models an item is filtered by: its own, or each of a comparison's cells, once each.
    static func models(of item: Item) -> [String] {
        guard !item.cells.isEmpty else { return [item.outcome.prompt.model] }
        var seen: Set<String> = []
        return item.cells.map(\.outcome.prompt.model).filter { seen.insert($0).inserted }
    }

    func sorting(_ items: [Item]) -> Sorting {
        var sorting = Sorting(
            items: items,
            order: [],
            dates: items.map { sortDate($0.outcome) },
            paths: items.map(\.outcome.prompt.path),
            albums: items.map(\.outcome.prompt.album),
            tags: items.map(\.outcome.prompt.tags),
            models: items.map(Self.models(of:)),
            placeholder: items.map { isPlaceholder($0.outcome) },
            failed: items.map { $0.outcome.status == .failed }
        )
        sorting.order = items.indices.sorted(by: sorting.precedes)
        return sorting
    }

    /// The sorting of `items`, which differ from the items `previous` was made of (its `items`
    /// need not be there) at the positions `changed` only: their keys are taken again, and the
    /// order is kept when it still holds (checked in one pass; most changes move no card).
    /// - Returns: also whether every list is as `previous`'s were (same order, same counts).
    func sorting(_ items: [Item], from previous: Sorting, changed: [Int]) -> (sorting: Sorting, sameLists: Bool) {
        var sorting = previous
        sorting.items = items
        var same = true
        for index in changed { same = sorting.take(items[index], at: index, from: self) && same }
        if !Self.isOrder(sorting.order, of: items.count, by: sorting.precedes) {
            sorting.order = items.indices.sorted(by: sorting.precedes)
            same = same && sorting.order == previous.order
        }
        return (sorting, same)
    }

    /// Whether `order` lists every index below `count` once, each preceding the next (`precedes`
    /// being a strict order on them).
    static func isOrder(_ order: [Int], of count: Int, by precedes: (Int, Int) -> Bool) -> Bool {
        guard order.count == count else { return false }
        var seen = [Bool](repeating: false, count: count)
        for (offset, index) in order.enumerated() {
            guard (0..<count).contains(index), !seen[index] else { return false }
            seen[index] = true
            if offset > 0, !precedes(order[offset - 1], index) { return false }
        }
        return true
    }

    func listing(_ sorting: Sorting, album: String?, albums: SiteAlbums) -> Listing {
        let shown =
            album.map { album in sorting.order.filter { SiteAlbums.contains(album, sorting.albums[$0]) } }
            ?? sorting.order
        let albumFacets = facets(shown.compactMap { sorting.albums[$0] })
        let tagFacets = facets(shown.flatMap { sorting.tags[$0] })
        let modelFacets = facets(shown.flatMap { sorting.models[$0] })
        return Listing(
            album: album,
            first: album.map { albums.path(of: $0) } ?? SiteLayout.index,
            all: sorting.items,
            order: shown,
            albums: albumFacets.shown,
            tags: tagFacets.shown,
            models: modelFacets.shown,
            albumsOmitted: albumFacets.omitted,
            tagsOmitted: tagFacets.omitted,
            modelsOmitted: modelFacets.omitted,
            placeholders: shown.filter { sorting.placeholder[$0] }.count,
            failures: shown.filter { sorting.failed[$0] }.count
        )
    }

    /// How many cards a page of the index or of an album holds.
    var pageSize: Int { project.config.pageSize ?? SiteConfig.defaultPageSize }

    /// Page `number` (from 1) of the index or of an album's list.
    /// With `memo`, each card carries its text, rendered once for the pages that show it.
    func indexPage(
        _ listing: Listing,
        number: Int,
        site: SiteInfo,
        albums: SiteAlbums,
        cards memo: PageMemos? = nil
    ) -> IndexPage {
        let album = listing.album
        let path = SiteLayout.listPage(listing.first, number: number)
        let root = SitePaths.root(of: path)
        let cards = listing.positions(of: number, size: pageSize).map { position in
            let card = card(listing.all[position], root: root)
            guard let memo, memo.cards != nil else { return card }
            return card.with(builtinCardHTML: memo.html(of: card, at: CardMemo.Key(position: position, root: root)))
        }
        let count = SiteLayout.pageCount(total: listing.count, size: pageSize)
        let topLevel = album.map { String($0.split(separator: "/").first ?? "") }
        let pageSite = SiteInfo(
            title: site.title,
            description: site.description,
            generator: site.generator,
            baseURL: site.baseURL,
            hasFeed: site.hasFeed,
            navigation: albums.navigation(current: topLevel)
        )
        let heading = album.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? site.title
        let first = cards.first { $0.image != nil && !$0.isPlaceholder }?.image
        let numbered = number > 1 ? " · page \(number)" : ""
        let link = { (target: Int) in
            // From this page to another of the list: both are in the list's folder or below it.
            root + SiteLayout.listPage(listing.first, number: target)
        }
        let pagination =
            count > 1
            ? PaginationView(
                number: number,
                count: count,
                first: (number - 1) * pageSize + 1,
                last: (number - 1) * pageSize + cards.count,
                previous: number > 1 ? link(number - 1) : nil,
                next: number < count ? link(number + 1) : nil,
                links: SiteLayout.linkedPages(current: number, count: count).enumerated().map { offset, page in
                    page.map { PageLinkView(number: $0, url: link($0), isCurrent: $0 == number) }
                        ?? PageLinkView(number: -offset, url: nil, isCurrent: false)
                }
            ) : nil
        return IndexPage(
            site: pageSite,
            root: root,
            album: album,
            heading: heading,
            // On the first page only: an album with 10,000 folders inside had them on each of 100 pages.
            subAlbums: number == 1 ? albums.links(current: nil, inside: album) : [],
            parents: Array(albums.chain(of: album).dropLast()),
            social: social(
                title: (album.map { _ in "\(heading) · \(site.title)" } ?? site.title) + numbered,
                description: site.description
                    ?? "\(listing.count) images made from prompts with \(Self.generator)",
                image: first,
                page: path,
                root: root
            ),
            cards: cards,
            albums: listing.albums,
            tags: listing.tags,
            models: listing.models,
            albumsOmitted: listing.albumsOmitted.shownCount,
            tagsOmitted: listing.tagsOmitted.shownCount,
            modelsOmitted: listing.modelsOmitted.shownCount,
            total: listing.count,
            placeholders: listing.placeholders,
            failures: listing.failures,
            pagination: pagination,
            searchIndex: count > 1 ? root + SiteLayout.searchIndex : nil
        )
    }

    /// The page of one prompt. With `memos`, its navigation and footer are the text rendered once
    /// for the prompt pages at its depth.
    func promptPage(_ item: Item, site: SiteInfo, albums: SiteAlbums, memos: PageMemos? = nil) -> PromptPage {
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
        let images = item.images.map { view($0, alt: alt, root: root, sizes: Self.pageSizes) }
        let currentText = prompt.request?.prompt ?? prompt.text
        var diffBudget = 4 * WordDiff.maxCells
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
            images: images,
            inputs: item.inputs.map { view($0, alt: "\($0.label) of “\(prompt.title)”", root: root, sizes: "240px") },
            details: details(item),
            problems: problems,
            parents: albums.chain(of: prompt.album),
            versions: item.versions.map { version in
                VersionView(
                    created: Display.time(version.record.created),
                    createdISO: Display.iso(version.record.created),
                    model: version.record.model,
                    size: version.record.size ?? version.record.request.size ?? "auto",
                    diff: WordDiff.html(from: version.record.request.prompt, to: currentText, budget: &diffBudget),
                    images: version.images.map {
                        view(
                            $0,
                            alt: Display.excerpt(version.record.request.prompt, limit: 250),
                            root: root,
                            sizes: "240px"
                        )
                    }
                )
            },
            versionsOmitted: item.versionsOmitted.shownCount,
            credentials: (item.requests.flatMap(\.images) + item.inputs).compactMap { credentialsView($0, root: root) },
            verifier: Self.verifierURL,
            social: social(
                title: "\(prompt.title) · \(site.title)",
                description: Display.excerpt(prompt.text.isEmpty ? prompt.title : prompt.text, limit: 200),
                image: isPlaceholder(item.outcome) ? nil : images.first,
                page: item.page,
                root: root
            ),
            comparison: comparison(item, root: root),
            queuedNote: item.outcome.queued.map(Self.queuedNote),
            chrome: memos?.chrome(root: root, site: site)
        )
    }

    func card(_ item: Item, root: String) -> CardView {
        let prompt = item.outcome.prompt
        let record = item.outcome.entry?.record
        let models = Self.models(of: item)
        let searchable = [prompt.title, prompt.text, prompt.album ?? ""] + models + prompt.tags
        return CardView(
            title: prompt.title,
            url: root + item.page,
            album: prompt.album,
            tags: prompt.tags,
            model: prompt.model,
            size: displaySize(item.outcome),
            latency: record.map(Self.latency),
            created: record.map { Display.time($0.created) },
            createdISO: record.map { Display.iso($0.created) },
            status: status(item.outcome),
            isPlaceholder: isPlaceholder(item.outcome),
            isFailed: item.outcome.status == .failed,
            image: item.images.first.map { view($0, alt: altText(prompt), root: root, sizes: Self.cardSizes) },
            searchText: searchable.joined(separator: " ").lowercased(),
            imageCount: item.images.count,
            kind: prompt.kind.rawValue,
            sortDate: sortDate(item.outcome),
            models: models,
            compareCells: item.cells.count
        )
    }

    /// Open Graph values: an absolute image and page URL when base_url is set, relative otherwise.
    func social(title: String, description: String, image: ImageView?, page: String, root: String) -> SocialView {
        let base = project.config.baseURL
        let picture = image.map { image in
            // The image URL is relative from the page; make it relative from the root for base_url.
            let fromRoot = String(image.full.dropFirst(root.count))
            return base.map { $0 + fromRoot } ?? image.full
        }
        return SocialView(
            title: title,
            description: description,
            image: picture,
            imageWidth: image?.fullWidth,
            imageHeight: image?.fullHeight,
            url: base.map { $0 + page }
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
        if let compare = prompt.compare {
            add("Compared", "\(compare.axes.map(\.key).joined(separator: " × ")) · \(compare.cells.count) requests")
            add("On the index", compare.label(of: compare.pick))
        }
        add("Model", prompt.model)
        add("Size", displaySize(item.outcome))
        add("Quality", requestedOrReported(request?.quality, record?.quality, default: model?.defaults["quality"]))
        add("Format", record?.format ?? request.map { $0.outputFormat })
        add("Background", requestedOrReported(request?.background, record?.background, default: nil))
        if let n = request?.n, n > 1 { add("Images", String(n)) }
        if let compression = request?.compression { add("Compression", "\(compression)") }
        if let moderation = request?.moderation { add("Moderation", moderation) }
        if let fidelity = request?.inputFidelity { add("Input fidelity", fidelity) }
        if let seed = request?.seed { add("Seed", seed) }
        if let record {
            add("Latency", Self.latency(of: record))
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

    /// How an image is shown from a page `root` away from the site root: its smallest thumbnail
    /// as `src` (the original when there is none), every thumbnail in `srcset`.
    func view(_ image: SiteImage, alt: String, root: String, sizes: String, label: String? = nil) -> ImageView {
        let shown = image.thumbs.first
        // One candidate per width: thumbnails of an original narrower than 320 px all have its
        // width, and a srcset with two candidates of one width is invalid HTML.
        var widths = Set<Int>()
        let candidates = image.thumbs.filter { widths.insert($0.width).inserted }
        let srcset =
            candidates.count > 1
            ? candidates.map { "\(root)\($0.path) \($0.width)w" }.joined(separator: ", ") : nil
        return ImageView(
            src: root + (shown?.path ?? image.path),
            full: root + image.path,
            srcset: srcset,
            sizes: srcset == nil ? nil : sizes,
            fullWidth: image.width,
            fullHeight: image.height,
            width: shown?.width ?? image.width,
            height: shown?.height ?? image.height,
            alt: alt,
            label: label ?? image.label
        )
    }

    /// What a page says of a request waiting in a batch.
    static func queuedNote(_ queued: Queued) -> String {
        (queued.batchID.map { "in batch \($0)" } ?? "in a batch being sent")
            + ", submitted \(Display.time(queued.since))"
    }

    /// A request's latency as pages show it; for an entry made through the Batch API, the batch's
    /// time from submission to completion, said as such ("batch, 3 h 12 min").
    static func latency(of record: CacheRecord) -> String {
        guard let batch = record.batch else { return Display.duration(milliseconds: record.latencyMS) }
        let seconds = batch.completedAt.timeIntervalSince(batch.submittedAt)
        return "batch, " + Display.duration(milliseconds: Int(max(0, seconds) * 1000))
    }

    func altText(_ prompt: PromptFile) -> String {
        let text = prompt.text.isEmpty ? prompt.title : prompt.text
        return Display.excerpt(text, limit: 250)
    }

    /// The filter buttons a list page shows for one kind (albums, tags, models), at most.
    static let maxFacets = 100

    /// The names' counts, in name order: the ``maxFacets`` most frequent (the first in name order
    /// among equals), and how many were left out. Every page of a list shows its filters: a gallery
    /// of 10,000 prompts with five tags of their own each had 50,000 buttons on each of 100 pages
    /// (quadratic in the prompts; a cloned gallery may hold 100 tags a prompt). The search covers
    /// what is left out (`search-index.js` holds every tag).
    private func facets(_ names: [String]) -> (shown: [FacetView], omitted: Int) {
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        let byName = { (a: (key: String, value: Int), b: (key: String, value: Int)) in
            a.key.localizedStandardCompare(b.key) == .orderedAscending
        }
        var kept = Array(counts)
        if kept.count > Self.maxFacets {
            kept = Array(
                kept.sorted { $0.value != $1.value ? $0.value > $1.value : byName($0, $1) }.prefix(Self.maxFacets)
            )
        }
        return (kept.sorted(by: byName).map { FacetView(name: $0.key, count: $0.value) }, counts.count - kept.count)
    }

    func isPlaceholder(_ outcome: PromptOutcome) -> Bool {
        outcome.entry == nil && (outcome.status == .placeholder || outcome.status == .skipped)
    }

    /// "generated", "placeholder" or "failed": what the page shows, the same whether this build made
    /// the image or found it in the cache, so that a rebuild with nothing changed rewrites no page.
    func status(_ outcome: PromptOutcome) -> String {
        if isPlaceholder(outcome) { return "placeholder" }
        return outcome.status == .failed ? "failed" : "generated"
    }

    func displaySize(_ outcome: PromptOutcome) -> String {
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

    func sortDate(_ outcome: PromptOutcome) -> String {
        if let date = outcome.prompt.date { return Display.iso(date) }
        return outcome.entry.map { Display.iso($0.record.created) } ?? ""
    }
}
