import Dispatch
import Foundation
internal import Mustache
internal import NIOConcurrencyHelpers

/// Writes the static site: originals, placeholders, inputs and their thumbnails; the index, album,
/// prompt and stats pages; the feed, sitemap and gallery.json; the theme's assets.
///
/// The output depends only on the prompts, the cache and the theme — never on the time of the
/// build — and a file is written only when its content changes.
struct SiteRenderer: Sendable {
    let project: Project
    let theme: Theme
    let library: MustacheLibrary
    let output: URL
    /// Every cache entry by the prompt file it was first made for: the earlier versions.
    let history: CacheIndex
    /// Publishes the images and finds their thumbnails.
    var publisher: SitePublisher { SitePublisher(project: project, output: output, history: history) }
    /// Makes what each page shows.
    var models: PageModelBuilder { PageModelBuilder(project: project, output: output) }

    static let generator = "Easel \(EaselVersion.current)"
    /// Thumbnail widths. A card is about 300 CSS pixels wide: ordinary screens take the 320, 2x
    /// screens the 640 (so a 200-card index stays under 2 MB); prompt pages take the 960.
    static let thumbnailWidths = [320, 640, 960]

    /// One prompt's place in the site, gathered before any page is rendered.
    struct Item: Sendable {
        var outcome: PromptOutcome
        var page: String
        var images: [SiteImage]
        var inputs: [SiteImage]
        var versions: [Version]
        /// Earlier versions left out (``SitePublisher/maxVersions``).
        var versionsOmitted = 0
        /// A comparison's cells, each an item of its own, in the comparison's order; the item itself
        /// is its picked cell's (``grouped(_:)``). Empty for any other prompt.
        var cells: [Item] = []

        /// The cells of a comparison, or the item alone: every request the item shows.
        var requests: [Item] { cells.isEmpty ? [self] : cells }

        /// Shows the prompt as failed with `message`: its entry could not be published.
        mutating func fail(_ message: String) {
            outcome.status = .failed
            outcome.failure = message
            outcome.entry = nil
            images = []
        }
    }

    /// An earlier cache entry of a prompt, and its published images.
    struct Version: Sendable {
        var record: CacheRecord
        var images: [SiteImage]
        /// ``CacheEntry/recordDigest`` of the entry.
        var recordDigest = ""
    }

    /// An image file of the site, by its path inside the site folder, and its thumbnails.
    struct SiteImage: Sendable {
        var path: String
        var width: Int
        var height: Int
        var label: String
        /// What the file's C2PA Content Credentials say: set for originals and edit inputs,
        /// nil for placeholders and masks.
        var credentials: ContentCredentials.Reading? = nil
        /// Widths to make thumbnails at; filled into `thumbs` once they exist.
        var thumbnailWidths: [Int] = SiteRenderer.thumbnailWidths
        /// What names the thumbnails (``SiteLayout/thumbnail(of:stem:width:)``); nil for the file's name.
        var thumbnailStem: String? = nil
        var thumbs: [Thumb] = []
    }

    /// A thumbnail: path inside the site folder and pixel size.
    struct Thumb: Sendable {
        var path: String
        var width: Int
        var height: Int
    }

    /// What a render wrote, and the prompts it found broken on the way.
    struct Rendered: Sendable {
        /// Every file of the site, as paths inside it (the manifest included).
        var files: [String]
        /// Prompts whose cache entry or input turned out unreadable while publishing, by prompt
        /// path, with why: they are shown as failed, and the rest of the site is written.
        var failures: [String: String]
        /// The current originals by what their Content Credentials say.
        var credentials: CredentialsTally
        /// Credentials that are there but cannot be read, by prompt path: warnings.
        var credentialWarnings: [String: [String]]
        /// ``globalDigest()``.
        var global = "-"
        /// The digest of the inputs of every page and data file, by path.
        var inputs: [String: String] = [:]
        /// How many of those were rendered (the others were already right).
        var rendered = 0
    }

    /// What a render leaves for `easel serve` to patch when a prompt is saved (``patch(_:with:)``):
    /// every item with its digest, the inputs of every page, the data files' rows.
    struct Kept: Sendable {
        var items: [Item]
        var digests: [String]
        /// The sorting and lists of the items, without them (``Lists/with(_:)``).
        var sorting: PageModelBuilder.Sorting
        var lists: Lists
        /// ``globalDigest()``.
        var shared: String
        /// The digest of the inputs of every page and data file, by path.
        var inputs: [String: String]
        /// ``RowMemo/current()``; empty when the render kept no row memo.
        var rows: [String: Data]
        /// ``Rendered/failures``.
        var failures: [String: String]
        var credentials: CredentialsMemo
        /// What the site's manifest lists (``SiteWriter/written``).
        var manifest: Set<String>
        /// The position of each prompt's item, by prompt path.
        var positions: [String: Int]
    }

