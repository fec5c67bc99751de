internal import CVips
package import Foundation
package import NIOPosix

/// Draws the stand-in image shown when a prompt was not generated (offline, or no API key).
///
/// A placeholder must never pass for a real result: it has a diagonally striped "hazard tape" border in a
/// colour derived from the cache key, a large PLACEHOLDER heading, a line saying no API call was made, the
/// requested size, and the prompt, wrapped to the image and cut with "…" when it would not fit.
package struct PlaceholderRenderer: Sendable {
    private let threadPool: NIOThreadPool

    /// Creates a renderer that runs libvips on `threadPool`.
    /// - Parameter threadPool: Where the blocking libvips work runs, off the cooperative pool.
    package init(threadPool: NIOThreadPool = .singleton) {
        self.threadPool = threadPool
    }

    /// Renders a placeholder PNG on the thread pool.
    /// - Parameters:
    ///   - prompt: The prompt text to show.
    ///   - width: The requested image width in pixels.
    ///   - height: The requested image height in pixels.
    ///   - key: The request's hex cache key; it picks the colours, so each request looks different.
    /// - Returns: PNG bytes of exactly `width`×`height` pixels.
    /// - Throws: ``ImagingError`` when the size is unusable or libvips fails; NIO's error when the pool is shut down.
    package func render(prompt: String, width: Int, height: Int, key: String, label: String? = nil) async throws -> Data
    {
        try await threadPool.runIfActive {
            try PlaceholderRenderer.renderSync(prompt: prompt, width: width, height: height, key: key, label: label)
        }
    }

    /// The longest side a placeholder is drawn at: a 16,384² request gets a 2,048² stand-in
    /// (about 12 MB of pixels while drawing, not 1 GB), labelled with the size that was asked for.
    package static let maxDrawnSide = 2_048

    /// The size to draw a placeholder for an image of `requested` size: the same shape, at most
    /// ``maxDrawnSide`` on its longer side.
    package static func drawnSize(for requested: ImageSize) -> ImageSize {
        let long = max(requested.width, requested.height)
        guard long > maxDrawnSide else { return requested }
        func scaled(_ side: Int) -> Int { max(16, side * maxDrawnSide / long) }
        return ImageSize(width: scaled(requested.width), height: scaled(requested.height))
    }

    /// Renders a placeholder PNG on the calling thread; ``render(prompt:width:height:key:)`` wraps it.
    /// - Parameters:
    ///   - prompt: The prompt text to show.
    ///   - width: The image width in pixels, 16 to 16384.
    ///   - height: The image height in pixels, 16 to 16384.
    ///   - key: The request's hex cache key.
    /// - Returns: PNG bytes (RGB) of exactly `width`×`height` pixels.
    /// - Throws: ``ImagingError`` when the size is out of range or libvips fails.
    /// - Warning: Blocks for tens of milliseconds; from async code call ``render(prompt:width:height:key:)``.
    ///   - label: the size to print, when it is not `width`×`height` (a large request drawn smaller).
    package static func renderSync(
        prompt: String,
        width: Int,
        height: Int,
        key: String,
        label: String? = nil
    ) throws -> Data {
        let name = "placeholder \(width)×\(height)"
        guard (16...16_384).contains(width), (16...16_384).contains(height) else {
            throw ImagingError.cannotMake(name, message: "size must be 16 to 16384 pixels a side")
        }
        guard Vips.isStarted else { throw ImagingError.cannotMake(name, message: "libvips did not start") }
        let style = PlaceholderStyle(key: key, width: width, height: height)
        func failure() -> ImagingError { .cannotMake(name, message: Vips.takeError()) }

        // Diagonal stripes: pixel (x, y) is in a light stripe when (x + y) / 2 mod period < period / 2.
        var out: UnsafeMutablePointer<VipsImage>?
        guard cvips_xyz(&out, Int32(width), Int32(height)) == 0, let xy = out else { throw failure() }
        defer { cvips_unref(xy) }
        guard cvips_bandmean(xy, &out) == 0, let diagonal = out else { throw failure() }
        defer { cvips_unref(diagonal) }
        guard cvips_remainder_const1(diagonal, &out, Double(style.stripePeriod)) == 0, let phase = out else {
            throw failure()
        }
        defer { cvips_unref(phase) }
        guard cvips_less_const1(phase, &out, Double(style.stripePeriod / 2)) == 0, let isLight = out else {
            throw failure()
        }
        defer { cvips_unref(isLight) }
        // 0/255 → dark/light: one band times three-element constants gives three bands.
        let scale = zip(style.stripe, style.stripeDark).map { ($0 - $1) / 255 }
        guard cvips_linear_uchar(isLight, &out, scale, style.stripeDark, 3) == 0, let tape = out else {
            throw failure()
        }
        defer { cvips_unref(tape) }
        guard cvips_copy_srgb(tape, &out) == 0, let tagged = out else { throw failure() }
        defer { cvips_unref(tagged) }
        // Everything after this draws in place, which needs the pixels in memory, not a lazy pipeline.
        guard let canvas = vips_image_copy_memory(tagged) else { throw failure() }
        defer { cvips_unref(canvas) }

        // The dark frame line, then the calm panel inside it; the stripes show only in the border.
        for (colour, inset) in [(style.ink, style.border - style.frame), (style.panel, style.border)] {
            var ink = colour
            let (left, top) = (Int32(inset), Int32(inset))
            guard cvips_draw_rect(canvas, &ink, 3, left, top, Int32(width - 2 * inset), Int32(height - 2 * inset)) == 0
            else { throw failure() }
        }

        let size = label ?? "\(width)×\(height)"
        try drawText(on: canvas, prompt: prompt, style: style, size: size, area: (width, height), name: name)

        var buffer: UnsafeMutableRawPointer?
        var length = 0
        // zlib level 6, libvips's default: at 3840×2160 level 3 saves ~15% of the time for ~30% more bytes.
        guard cvips_pngsave_buffer(canvas, &buffer, &length, 6) == 0, let buffer else { throw failure() }
        defer { g_free(buffer) }
        return Data(bytes: buffer, count: length)
    }
}

