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
        let style = PlaceholderStyle(key: key, width: width, height: height)

        // Diagonal stripes: pixel (x, y) is in a light stripe when (x + y) / 2 mod period < period / 2.
        let isLight = try Vips.Image.xyz(width: width, height: height, making: name).bandmean()
            .remainder(Double(style.stripePeriod)).less(Double(style.stripePeriod / 2))
        // 0/255 → dark/light: one band times three-element constants gives three bands.
        let scale = zip(style.stripe, style.stripeDark).map { ($0 - $1) / 255 }
        let tape = try isLight.linearUChar(scale, style.stripeDark).copySRGB()
        // Everything after this draws in place, which needs the pixels in memory, not a lazy pipeline.
        let canvas = try tape.copyMemory()

        // The dark frame line, then the calm panel inside it; the stripes show only in the border.
        for (colour, inset) in [(style.ink, style.border - style.frame), (style.panel, style.border)] {
            try canvas.drawRect(ink: colour, x: inset, y: inset, width: width - 2 * inset, height: height - 2 * inset)
        }

        let size = label ?? "\(width)×\(height)"
        try drawText(on: canvas, prompt: prompt, style: style, size: size, area: (width, height), name: name)
        // zlib level 6, libvips's default: at 3840×2160 level 3 saves ~15% of the time for ~30% more bytes.
        return try canvas.pngData(compression: 6)
    }
}

extension PlaceholderRenderer {
    /// Point sizes at 1024²; `style.dpi` scales them with the image.
    private static let heading = (font: "DejaVu Sans Bold 88", text: "PLACEHOLDER")
    private static let infoFont = "DejaVu Sans 28"
    private static let promptFont = "DejaVu Sans 24"

    /// Sets the heading, the notice and the prompt, centred on the panel, cutting the prompt until it fits.
    private static func drawText(
        on canvas: Vips.Image,
        prompt: String,
        style: PlaceholderStyle,
        size: String,
        area canvasSize: (width: Int, height: Int),
        name: String
    ) throws {
        let inset = style.border + style.padding
        let area = (width: canvasSize.width - 2 * inset, height: canvasSize.height - 2 * inset)
        guard area.width > 0, area.height > 0 else { return }
        func text(_ markup: String, font: String, width: Int, dpi: Int) throws -> Vips.Image {
            try Vips.Image.text(markup, font: font, width: width, dpi: dpi, making: name)
        }
        let gap = style.dpi * 20 / 72
        // Narrow images: shrink the heading's dpi until the word fits on one line.
        let natural = try text(heading.text, font: heading.font, width: 16 * area.width, dpi: style.dpi).width
        let headingDPI = natural <= area.width ? style.dpi : max(1, style.dpi * area.width / natural)
        let info = "not generated — no API call was made\n\(size)"

        let header = [
            try text(heading.text, font: heading.font, width: area.width, dpi: headingDPI),
            try text(info, font: infoFont, width: area.width, dpi: style.dpi),
        ]
        let headerHeight = header[0].height + header[1].height + gap
        let space = area.height - headerHeight - 2 * gap
        let promptPixels = 24 * style.dpi / 72
        // About 80 characters a line at most: wide images get a readable column, not one long line.
        let column = min(area.width, 48 * promptPixels)
        let words = PlaceholderText.collapsed(prompt)
        // A generous first guess at what fits, so a huge prompt is never laid out whole.
        var limit = max(1, (column / max(1, promptPixels / 2)) * (space / max(1, promptPixels)))
        if space >= promptPixels * 3 / 2 && !words.isEmpty {
            for _ in 0..<8 {
                let shown = "“" + PlaceholderText.markupEscaped(PlaceholderText.truncated(words, to: limit)) + "”"
                let promptImage = try text(shown, font: promptFont, width: column, dpi: style.dpi)
                let measured = promptImage.height
                if measured <= space {
                    try place(header + [promptImage], on: canvas, style: style, gap: gap, inset: inset, area: area)
                    return
                }
                limit = min(limit, words.count) * space / max(1, measured) * 9 / 10
            }
        }
        try place(header, on: canvas, style: style, gap: gap, inset: inset, area: area)
    }

    /// Draws `blocks` top to bottom in the ink colour, each centred across the area, the stack centred down it.
    private static func place(
        _ blocks: [Vips.Image],
        on canvas: Vips.Image,
        style: PlaceholderStyle,
        gap: Int,
        inset: Int,
        area: (width: Int, height: Int)
    ) throws {
        // The heading is followed by one gap, the notice by two, so the prompt reads as separate.
        let gaps = [gap, 2 * gap].prefix(blocks.count - 1)
        let total = blocks.reduce(gaps.reduce(0, +)) { $0 + $1.height }
        var y = inset + max(0, (area.height - total) / 2)
        for (index, block) in blocks.enumerated() {
            let x = inset + max(0, (area.width - block.width) / 2)
            try canvas.drawMask(ink: style.ink, mask: block, x: x, y: y)
            y += block.height + (index < gaps.count ? gaps[index] : 0)
        }
    }
}