    /// Writes the site. With `previous`, the stamp of the last render into the same folder, a
    /// page whose inputs digest as they did then, and whose file is as that render left it, is
    /// kept as it is: only the pages a change touches are rendered (see PageInputs.swift).
    /// `giveWay` is asked after the images are published and before the first page or data file is
    /// written: true stops the render with ``BuildGaveWay`` (the files published until then are
    /// added to the manifest); `beforePages` is called after it. `siteWritten` is called with the
    /// failures once the pages and data files are written, before the manifest and the memos;
    /// `keep`, just before it, with what a patch needs.
    @discardableResult
    func render(
        _ outcomes: [PromptOutcome],
        previous: SiteStamp? = nil,
        giveWay: (@Sendable () -> Bool)? = nil,
        beforePages: () -> Void = {},
        siteWritten: @Sendable ([String: String]) -> Void = { _ in },
        keep: (@Sendable (Kept) -> Void)? = nil
    ) async throws -> Rendered {
        var writer = SiteWriter(folder: output)
        // Each on one core: the walk of the site for links, and reading the memo.
        async let credentials = CredentialsMemo(of: project)
        writer.removeLinksAndLeftovers()
        Trace.mark("links looked for")
        let memo = await credentials
        Trace.mark("credentials memo loaded")
        let published = try await publisher.prepare(outcomes, memo: memo, with: &writer)
        let failures = Self.failures(published, outcomes)
        let items = Self.grouped(published)
        Trace.mark("prepared \(items.count) items")
        try giveWayIfAsked(giveWay, writer)
        let shared = globalDigest()
        let digests = items.concurrentMap(itemDigest)
        let sorting = models.sorting(items)
        let lists = lists(sorting)
        let pages = pages(items, lists: lists, digests: digests, shared: shared)
        let inputs = Self.inputs(of: pages, digests: digests, shared: shared)
        let current = current(Array(inputs.keys), previous: previous, shared: shared, inputs: inputs)
        Trace.mark("made the digests of \(pages.count) pages: \(current.count) need no render")
        let stale = pages.filter { !current.contains($0.path) }
        try giveWayIfAsked(giveWay, writer)
        beforePages()
        // Kept for the project's own site folder only: a build into another (`--out`) neither
        // uses nor replaces it.
        let rows =
            output.standardizedFileURL == project.siteFolder.standardizedFileURL
            ? RowMemo(project: project, shared: rowsDigest(), digests: digests) : nil
        // The data files are encoded while the pages render.
        async let data = dataFiles(items, all: lists.listings[0], rows: rows, current: current)
        let rendered = try await renderPages(stale, into: writer)
        for path in rendered + current { writer.keep(path) }
        Trace.mark("rendered and wrote \(rendered.count) pages")
        for (path, data) in theme.assets.sorted(by: { $0.key < $1.key }) {
            try writer.write(data, to: "assets/" + path)
        }
        var files = try await data
        try files.write(with: &writer)
        Trace.mark("data files written")
        keep?(
            Kept(
                items: items,
                digests: digests,
                sorting: sorting.withoutItems,
                lists: lists.with([]),
                shared: shared,
                inputs: inputs,
                rows: rows?.current() ?? [:],
                failures: failures,
                credentials: memo,
                manifest: writer.written,
                positions: Self.positions(items.lazy.map(\.outcome.prompt.path))
            )
        )
        siteWritten(failures)
        // The row memo (state) is saved while the manifest is written and the site pruned.
        async let rowsSaved: Void = rows?.save(in: project) ?? ()
        try writer.finish()
        await rowsSaved
        Trace.mark("manifest written, rows saved")
        memo.save()
        Trace.mark("site finished")
        return Rendered(
            files: writer.written.sorted() + [SiteWriter.manifestName],
            failures: failures,
            credentials: CredentialsTally(items.flatMap { $0.requests.flatMap(\.images) }),
            credentialWarnings: models.credentialWarnings(items),
            global: shared,
            inputs: inputs,
            rendered: inputs.count - current.count
        )
    }

