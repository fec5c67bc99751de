public import Foundation

/// Where images come from: the API client, or in tests anything that answers a request.
///
/// The pipeline hands a source one ``ImageRequest`` per missing cache entry and stores what comes
/// back; a source knows nothing of prompts, the cache or the site.
public protocol ImageSource: Sendable {
    /// Produces the images for `request`, asking `gate` before every attempt it makes.
    /// - Throws: an error whose description is safe to show (no secrets); the prompt is marked failed.
    ///   ``RequestGate/Closed`` when the gate closed before the request could be sent.
    func generate(_ request: ImageRequest, gate: RequestGate) async throws -> ImageResult
}

extension ImageSource {
    /// Produces the images for `request`, alone (no other request shares a gate with it).
    public func generate(_ request: ImageRequest) async throws -> ImageResult {
        try await generate(request, gate: RequestGate(maximum: 1))
    }
}

/// How far a failed generation reaches (SPEC §6).
public enum FailureScope: Sendable, Hashable {
    /// Only this request failed (a moderation block, a bad size); the others go on.
    case request
    /// Every request for this model will fail (retired or unknown model): skip them.
    case model
    /// No request can succeed (bad key, no credit): stop sending at once.
    case run
}

/// An error that says how far it reaches; errors without it fail only their request.
public protocol ScopedError: Error {
    var scope: FailureScope { get }
}

/// What a source returns for one request: the images as the API sent them, and how it went.
public struct ImageResult: Sendable {
    /// The decoded image files, in the API's order, not yet checked: Easel sniffs each before keeping it.
    public var images: [ReceivedImage]
    /// `created` from the API's response.
    public var created: Date
    /// Time of the successful attempt, and of all attempts including retries and waits.
    public var latency: Duration
    public var totalTime: Duration
    public var attempts: Int
    /// The API's `x-request-id`, for support requests.
    public var requestID: String?
    public var usage: Usage?
    /// What the API reports it used (it resolves `auto`): size, quality, background.
    public var size: String?
    public var quality: String?
    public var background: String?
    /// The prompt as the model rewrote it (dall-e-3 only).
    public var revisedPrompt: String?

    /// Creates a result.
    public init(
        images: [ReceivedImage],
        created: Date,
        latency: Duration,
        totalTime: Duration? = nil,
        attempts: Int = 1,
        requestID: String? = nil,
        usage: Usage? = nil,
        size: String? = nil,
        quality: String? = nil,
        background: String? = nil,
        revisedPrompt: String? = nil
    ) {
        self.images = images
        self.created = created
        self.latency = latency
        self.totalTime = totalTime ?? latency
        self.attempts = attempts
        self.requestID = requestID
        self.usage = usage
        self.size = size
        self.quality = quality
        self.background = background
        self.revisedPrompt = revisedPrompt
    }
}

/// Token counts from the API's `usage` object.
public struct Usage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var inputTextTokens: Int?
    public var inputImageTokens: Int?
    public var outputTokens: Int
    public var totalTokens: Int

    /// Creates a usage record.
    public init(
        inputTokens: Int,
        inputTextTokens: Int? = nil,
        inputImageTokens: Int? = nil,
        outputTokens: Int,
        totalTokens: Int? = nil
    ) {
        self.inputTokens = inputTokens
        self.inputTextTokens = inputTextTokens
        self.inputImageTokens = inputImageTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens ?? inputTokens + outputTokens
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case inputTextTokens = "input_text_tokens"
        case inputImageTokens = "input_image_tokens"
        case outputTokens = "output_tokens"
        case totalTokens = "total_tokens"
    }
}