extension PlaceholderRenderer {
    /// Point sizes at 1024²; `style.dpi` scales them with the image.
    private static let heading = (font: "DejaVu Sans Bold 88", text: "PLACEHOLDER")
    private static let infoFont = "DejaVu Sans 28"
    private static let promptFont = "DejaVu Sans 24"

    /// Sets the heading, the notice and the prompt, centred on the panel, cutting the prompt until it fits.
    private static func drawText(
        on canvas: UnsafeMutablePointer<VipsImage>,
        prompt: String,
        style: PlaceholderStyle,
        size: String,
        area canvasSize: (width: Int, height: Int),
        name: String
    ) throws {
        let inset = style.border + style.padding
        let area = (width: canvasSize.width - 2 * inset, height: canvasSize.height - 2 * inset)
        guard area.width > 0, area.height > 0 else { return }
        let gap = style.dpi * 20 / 72
        // Narrow images: shrink the heading's dpi until the word fits on one line.
        let natural = try withText(heading.text, font: heading.font, width: 16 * area.width, dpi: style.dpi, name) {
            Int(vips_image_get_width($0))
        }
        let headingDPI = natural <= area.width ? style.dpi : max(1, style.dpi * area.width / natural)
        let info = "not generated — no API call was made\n\(size)"

        try withText(heading.text, font: heading.font, width: area.width, dpi: headingDPI, name) { headingImage in
            try withText(info, font: infoFont, width: area.width, dpi: style.dpi, name) { infoImage in
                let header = [headingImage, infoImage]
                let headerHeight = Int(vips_image_get_height(headingImage) + vips_image_get_height(infoImage)) + gap
                let space = area.height - headerHeight - 2 * gap
                let promptPixels = 24 * style.dpi / 72
                // About 80 characters a line at most: wide images get a readable column, not one long line.
                let column = min(area.width, 48 * promptPixels)
                let words = PlaceholderText.collapsed(prompt)
                // A generous first guess at what fits, so a huge prompt is never laid out whole.
                var limit = max(1, (column / max(1, promptPixels / 2)) * (space / max(1, promptPixels)))
                if space >= promptPixels * 3 / 2 && !words.isEmpty {
                    for _ in 0..<8 {
                        let shown =
                            "“" + PlaceholderText.markupEscaped(PlaceholderText.truncated(words, to: limit)) + "”"
                        var measured = 0
                        let fitted = try withText(shown, font: promptFont, width: column, dpi: style.dpi, name) {
                            measured = Int(vips_image_get_height($0))
                            guard measured <= space else { return false }
                            try place(header + [$0], on: canvas, style: style, gap: gap, inset: inset, area: area, name)
                            return true
                        }
                        if fitted { return }
                        limit = min(limit, words.count) * space / max(1, measured) * 9 / 10
                    }
                }
                try place(header, on: canvas, style: style, gap: gap, inset: inset, area: area, name)
            }
        }
    }

    /// Draws `blocks` top to bottom in the ink colour, each centred across the area, the stack centred down it.
    private static func place(
        _ blocks: [UnsafeMutablePointer<VipsImage>],
        on canvas: UnsafeMutablePointer<VipsImage>,
        style: PlaceholderStyle,
        gap: Int,
        inset: Int,
        area: (width: Int, height: Int),
        _ name: String
    ) throws {
        // The heading is followed by one gap, the notice by two, so the prompt reads as separate.
        let gaps = [gap, 2 * gap].prefix(blocks.count - 1)
        let total = blocks.reduce(gaps.reduce(0, +)) { $0 + Int(vips_image_get_height($1)) }
        var y = inset + max(0, (area.height - total) / 2)
        var ink = style.ink
        for (index, block) in blocks.enumerated() {
            let x = inset + max(0, (area.width - Int(vips_image_get_width(block))) / 2)
            guard cvips_draw_mask(canvas, &ink, 3, block, Int32(x), Int32(y)) == 0 else {
                throw ImagingError.cannotMake(name, message: Vips.takeError())
            }
            y += Int(vips_image_get_height(block)) + (index < gaps.count ? gaps[index] : 0)
        }
    }

    /// Renders `markup` to a one-band mask, lends it to `body`, and releases it.
    private static func withText<Result>(
        _ markup: String,
        font: String,
        width: Int,
        dpi: Int,
        _ name: String,
        _ body: (UnsafeMutablePointer<VipsImage>) throws -> Result
    ) throws -> Result {
        var out: UnsafeMutablePointer<VipsImage>?
        guard cvips_text(&out, markup, font, Int32(width), Int32(dpi), VIPS_ALIGN_CENTRE) == 0, let text = out else {
            throw ImagingError.cannotMake(name, message: Vips.takeError())
        }
        defer { cvips_unref(text) }
        return try body(text)
    }
}
