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

    /// The folders of published images: originals and placeholders, edit inputs and masks, thumbnails.
    static let images = "images"
    static let inputs = "inputs"
    static let thumbs = "thumbs"

    /// An original as the API signed it (C2PA), under its cache key: the cache's bytes, never rewritten.
    static func signedOriginal(_ key: CacheKey, image: Int, fileExtension: String) -> String {
        "\(images)/\(key.short)-\(image + 1).\(fileExtension)"
    }

    /// An original with its provenance embedded; `stamp` fingerprints that provenance, so a new
    /// title makes a new file and an existing one is right without reading it.
    static func original(_ key: CacheKey, stamp: String, image: Int, fileExtension: String) -> String {
        "\(images)/\(key.short)-\(stamp)-\(image + 1).\(fileExtension)"
    }

    /// The placeholder of a prompt not generated yet, at the size asked for.
    static func placeholder(_ key: CacheKey, size: ImageSize) -> String {
        "\(images)/placeholder-\(key.short)-\(size).png"
    }

    /// An edit's input image, by its content hash, with the extension of the format it was read as.
    static func input(sha256: String, format: ImageFormat) -> String {
        "\(inputs)/\(sha256.prefix(16)).\(format.fileExtension)"
    }

    /// A mask given as an image, by its content hash.
    static func mask(sha256: String) -> String {
        "\(inputs)/\(sha256.prefix(16)).png"
    }

    /// A mask given as a shape, drawn for the request of `key`.
    static func drawnMask(_ key: CacheKey) -> String {
        "\(inputs)/mask-\(key.short).png"
    }

    /// The WebP thumbnail of the published image at `image`, `width` pixels wide; `stem` names
    /// it when given, otherwise the image's file name does.
    static func thumbnail(of image: String, stem: String? = nil, width: Int) -> String {
        if let stem { return "\(thumbs)/\(stem)-\(width).webp" }
        let file = image.split(separator: "/").last.map(String.init) ?? image
        return "\(thumbs)/\(file.split(separator: ".").dropLast().joined(separator: "."))-\(width).webp"
    }

    /// What names the thumbnails of a cache entry's image: its key, its position and its
    /// recorded hash — the pixels, not the published file, whose name changes with the title
    /// (a retitled prompt made three new thumbnails, and loaded libvips to do it).
    static func originalThumbnailStem(_ key: CacheKey, image: Int, sha256: String) -> String {
        "\(key.short)-\(sha256.prefix(8))-\(image + 1)"
    }

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
