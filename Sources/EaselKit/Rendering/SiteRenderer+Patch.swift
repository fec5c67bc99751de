import Foundation

extension SiteRenderer {
    /// Rewrites what changes when `changed` replace the outcomes of the same prompts in the render
    /// `kept` describes, and makes `kept` describe the result: their images, the pages whose inputs
    /// now digest differently (found by the same digests a render uses, against the inputs kept,
    /// not against the files), and the data files. Every other prompt is taken as it was: nothing
    /// of it is read, published or digested.
    ///
    /// `easel serve`'s answer to a saved prompt (a full build of 10,000 prompts took 1.5 s, most
    /// of it re-deriving what did not change); the full build that follows it is what the site
    /// and the state files are held to. Nothing is removed from the site, and the manifest only
    /// gains the files written, so that a patch cut short leaves nothing the next build cannot see.
    ///
    /// `pagesWritten` is called once the pages and the search index are written, with the failures:
    /// `gallery.json`, which no page reads, and the manifest are written after it.
    ///
    /// - Returns: false, with no page written, when the change is not one a patch can make: a
    ///   prompt the render did not show, or whose page would move, pages that would appear or go,
    ///   a link on the way to a file to write. `kept` then describes nothing and is to be dropped;
    ///   what was published is in the manifest.
    func patch(
        _ kept: inout Kept,
        with changed: [PromptOutcome],
        pagesWritten: ([String: String]) -> Void = { _ in }
    ) async throws -> Bool {
        var positions: [Int] = []
        for outcome in changed {
            var paths = SitePaths()
            guard let position = kept.positions[outcome.prompt.path], outcome.status != .draft,
                paths.page(for: outcome.prompt) == kept.items[position].page
            else { return false }
            positions.append(position)
        }
        // No `removeLinksAndLeftovers()` walk of the whole site, as a build does: the folders written into are
        // checked instead (a link the site gained since the build is a build's to remove).
        let published = [SiteLayout.images, SiteLayout.inputs, SiteLayout.thumbs].map { $0 + "/-" }
        guard OutputFolder.hasNoLinks(onTheWayTo: published + positions.map { kept.items[$0].page }, in: output)
        else { return false }
        var writer = SiteWriter(folder: output)
        let fresh = try await publisher.prepare(changed, memo: kept.credentials, with: &writer)
        let found = Self.failures(fresh, changed)
        var replaced: [String] = []
        for (position, item) in zip(positions, fresh) {
            kept.items[position] = item
            replaced.append(kept.digests[position])
            kept.digests[position] = itemDigest(item)
            kept.failures[item.outcome.prompt.path] = found[item.outcome.prompt.path]
        }
        Trace.mark("patch: published")
        let (items, digests) = (kept.items, kept.digests)
        let (sorting, same) = models.sorting(items, from: kept.sorting, changed: positions)
        // The lists count and order the prompts: unless a change moved a card or changed a
        // count, they are the lists kept.
        let lists = same ? kept.lists.with(items) : lists(sorting)
        let pages = pages(items, lists: lists, digests: digests, shared: kept.shared)
        let inputs = Self.inputs(of: pages, digests: digests, shared: kept.shared)
        let current = Set(inputs.compactMap { path, digest in kept.inputs[path] == digest ? path : nil })
        guard inputs.count == kept.inputs.count, inputs.keys.allSatisfy({ kept.inputs[$0] != nil }),
            OutputFolder.hasNoLinks(onTheWayTo: inputs.keys.lazy.filter { !current.contains($0) }, in: output)
        else {
            try? writer.finishAdding()
            return false
        }
        Trace.mark("patch: \(changed.count) prompts published, \(pages.count) pages digested")
        let (rendered, data, encoded) = try await pagesAndData(
            pages.filter { !current.contains($0.path) },
            items,
            lists: lists,
            rows: kept.rows,
            digests: digests,
            current: current,
            writer: writer
        )
        var files = data
        try files.write(with: &writer, only: [SiteLayout.searchIndex], comparing: false)
        Trace.mark("patch: \(rendered.count) pages and the search index written")
        pagesWritten(kept.failures)
        try files.write(with: &writer, comparing: false)
        try writer.finishAdding(to: &kept.manifest)
        kept.sorting = sorting.withoutItems
        kept.lists = lists.with([])
        kept.inputs = inputs
        // The rows of the items replaced go, theirs come: in place, not 20,000 rows put together again.
        for digest in replaced where !digests.contains(digest) {
            for kind in RowMemo.Kind.allCases { kept.rows[kind.rawValue + digest] = nil }
        }
        kept.rows.merge(encoded) { _, new in new }
        Trace.mark("patch: gallery.json and manifest written")
        return true
    }

    /// Renders `pages` while the data files are encoded from `rows` (kept rows, by key): the pages
    /// written, the data files' parts, and the rows encoded. The memo of rows is gone when this
    /// returns, so that the caller changes `rows` without a copy.
    private func pagesAndData(
        _ pages: [Page],
        _ items: [Item],
        lists: Lists,
        rows: [String: Data],
        digests: [String],
        current: Set<String>,
        writer: SiteWriter
    ) async throws -> (rendered: [String], files: DataFiles, encoded: [String: Data]) {
        let memo = RowMemo(rows: rows, digests: digests)
        async let data = dataFiles(items, all: lists.listings[0], rows: memo, current: current)
        let rendered = try await renderPages(pages, into: writer)
        return (rendered, try await data, memo.new())
    }
}
