public import Foundation

/// The metadata kept beside a cache entry's images (`entry.json`): how the images were made.
public struct CacheRecord: Sendable, Hashable, Codable {
    /// The request as sent, without secrets.
    public struct Request: Sendable, Hashable, Codable {
        public var endpoint: ImageRequest.Endpoint
        public var model: String
        public var prompt: String
        public var size: String?
        public var quality: String?
        public var n: Int
        public var background: String?
        public var format: String?
        public var compression: Int?
        public var moderation: String?
        public var inputFidelity: String?
        /// Input images: project path and SHA-256.
        public var images: [FileReference]
        public var mask: FileReference?
        public var maskRect: PixelRect?
        public var maskEllipse: PixelEllipse?
        public var seed: String?

        enum CodingKeys: String, CodingKey {
            case endpoint, model, prompt, size, quality, n, background, format, compression, moderation, images, mask
            case inputFidelity = "input_fidelity"
            case maskRect = "mask_rect"
            case maskEllipse = "mask_ellipse"
            case seed
        }
    }

    /// A file by its path in the project and the hash of its bytes.
    public struct FileReference: Sendable, Hashable, Codable {
        public var path: String
        public var sha256: String
    }

    /// One image of the entry.
    public struct Image: Sendable, Hashable, Codable {
        /// File name inside the entry's folder, e.g. `1.png`.
        public var file: String
        public var sha256: String
        public var bytes: Int
        public var width: Int?
        public var height: Int?
    }

    public var version: Int
    public var key: CacheKey
    public var request: Request
    /// `created` from the API.
    public var created: Date
    /// Time of the successful attempt, milliseconds.
    public var latencyMS: Int
    /// Time of all attempts, retries and waits included, milliseconds.
    public var totalMS: Int
    public var attempts: Int
    public var requestID: String?
    public var usage: Usage?
    /// What the generation cost in US dollars, when the model's prices are known.
    public var costUSD: Double?
    public var model: String
    /// What the API reports it produced (it resolves `auto`).
    public var size: String?
    public var quality: String?
    public var background: String?
    public var format: String
    public var images: [Image]
    /// The prompt file the entry was first made for.
    public var promptFile: String
    /// When Easel stored the entry.
    public var storedAt: Date
    /// The prompt as the model rewrote it (dall-e-3).
    public var revisedPrompt: String?
    /// For an entry made through the Batch API: the batch, and when it was sent and done. Its
    /// `latencyMS` and `totalMS` are then the batch's time, which no request's latency is.
    public var batch: Batch? = nil

    /// The batch an entry came from (issue 15).
    public struct Batch: Sendable, Hashable, Codable {
        public var id: String
        /// The request's `custom_id` in the batch: the entry's key.
        public var customID: String
        public var submittedAt: Date
        public var completedAt: Date

        enum CodingKeys: String, CodingKey {
            case id
            case customID = "custom_id"
            case submittedAt = "submitted_at"
            case completedAt = "completed_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, key, request, created
        case latencyMS = "latency_ms"
        case totalMS = "total_ms"
        case attempts
        case requestID = "request_id"
        case usage
        case costUSD = "cost_usd"
        case model, size, quality, background, format, images
        case promptFile = "prompt_file"
        case storedAt = "stored_at"
        case revisedPrompt = "revised_prompt"
        case batch
    }
}

extension CacheRecord.Request {
    /// The record form of `request`.
    init(_ request: ImageRequest) {
        endpoint = request.endpoint
        model = request.model
        prompt = request.prompt
        size = request.size
        quality = request.quality
        n = request.n
        background = request.background
        format = request.format
        compression = request.compression
        moderation = request.moderation
        inputFidelity = request.inputFidelity
        images = request.images.map { CacheRecord.FileReference(path: $0.path, sha256: $0.sha256) }
        switch request.mask {
        case .image(let image): mask = CacheRecord.FileReference(path: image.path, sha256: image.sha256)
        case .rectangle(let rect): maskRect = rect
        case .ellipse(let shape): maskEllipse = shape
        case nil: break
        }
        seed = request.seed
    }
}
