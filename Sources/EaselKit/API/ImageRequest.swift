public import Foundation

/// One call to the image API, exactly as it will be sent: what an ``ImageSource`` takes.
///
/// Parameters left nil are not sent, and the API applies its default. The request knows nothing of
/// prompt files or pages; its ``cacheKey`` identifies the result in the cache.
public struct ImageRequest: Sendable, Hashable, Codable {
    /// The API operation.
    public enum Endpoint: String, Sendable, Hashable, Codable, CaseIterable {
        /// `POST /images/generations`
        case generations
        /// `POST /images/edits`
        case edits
        /// `POST /images/variations` (legacy models only)
        case variations
    }

    public var endpoint: Endpoint
    public var model: String
    /// How to speak to the model's server; `legacy` adds `response_format` and uses `/variations`.
    public var dialect: ModelSpec.Dialect
    /// The prompt text; empty for a legacy variation, which takes none.
    public var prompt: String
    public var size: String?
    public var quality: String?
    public var n: Int
    public var background: String?
    public var format: String?
    public var compression: Int?
    public var moderation: String?
    /// `input_fidelity` of an edit: how closely the result keeps the input images' features.
    public var inputFidelity: String?
    /// Images to edit, or the one image to vary.
    public var images: [InputImage]
    public var mask: Mask?
    /// A re-roll number: part of the cache key, never sent.
    public var seed: String?

    /// Creates a request.
    public init(
        endpoint: Endpoint,
        model: String,
        dialect: ModelSpec.Dialect = .gptImage,
        prompt: String,
        size: String? = nil,
        quality: String? = nil,
        n: Int = 1,
        background: String? = nil,
        format: String? = nil,
        compression: Int? = nil,
        moderation: String? = nil,
        inputFidelity: String? = nil,
        images: [InputImage] = [],
        mask: Mask? = nil,
        seed: String? = nil
    ) {
        self.endpoint = endpoint
        self.model = model
        self.dialect = dialect
        self.prompt = prompt
        self.size = size
        self.quality = quality
        self.n = n
        self.background = background
        self.format = format
        self.compression = compression
        self.moderation = moderation
        self.inputFidelity = inputFidelity
        self.images = images
        self.mask = mask
        self.seed = seed
    }

    /// The format the images come back in.
    public var outputFormat: String { format ?? "png" }
}

/// An image file of the project sent with an edit or a variation.
public struct InputImage: Sendable, Hashable, Codable {
    /// Path inside the project, e.g. `inputs/kolochava.png`; also the upload's file name.
    public var path: String
    /// Where to read the bytes.
    public var url: URL
    /// SHA-256 of the file's bytes, hex: what the cache key holds.
    public var sha256: String

    /// Creates an input image.
    public init(path: String, url: URL, sha256: String) {
        self.path = path
        self.url = url
        self.sha256 = sha256
    }
}

/// The mask of an edit: transparent where the image may change.
public enum Mask: Sendable, Hashable, Codable {
    /// A PNG with an alpha channel, the size of the first image.
    case image(InputImage)
    /// A rectangle to edit; Easel paints the mask itself, the size of the first image.
    case rectangle(PixelRect)
    /// An ellipse to edit, painted the same way.
    case ellipse(PixelEllipse)
}