    /// Folds the items of each comparison's cells into one: its picked cell's, holding them all,
    /// with the page and the earlier versions of the prompt (which its first cell has).
    static func grouped(_ items: [Item]) -> [Item] {
        guard items.contains(where: { $0.outcome.cell != nil }) else { return items }
        var grouped: [Item] = []
        var start = 0
        while start < items.count {
            let first = items[start]
            guard first.outcome.cell != nil, let compare = first.outcome.prompt.compare else {
                grouped.append(first)
                start += 1
                continue
            }
            var end = start + 1
            while end < items.count, items[end].outcome.cell != nil,
                items[end].outcome.prompt.path == first.outcome.prompt.path
            {
                end += 1
            }
            let cells = Array(items[start..<end])
            var item = cells.first { $0.outcome.cell == compare.pick } ?? first
            (item.page, item.versions, item.versionsOmitted) = (first.page, first.versions, first.versionsOmitted)
            item.cells = cells
            grouped.append(item)
            start = end
        }
        return grouped
    }

    /// The position of each of `paths`, by path.
    static func positions(_ paths: some Sequence<String>) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (offset, path) in paths.enumerated() { positions[path] = offset }
        return positions
    }

    /// Throws ``BuildGaveWay`` when `giveWay` asks, with what `writer` wrote added to the manifest.
    private func giveWayIfAsked(_ giveWay: (@Sendable () -> Bool)?, _ writer: SiteWriter) throws {
        guard giveWay?() == true else { return }
        try? writer.finishAdding()
        throw BuildGaveWay()
    }

    /// The prompts that failed only while publishing (a cache entry or input found unreadable),
    /// by path, with why; `items` are in the order of `outcomes`.
    static func failures(_ items: [Item], _ outcomes: [PromptOutcome]) -> [String: String] {
        var failures: [String: String] = [:]
        for (item, outcome) in zip(items, outcomes) where item.outcome.status == .failed && outcome.status != .failed {
            failures[item.outcome.name] = item.outcome.failure
        }
        return failures
    }

    /// The digest of the inputs of each of `pages` and of the data files, by path.
    static func inputs(of pages: [Page], digests: [String], shared: String) -> [String: String] {
        var inputs = Dictionary(uniqueKeysWithValues: pages.map { ($0.path, $0.inputs) })
        let data = pageDigest(shared, "data", "", digests)
        inputs[SiteLayout.galleryJSON] = data
        inputs[SiteLayout.searchIndex] = data
        return inputs
    }

    /// The data files to write, `gallery.json` and `search-index.js` (from `all`, the gallery's
    /// list), with the rows of `rows` where they are; a file whose path is in `current` is not encoded.
    func dataFiles(
        _ items: [Item],
        all: PageModelBuilder.Listing,
        rows: RowMemo?,
        current: Set<String>
    ) async throws
        -> DataFiles
    {
        async let json = current.contains(SiteLayout.galleryJSON) ? nil : models.galleryJSON(items, rows: rows)
        async let search = current.contains(SiteLayout.searchIndex) ? nil : models.searchIndexScript(all, rows: rows)
        return DataFiles(json: try await json, search: try await search)
    }

    /// The lists of the site: the gallery's first, then each album's, in `sorting`'s order.
    func lists(_ sorting: PageModelBuilder.Sorting) -> Lists {
        let albums = SiteAlbums(sorting.items.compactMap(\.outcome.prompt.album))
        let models = models
        return Lists(
            albums: albums,
            listings: ([nil] + albums.all).concurrentMap { models.listing(sorting, album: $0, albums: albums) }
        )
    }

    /// ``lists(_:)``.
    struct Lists: Sendable {
        var albums: SiteAlbums
        /// The gallery's list, then each album's.
        var listings: [PageModelBuilder.Listing]

        /// The same lists of `items`, or (`[]`) of none: kept without them, a list does not hold a
        /// second reference to the items, which a patch would then copy to change one.
        func with(_ items: [Item]) -> Lists {
            var lists = self
            for index in lists.listings.indices { lists.listings[index].all = items }
            return lists
        }
    }

    /// ``dataFiles(_:all:rows:current:)``: each file's parts, nil for a file not to write.
    struct DataFiles: Sendable {
        var json: [Data]?
        var search: [Data]?

        /// Writes the files there are and forgets them; with `only`, those at these paths.
        /// - Parameter comparing: false writes without reading the files first: a patch knows
        ///   their inputs changed (comparing 27 MB was a tenth of a patch).
        mutating func write(with writer: inout SiteWriter, only: Set<String>? = nil, comparing: Bool = true) throws {
            if let json, only?.contains(SiteLayout.galleryJSON) ?? true {
                try writer.write(parts: json, to: SiteLayout.galleryJSON, comparing: comparing)
                self.json = nil
            }
            if let search, only?.contains(SiteLayout.searchIndex) ?? true {
                try writer.write(parts: search, to: SiteLayout.searchIndex, comparing: comparing)
                self.search = nil
            }
        }
    }

    /// The files among `paths` that the last render (`previous`) made from the same inputs and
    /// that are still as it left them.
    private func current(
        _ paths: [String],
        previous: SiteStamp?,
        shared: String,
        inputs: [String: String]
    ) -> Set<String> {
        guard let previous, previous.global == shared, previous.output == output.standardizedFileURL.path else {
            return []
        }
        var made: [String: SiteStamp.File] = [:]
        for file in previous.files { made[file.path] = file }
        let candidates = paths.filter { path in made[path].map { $0.inputs == inputs[path] } ?? false }
        let found = SiteStamp.look(at: candidates, in: output)
        return Set(
            zip(candidates, found).compactMap { path, file in file?.isSame(as: made[path]!) == true ? path : nil }
        )
    }

    /// A page to render: where it goes, with which template, from which model.
    /// The model is made where the page is rendered, on every core: making them all first took
    /// a sixth of a 1,000-page render on one core.
    struct Page: Sendable {
        var path: String
        var template: String
        /// The digest of what the page is made from (``pageDigest(_:_:_:_:)``).
        var inputs: String
        /// The positions in the items of the cards a list page shows (``CardMemo``); none on
        /// other pages.
        var cards: ArraySlice<Int> = []
        /// Where its last card is in the index, for a list page: list pages rendered in this order
        /// find their cards rendered by the index pages before them, and the memo keeps few.
        var lastCard = Int.max
        /// Made with the cards rendered once for the pages being rendered, when the theme does that.
        var model: @Sendable (PageMemos?) -> any Sendable
    }

    /// Every page: index, albums, prompts, stats, and with base_url the feed and sitemap; each
    /// with the digest of its inputs, from `shared` (``globalDigest()``) and the items' digests.
    func pages(_ items: [Item], lists: Lists, digests: [String], shared: String) -> [Page] {
        let albums = lists.albums
        let site = models.siteInfo(albums)
        let albumsDigest = Self.albumsDigest(albums)
        var pages: [Page] = []
        var listPages: [String] = []
        let models = models
        var rank = [Int](repeating: 0, count: items.count)
        for (place, position) in (lists.listings.first?.order ?? []).enumerated() { rank[position] = place }
        for listing in lists.listings {
            let count = SiteLayout.pageCount(total: listing.count, size: models.pageSize)
            let listed = Self.listingDigest(listing, pageCount: count)
            for number in 1...count {
                let path = SiteLayout.listPage(listing.first, number: number)
                if listing.album != nil || number > 1 { listPages.append(path) }
                let positions = listing.positions(of: number, size: models.pageSize)
                pages.append(
                    Page(
                        path: path,
                        template: "index",
                        inputs: Self.pageDigest(
                            shared,
                            "list \(number)",
                            path,
                            [albumsDigest, listed] + positions.map { digests[$0] }
                        ),
                        cards: positions,
                        lastCard: positions.last.map { rank[$0] } ?? 0
                    ) { memo in
                        models.indexPage(listing, number: number, site: site, albums: albums, cards: memo)
                    }
                )
            }
        }
        let listed = listPages
        // Each closure holds the index and the one shared array: an item captured by value was
        // 1.5 KB a page, 15 MB of a 10,000-prompt render's peak.
        for (index, digest) in digests.enumerated() {
            let path = items[index].page
            pages.append(
                Page(
                    path: path,
                    template: "prompt",
                    inputs: Self.pageDigest(shared, "prompt", path, [albumsDigest, digest])
                ) { memos in models.promptPage(items[index], site: site, albums: albums, memos: memos) }
            )
        }
        let all = Self.pageDigest(shared, "all", "", [albumsDigest] + digests)
        // Its own inputs: the figures of the requests shown, not titles or text (an edited title rendered it).
        let stats = Self.pageDigest(shared, "stats", SiteLayout.stats, [albumsDigest, Self.statsDigest(items)])
        pages.append(
            Page(path: SiteLayout.stats, template: "stats", inputs: stats) { _ in models.statsPage(items, site: site) }
        )
        if let base = project.config.baseURL {
            pages.append(
                Page(path: SiteLayout.feed, template: "feed", inputs: all) { _ in
                    models.feedPage(items, site: site, base: base, albums: albums, limit: PageModelBuilder.feedEntries)
                }
            )
            pages.append(
                Page(path: SiteLayout.sitemap, template: "sitemap", inputs: Self.pageDigest(all, "", "", listed)) { _ in
                    models.feedPage(items, site: site, base: base, albums: albums, listPages: listed)
                }
            )
        }
        return pages
    }

    /// The items of `outcomes`, their images published as in a build; nothing else is written.
    private func preparedForTests(_ outcomes: [PromptOutcome]) async throws -> [Item] {
        var writer = SiteWriter(folder: output)
        return Self.grouped(try await publisher.prepare(outcomes, memo: CredentialsMemo(of: project), with: &writer))
    }

    /// `gallery.json` put together from its prompts, and encoded whole: for tests, which check
    /// that the two are the same bytes.
    func galleryJSONBothWays(_ outcomes: [PromptOutcome]) async throws -> (parts: Data, whole: Data) {
        let items = try await preparedForTests(outcomes)
        return (Data(try models.galleryJSON(items).joined()), Data(try models.galleryJSON(items, whole: true).joined()))
    }

    /// `search-index.js` put together row by row, and encoded whole: for tests, as above.
    func searchIndexBothWays(_ outcomes: [PromptOutcome]) async throws -> (parts: Data, whole: Data) {
        let items = try await preparedForTests(outcomes)
        let all = models.listing(
            models.sorting(items),
            album: nil,
            albums: SiteAlbums(items.compactMap(\.outcome.prompt.album))
        )
        return (
            Data(try models.searchIndexScript(all).joined()),
            Data(try models.searchIndexScript(all, whole: true).joined())
        )
    }

    /// The models of every page, for tests: images are published as in a build, nothing else is written.
    func pageModels(_ outcomes: [PromptOutcome]) async throws -> [(String, Any)] {
        let items = try await preparedForTests(outcomes)
        return pages(items, lists: lists(models.sorting(items)), digests: items.map { _ in "" }, shared: "").map {
            ($0.path, $0.model(nil) as Any)
        }
    }

    /// Renders the pages on every core while one writer thread writes them (only those that
    /// changed). Writes into one folder take its lock in turn, so renderers that wrote their own
    /// pages waited for each other; now they only render. A theme without the stats, feed or
    /// sitemap template simply has no such page (index and prompt are checked when the theme loads).
    /// - Returns: the paths of the pages written or already right.
    func renderPages(_ pages: [Page], into writer: SiteWriter) async throws -> [String] {
        let library = library
        let memo =
            theme.rendersCardsOnce
            ? CardMemo(
                shown: pages.lazy.flatMap { page in
                    let root = SitePaths.root(of: page.path)
                    return page.cards.lazy.map { CardMemo.Key(position: $0, root: root) }
                }
            ) : nil
        let chrome = theme.rendersChromeOnce ? ChromeMemo() : nil
        let pages =
            memo == nil
            ? pages
            : pages.enumerated().sorted { ($0.element.lastCard, $0.offset) < ($1.element.lastCard, $1.offset) }
                .map(\.element)
        let writes = PageWrites(folder: writer)
        let libraries = Pool([library])
        // Small chunks, so that the index and album pages (a card for every prompt they show)
        // do not leave one core with most of the work.
        let chunks = max(1, min(pages.count, ProcessInfo.processInfo.activeProcessorCount * 16))
        let size = (pages.count + chunks - 1) / max(1, chunks)
        let paths = try await withThrowingTaskGroup(of: [String].self) { group in
            for start in stride(from: 0, to: pages.count, by: max(1, size)) {
                let slice = pages[start..<min(pages.count, start + size)]
                group.addTask { [theme] in
                    // A library of its own: the templates' tokens are not retained and released
                    // by both cores at once (a twentieth of a 10,000-page render). Parsed once a
                    // core, not once a chunk (a sixth of a 1,000-page render).
                    let library = libraries.take() ?? (try? theme.library()) ?? library
                    defer { libraries.give(library) }
                    var paths: [String] = []
                    var spent: [String: Duration] = [:]
                    for page in slice {
                        let started = Trace.enabled ? ContinuousClock.now : nil
                        guard
                            let text = library.render(
                                page.model(PageMemos(cards: memo, chrome: chrome, library: library)),
                                withTemplate: page.template
                            )
                        else { continue }
                        if let started { spent[page.template, default: .zero] += started.duration(to: .now) }
                        writes.write(Data(text.utf8), to: page.path)
                        paths.append(page.path)
                    }
                    Trace.add(spent)
                    return paths
                }
            }
            var paths: [String] = []
            for try await done in group { paths += done }
            return paths
        }
        try await writes.finish()
        Trace.mark(
            "templates: \(Trace.tally())" + (memo.map { "; \($0.summary)" } ?? "")
                + (chrome.map { "; \($0.summary)" } ?? "")
        )
        return paths
    }
}
