import Foundation

/// The settings of a prompt as written in its front matter (or in easel.yml `defaults:`),
/// each with where it was written, before they are checked against a model.
struct PromptSettings: Sendable {
    var title: Located<String>?
    var model: Located<String>?
    var size: Located<String>?
    var quality: Located<String>?
    var n: Located<Int>?
    var background: Located<String>?
    var format: Located<String>?
    var compression: Located<Int>?
    var moderation: Located<String>?
    var tags: Located<[String]>?
    var date: Located<Date>?
    var edit: Located<EditSettings>?
    var variationOf: Located<String>?
    var seed: Located<String>?
    var draft: Located<Bool>?

    /// These settings, with every one left unset taken from `defaults`.
    func overlaid(on defaults: PromptSettings) -> PromptSettings {
        PromptSettings(
            title: title ?? defaults.title,
            model: model ?? defaults.model,
            size: size ?? defaults.size,
            quality: quality ?? defaults.quality,
            n: n ?? defaults.n,
            background: background ?? defaults.background,
            format: format ?? defaults.format,
            compression: compression ?? defaults.compression,
            moderation: moderation ?? defaults.moderation,
            tags: tags ?? defaults.tags,
            date: date ?? defaults.date,
            edit: edit ?? defaults.edit,
            variationOf: variationOf ?? defaults.variationOf,
            seed: seed ?? defaults.seed,
            draft: draft ?? defaults.draft
        )
    }
}

/// The `edit:` key: the images to edit and an optional mask.
struct EditSettings: Sendable, Equatable {
    var images: [Located<String>]
    var mask: Located<MaskSetting>?
}

/// A mask given as a PNG file, or as a rectangle that Easel paints into a mask itself.
enum MaskSetting: Sendable, Equatable {
    case file(String)
    case rectangle(PixelRect)
    case ellipse(PixelEllipse)
}

/// A rectangle in image pixels, from the top-left corner.
public struct PixelRect: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// Creates a rectangle.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "[\(x), \(y), \(width), \(height)]" }
}

/// An ellipse in image pixels: its centre and its two radii.
public struct PixelEllipse: Sendable, Hashable, Codable, CustomStringConvertible {
    public var centerX: Int
    public var centerY: Int
    public var radiusX: Int
    public var radiusY: Int

    /// Creates an ellipse.
    public init(centerX: Int, centerY: Int, radiusX: Int, radiusY: Int) {
        self.centerX = centerX
        self.centerY = centerY
        self.radiusX = radiusX
        self.radiusY = radiusY
    }

    public var description: String { "[\(centerX), \(centerY), \(radiusX), \(radiusY)]" }

    enum CodingKeys: String, CodingKey {
        case centerX = "cx"
        case centerY = "cy"
        case radiusX = "rx"
        case radiusY = "ry"
    }
}

/// The keys a prompt's front matter may hold (SPEC §3).
enum PromptKey: String, CaseIterable, Sendable {
    case title, model, size, quality, n, background, format, compression, moderation, tags, date, edit
    case variationOf = "variation_of"
    case seed, draft

    /// Names people carry over from the API or other tools, with what to write instead.
    static let aliases: [String: String] = [
        "output_format": "format",
        "output_compression": "compression",
        "image": "edit",
        "images": "edit",
        "mask": "edit",
        "variation": "variation_of",
        "tag": "tags",
        "name": "title",
        "count": "n",
        "number": "n",
    ]

    /// Keys that only the retired DALL·E API took and Easel never sends.
    static let retired: [String: String] = [
        "response_format": "images always come back as base64 and are kept in cache/",
        "style": "'style' was a dall-e-3 option; describe the style in the prompt instead",
    ]
}
