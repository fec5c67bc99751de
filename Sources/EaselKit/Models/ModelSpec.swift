import Foundation

/// What one image model accepts and costs: a row of the model table (SPEC §6).
public struct ModelSpec: Sendable, Hashable {
    /// How requests for the model are written.
    public enum Dialect: String, Sendable, Hashable, CaseIterable, Codable {
        /// GPT image models: base64 responses, `output_format`, no `response_format`.
        case gptImage = "gpt-image"
        /// DALL·E models on OpenAI-compatible servers: `response_format`, `/images/variations`.
        case legacy
    }

    /// Where the model stands at OpenAI.
    public enum Status: Sendable, Hashable {
        case active
        /// Still served, shut down on `date`.
        case deprecated(shutdown: String, replacement: String?)
        /// No longer served by OpenAI since `date`; OpenAI-compatible servers may still serve it.
        case retired(since: String, replacement: String?)
    }

    /// The name sent as `model`.
    public var name: String
    public var dialect: Dialect
    /// Sizes accepted as written, `auto` included where the model takes it.
    public var sizes: [String]
    /// Any other size the model accepts under rules, or nil when only `sizes` are accepted.
    public var flexibleSizes: FlexibleSizes?
    public var qualities: [String]
    /// The most images one request may ask for (`n`).
    public var maxImages: Int
    /// Output formats (`output_format`); empty when the model has no such option (it returns PNG).
    public var formats: [String]
    public var endpoints: Set<ImageRequest.Endpoint>
    /// The most input images an edit takes.
    public var maxInputImages: Int
    /// The longest prompt, in characters.
    public var maxPromptLength: Int
    /// The `input_fidelity` values an edit may ask for; empty when the model takes no such option.
    public var inputFidelities: [String]
    public var prices: Prices
    /// Prices through OpenAI's Batch API (results within 24 hours); nil where OpenAI publishes none.
    public var batchPrices: Prices?
    public var status: Status
    /// Values the API uses when a parameter is left out: a request never sends them, so writing
    /// `size: auto` or leaving it out makes the same request and the same cache entry.
    public var defaults: [String: String]

    /// Creates a model row.
    public init(
        name: String,
        dialect: Dialect,
        sizes: [String],
        flexibleSizes: FlexibleSizes? = nil,
        qualities: [String],
        maxImages: Int,
        formats: [String],
        endpoints: Set<ImageRequest.Endpoint>,
        maxInputImages: Int,
        maxPromptLength: Int,
        inputFidelities: [String] = [],
        prices: Prices,
        batchPrices: Prices? = nil,
        status: Status = .active,
        defaults: [String: String] = [:]
    ) {
        self.name = name
        self.dialect = dialect
        self.sizes = sizes
        self.flexibleSizes = flexibleSizes
        self.qualities = qualities
        self.maxImages = maxImages
        self.formats = formats
        self.endpoints = endpoints
        self.maxInputImages = maxInputImages
        self.maxPromptLength = maxPromptLength
        self.inputFidelities = inputFidelities
        self.prices = prices
        self.batchPrices = batchPrices
        self.status = status
        self.defaults = defaults
    }
}

/// The sizes a model accepts beyond its fixed list: any `WIDTHxHEIGHT` within these limits.
public struct FlexibleSizes: Sendable, Hashable {
    /// Both sides must be multiples of this.
    public var multipleOf: Int
    /// The longer side may be at most this many times the shorter.
    public var maxRatio: Int
    /// The largest size, as long edge × short edge (3840x2160 also admits 2160x3840).
    public var maxSize: ImageSize
    public var minPixels: Int

    /// Creates the rules.
    public init(multipleOf: Int, maxRatio: Int, maxSize: ImageSize, minPixels: Int) {
        self.multipleOf = multipleOf
        self.maxRatio = maxRatio
        self.maxSize = maxSize
        self.minPixels = minPixels
    }

    /// Why `size` is not accepted, or nil when it is.
    func problem(with size: ImageSize) -> String? {
        if size.width % multipleOf != 0 || size.height % multipleOf != 0 {
            return "both sides must be multiples of \(multipleOf)"
        }
        if size.longEdge > size.shortEdge * maxRatio {
            return "the long side may be at most \(maxRatio)× the short side"
        }
        if size.longEdge > maxSize.longEdge || size.shortEdge > maxSize.shortEdge {
            return "the largest size is \(maxSize) (or \(maxSize.height)x\(maxSize.width))"
        }
        if size.pixels < minPixels { return "it needs at least \(minPixels.formatted()) pixels" }
        return nil
    }
}

/// Prices in US dollars. Token prices are per million tokens; nil means unknown, never a guess.
public struct Prices: Sendable, Hashable {
    public var textInput: Double?
    public var imageInput: Double?
    public var imageOutput: Double?
    /// Legacy models bill per image: "1024x1024" or "hd 1024x1024" → dollars.
    public var perImage: [String: Double]

    /// Creates a price list.
    public init(
        textInput: Double? = nil,
        imageInput: Double? = nil,
        imageOutput: Double? = nil,
        perImage: [String: Double] = [:]
    ) {
        self.textInput = textInput
        self.imageInput = imageInput
        self.imageOutput = imageOutput
        self.perImage = perImage
    }

    /// No price known.
    public static let unknown = Prices()

    /// These prices at `factor` of themselves: the Batch API's half, say.
    public func scaled(by factor: Double) -> Prices {
        Prices(
            textInput: textInput.map { $0 * factor },
            imageInput: imageInput.map { $0 * factor },
            imageOutput: imageOutput.map { $0 * factor },
            perImage: perImage.mapValues { $0 * factor }
        )
    }
}
