import Foundation

/// What each page of the site is made from, as digests: a page whose digest is the one recorded
/// in the site stamp, and whose file is as that render left it, is not rendered again.
///
/// A page depends on what every page shares (``SiteRenderer/globalDigest()``: Easel, easel.yml,
/// the theme), on the albums and their counts (the navigation of every page), and on its own
/// prompts: a prompt page on its prompt, a page of a list on the prompts of its cards and on what
/// the list shows of all of them (filters, counts), the files made from every prompt (stats,
/// feed, sitemap, gallery.json, the search index) on all of them. A prompt's digest covers its
/// file's bytes, its outcome, the bytes of its cache records, and what was published for it.
extension SiteRenderer {
    /// What a row of `gallery.json` or `search-index.js` depends on besides its item (the row memo's
    /// context): the Easel binary and the models' default sizes (a card shows a size), not the
    /// theme or the rest of easel.yml, so that a new title or template encodes no row again (the
    /// rows of 10,000 prompts were a twentieth of such a render's CPU).
    func rowsDigest() -> String {
        var digest = InputDigest()
        digest.add("rows")
        digest.add("easel \(EaselVersion.current)")
        digest.add(Self.executableIdentity)
        for name in project.catalog.names.sorted() {
            digest.add(name)
            digest.add(project.catalog[name]?.defaults["size"] ?? "-")
        }
        return digest.finalize()
    }

    /// The digest of everything a prompt's page and card are made from, besides what all pages share.
    func itemDigest(_ item: Item) -> String {
        var digest = InputDigest()
        let outcome = item.outcome
        let prompt = outcome.prompt
        digest.add(prompt.path)
        digest.add(prompt.source)
        digest.add(item.page)
        digest.add(models.status(outcome))
        digest.add(outcome.key?.hex ?? "-")
        digest.add(outcome.failure ?? "-")
        digest.add(outcome.failedAt.map { "\($0.timeIntervalSince1970)" } ?? "-")
        digest.add(outcome.queued.map { "\($0.batchID ?? "-") \($0.since.timeIntervalSince1970)" } ?? "-")
        digest.add(outcome.previousFailure.map { "\($0.file) \($0.message) \($0.time.timeIntervalSince1970)" } ?? "-")
        // What the file says also depends on what is around it (an input image replaced, a
        // mask's file gone): the cache key covers every parameter and input of the request.
        for diagnostic in prompt.diagnostics { digest.add(diagnostic.description) }
        digest.add(outcome.entry?.recordDigest ?? "no entry")
        for image in item.images + item.inputs { add(image, to: &digest) }
        digest.add("versions omitted \(item.versionsOmitted)")
        for version in item.versions {
            digest.add("version \(version.record.key.hex) \(version.record.created.timeIntervalSince1970)")
            for image in version.images { add(image, to: &digest) }
        }
        for cell in item.cells { digest.add("cell " + itemDigest(cell)) }
        return digest.finalize()
    }

    private func add(_ image: SiteImage, to digest: inout InputDigest) {
        digest.add("\(image.path) \(image.width) \(image.height) \(image.label)")
        for thumb in image.thumbs { digest.add("\(thumb.path) \(thumb.width) \(thumb.height)") }
        switch image.credentials {
        case nil: digest.add("-")
        case .absent?: digest.add("absent")
        case let reading?:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            digest.add((try? encoder.encode(reading)) ?? Data("unencodable".utf8))
        }
    }

    /// What the stats page shows of the items: how many there are, and of each request (every cell
    /// of a comparison) its key, operation, model, quality, latency, API time, image count and cost,
    /// or how it failed (``PageModelBuilder/statsPage(_:site:)``).
    static func statsDigest(_ items: [Item]) -> String {
        var digest = InputDigest()
        digest.add("\(items.count)")
        // By index: `for item in items` copied each item (a retain of every field), a third of this.
        for index in items.indices {
            let cells = items[index].cells
            for cell in cells.indices.isEmpty ? [-1] : Array(cells.indices) {
                let outcome = cell < 0 ? items[index].outcome : cells[cell].outcome
                guard let record = outcome.entry?.record else {
                    let failed = outcome.failedAt != nil || outcome.previousFailure != nil
                    digest.add(
                        "- \(outcome.status.rawValue) \(failed) \(outcome.key?.hex ?? "-")"
                            + " \(outcome.prompt.request.map { "\($0.model) \($0.quality ?? "-")" } ?? "-")"
                    )
                    continue
                }
                digest.add(
                    "\(record.key.hex) \(record.request.endpoint.rawValue) \(record.model) \(record.latencyMS)"
                        + " \(record.totalMS) \(record.images.count) \(record.costUSD.map { "\($0)" } ?? "-")"
                        + " \(record.quality ?? "-") \(record.request.quality ?? "-") \(record.batch?.id ?? "-")"
                )
            }
        }
        return digest.finalize()
    }

    /// The digest of the albums and their counts: the navigation every page has.
    static func albumsDigest(_ albums: SiteAlbums) -> String {
        var digest = InputDigest()
        for link in albums.all.map({ albums.chain(of: $0).last }) {
            digest.add(link.map { "\($0.path) \($0.name) \($0.count)" } ?? "-")
        }
        return digest.finalize()
    }

    /// The digest of a page from what all pages share (`shared`) and its own inputs.
    static func pageDigest(_ shared: String, _ kind: String, _ path: String, _ parts: [String]) -> String {
        var digest = InputDigest()
        digest.add(shared)
        digest.add(kind)
        digest.add(path)
        for part in parts { digest.add(part) }
        return digest.finalize()
    }

    /// What every page of a list shows about all of its prompts, besides their cards.
    static func listingDigest(_ listing: PageModelBuilder.Listing, pageCount: Int) -> String {
        var digest = InputDigest()
        digest.add(listing.album ?? "-")
        digest.add("\(listing.count) \(listing.placeholders) \(listing.failures) \(pageCount)")
        for facet in listing.albums + listing.tags + listing.models { digest.add("\(facet.name) \(facet.count)") }
        digest.add("\(listing.albums.count) \(listing.tags.count) \(listing.models.count)")
        // What the filters leave out is counted on every page ("and 3 more"): a tag added on one
        // page changes the others.
        digest.add("\(listing.albumsOmitted) \(listing.tagsOmitted) \(listing.modelsOmitted)")
        return digest.finalize()
    }
}
