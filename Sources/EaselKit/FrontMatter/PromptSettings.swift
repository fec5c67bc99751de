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
    var inputFidelity: Located<String>?
    /// `compare:`: the keys to vary and their values, in the order written.
    var compare: Located<[CompareAxisSetting]>?
    /// `pick:`: the cell of `compare` whose image is the prompt's card.
    var pick: Located<[(key: String, value: Located<String>)]>?

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
            draft: draft ?? defaults.draft,
            inputFidelity: inputFidelity ?? defaults.inputFidelity,
            compare: compare ?? defaults.compare,
            // A pick from easel.yml chooses among the cells of easel.yml's compare only.
            pick: pick ?? (compare == nil ? defaults.pick : nil)
        )
    }

    /// The value of `key` as a compare cell shows it (`model`, `quality`…), when it is set.
    func label(of key: PromptKey) -> String? {
        switch key {
        case .model: model?.value
        case .size: size?.value
        case .quality: quality?.value
        case .background: background?.value
        case .format: format?.value
        case .compression: compression.map { String($0.value) }
        case .moderation: moderation?.value
        case .seed: seed?.value
        case .inputFidelity: inputFidelity?.value
        default: nil
        }
    }
}

/// One key of `compare:` and the settings of each of its values, each with where it was written.
struct CompareAxisSetting: Sendable {
    var key: PromptKey
    /// Where the key is written.
    var location: SourceLocation
    /// One setting per value, with only `key` set.
    var values: [PromptSettings]

    /// The keys `compare:` can vary: what a request is made of, and nothing shown only.
    static let keys: [PromptKey] = [
        .model, .quality, .size, .background, .format, .compression, .moderation, .seed, .inputFidelity,
    ]
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
    case inputFidelity = "input_fidelity"
    case compare, pick

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
        "fidelity": "input_fidelity",
    ]

    /// Keys that only the retired DALL·E API took and Easel never sends.
    static let retired: [String: String] = [
        "response_format": "images always come back as base64 and are kept in cache/",
        "style": "'style' was a dall-e-3 option; describe the style in the prompt instead",
    ]
}
