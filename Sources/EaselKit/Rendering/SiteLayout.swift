/// Where the files of a site go, by kind: the one place that names them.
enum SiteLayout {
    /// The gallery's first page.
    static let index = "index.html"
    /// Every prompt in gallery order, for the script that searches and filters a paginated list.
    static let searchIndex = "search-index.js"
    static let galleryJSON = "gallery.json"
    static let stats = "stats.html"
    static let feed = "feed.xml"
    static let sitemap = "sitemap.xml"

    /// Page `number` (from 1) of the list whose first page is `first`: the index's pages are
    /// `page/2.html`…, an album's `albums/space.2.html`… (a slug never holds a dot, so no album's
    /// page can take the name).
    static func listPage(_ first: String, number: Int) -> String {
        guard number > 1 else { return first }
        if first == index { return "page/\(number).html" }
        return String(first.dropLast(".html".count)) + ".\(number).html"
    }

    /// How many pages `total` cards make at `size` a page: at least one, for an empty list.
    static func pageCount(total: Int, size: Int) -> Int {
        max(1, (total + size - 1) / max(1, size))
    }

    /// The page numbers a pagination links to from page `current` of `count`: the first, the last,
    /// and two on either side of the current one; nil where a run of pages is left out.
    static func linkedPages(current: Int, count: Int) -> [Int?] {
        var shown: [Int?] = []
        var last = 0
        for number in 1...max(1, count) where number == 1 || number == count || abs(number - current) <= 2 {
            if number > last + 1 { shown.append(number == last + 2 ? last + 1 : nil) }
            shown.append(number)
            last = number
        }
        return shown
    }
}
