// Colours and sizes of a placeholder image, kept apart from the libvips calls that draw them so that
// the arithmetic reads (and can be tested) as plain Swift.

/// The palette and layout of one placeholder, derived from its cache key and size.
struct PlaceholderStyle: Sendable, Equatable {
    /// The two colours of the diagonal "hazard tape" border, as RGB in 0…255.
    var stripe: [Double]
    var stripeDark: [Double]
    /// The calm panel the text sits on, and the ink of the text and the panel's frame.
    var panel: [Double]
    var ink: [Double]

    /// Width of the striped border, of the dark line around the panel, and of the padding inside it.
    var border: Int
    var frame: Int
    var padding: Int
    /// Period of the stripes, measured along (x + y) / 2.
    var stripePeriod: Int
    /// Dots per inch for text set in points: 72 × the image's scale, so a point is a pixel at 1024².
    var dpi: Int

    init(key: String, width: Int, height: Int) {
        let seed = PlaceholderStyle.seed(of: key)
        let hue = Double(seed >> 16) / 65_536 * 360
        // Muted saturation keeps the panel quiet enough for dark text at any hue.
        stripe = PlaceholderStyle.rgb(hue: hue, saturation: 0.55, lightness: 0.55)
        stripeDark = PlaceholderStyle.rgb(hue: hue, saturation: 0.25, lightness: 0.16)
        panel = PlaceholderStyle.rgb(hue: hue, saturation: 0.30, lightness: 0.88)
        ink = PlaceholderStyle.rgb(hue: hue, saturation: 0.35, lightness: 0.13)

        // Linear in the short side above 1024; below it, shrink more slowly so 256² stays legible.
        let short = Double(min(width, height))
        let scale = short >= 1024 ? short / 1024 : (short / 1024).squareRoot()
        border = max(8, Int(48 * scale))
        frame = max(2, Int(6 * scale))
        padding = max(6, Int(36 * scale))
        stripePeriod = max(8, Int(40 * scale))
        dpi = max(18, Int((72 * scale).rounded()))
    }

    /// The first 32 bits of a hex cache key; any other text is hashed (FNV-1a) so it still picks a colour.
    static func seed(of key: String) -> UInt32 {
        let prefix = key.prefix(8)
        if prefix.count == 8, let value = UInt32(prefix, radix: 16) { return value }
        var hash: UInt32 = 2_166_136_261
        for byte in key.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    /// HSL (hue in degrees, the others in 0…1) to RGB in 0…255.
    static func rgb(hue: Double, saturation: Double, lightness: Double) -> [Double] {
        let chroma = (1 - abs(2 * lightness - 1)) * saturation
        let sector = hue.truncatingRemainder(dividingBy: 360) / 60
        let second = chroma * (1 - abs(sector.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double) =
            switch Int(sector) {
            case 0: (chroma, second, 0)
            case 1: (second, chroma, 0)
            case 2: (0, chroma, second)
            case 3: (0, second, chroma)
            case 4: (second, 0, chroma)
            default: (chroma, 0, second)
            }
        let m = lightness - chroma / 2
        return [r, g, b].map { (($0 + m) * 255).rounded() }
    }
}
