public import Foundation

/// A failed call to the image API: the status and the API's error fields, its message already
/// redacted, and what the failure means for the rest of the build.
public struct APIError: ScopedError, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    /// What kind of failure this is.
    public enum Kind: Hashable, Sendable {
        /// The server answered with an error status.
        case status(Int)
        /// No usable answer: connection refused, reset or timed out, a truncated or unreadable body.
        case transport
        /// The request was refused before it was sent (an input image the API would reject).
        case invalidInput
        /// The image was made but its URL could not be fetched (not retried: that would pay twice).
        case download
        /// The server answered, but with what Easel will not keep: images too large or too many,
        /// base64 that does not decode (not retried: the images may have been paid for).
        case unusableAnswer
    }

    public var kind: Kind
    /// The API's `error.type`, `error.code` and `error.param`.
    public var type: String?
    public var code: String?
    public var param: String?
    /// What went wrong, safe to show: secrets are removed.
    public var message: String
    /// The API's `x-request-id`, for support requests.
    public var requestID: String?
    /// The model the request was for.
    public var model: String?

    /// Creates an error; `message` must already be redacted.
    public init(
        kind: Kind,
        type: String? = nil,
        code: String? = nil,
        param: String? = nil,
        message: String,
        requestID: String? = nil,
        model: String? = nil
    ) {
        self.kind = kind
        self.type = type
        self.code = code
        self.param = param
        self.message = message
        self.requestID = requestID
        self.model = model
    }

    /// The HTTP status, when the server answered.
    public var status: Int? {
        if case .status(let status) = kind { return status }
        return nil
    }

    /// Codes that mean the account cannot pay for any request: stop the whole build.
    static let quotaCodes: Set<String> = [
        "insufficient_quota", "billing_hard_limit_reached", "credit_balance_exhausted",
        "organization_spend_limit_exceeded", "project_spend_limit_exceeded", "organization_usage_limit_exceeded",
    ]

    /// How far the failure reaches (SPEC §6).
    public var scope: FailureScope {
        if let code, Self.quotaCodes.contains(code) { return .run }
        if let type, Self.quotaCodes.contains(type) { return .run }
        switch status {
        case 401?, 403?: return .run
        case 404? where code == "model_not_found" || (message.contains("model") && param == "model"): return .model
        default: break
        }
        if code == "model_not_found" { return .model }
        return .request
    }

    /// Whether trying again may help: 408, 409, 429 (not a quota), 5xx and transport failures.
    public var isRetryable: Bool {
        guard scope != .run else { return false }
        switch kind {
        case .transport: return true
        case .invalidInput, .download, .unusableAnswer: return false
        case .status(let status): return [408, 409, 429].contains(status) || status >= 500
        }
    }

    /// What to do next, for the message.
    var advice: String? {
        if let code, Self.quotaCodes.contains(code) || (type.map(Self.quotaCodes.contains) ?? false) {
            return "the account is out of credit or over a spend limit: check billing at platform.openai.com"
        }
        switch status {
        case 401?:
            return "the API key was refused: check OPENAI_API_KEY (or AZURE_OPENAI_API_KEY) in the environment or .env"
        case 403?: return "this key may not use this model or region: check the project's model access"
        case 429?: return "rate limited: lower --concurrency, or wait and build again"
        default: break
        }
        if code == "moderation_blocked" || code == "content_policy_violation" {
            return "the safety system rejected the prompt: rephrase it, or try moderation: low"
        }
        if scope == .model, let model {
            if let row = ModelCatalog.builtin[model], case .retired(let since, let replacement) = row.status {
                return "\(model) was retired by OpenAI on \(since)" + (replacement.map { "; use \($0)" } ?? "")
            }
            return "the server does not serve \(model): check the model name"
        }
        return nil
    }

    public var description: String {
        var text = ""
        switch kind {
        case .status(let status): text = "HTTP \(status)"
        case .transport: text = "no answer"
        case .invalidInput: text = "not sent"
        case .download: text = "not downloaded"
        case .unusableAnswer: text = "unusable answer"
        }
        if let code { text += " \(code)" }
        text += ": \(message)"
        if let advice { text += " — \(advice)" }
        if let requestID { text += " (request \(requestID))" }
        return text
    }

    public var errorDescription: String? { description }
}
