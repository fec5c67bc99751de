/// The JSON the Images API answers with (`ImagesResponse`), as far as Easel reads it.
struct ImagesResponse: Decodable, Sendable {
    struct Item: Decodable, Sendable {
        var b64JSON: String?
        var url: String?
        var revisedPrompt: String?

        enum CodingKeys: String, CodingKey {
            case b64JSON = "b64_json"
            case url
            case revisedPrompt = "revised_prompt"
        }
    }

    struct TokenDetails: Decodable, Sendable {
        var imageTokens: Int?
        var textTokens: Int?

        enum CodingKeys: String, CodingKey {
            case imageTokens = "image_tokens"
            case textTokens = "text_tokens"
        }
    }

    struct ResponseUsage: Decodable, Sendable {
        var inputTokens: Int
        var inputTokensDetails: TokenDetails?
        var outputTokens: Int
        var totalTokens: Int?

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens"
            case inputTokensDetails = "input_tokens_details"
            case outputTokens = "output_tokens"
            case totalTokens = "total_tokens"
        }

        /// The counts, or nil when one is negative or past any real answer's (a server's number is
        /// checked before arithmetic: `input_tokens + output_tokens` of two huge counts would trap).
        var usage: Usage? {
            let counts =
                [inputTokens, outputTokens]
                + [totalTokens, inputTokensDetails?.textTokens, inputTokensDetails?.imageTokens].compactMap { $0 }
            guard counts.allSatisfy({ (0...1_000_000_000).contains($0) }) else { return nil }
            return Usage(
                inputTokens: inputTokens,
                inputTextTokens: inputTokensDetails?.textTokens,
                inputImageTokens: inputTokensDetails?.imageTokens,
                outputTokens: outputTokens,
                totalTokens: totalTokens
            )
        }
    }

    var created: Int
    var data: [Item]
    var background: String?
    var outputFormat: String?
    var quality: String?
    var size: String?
    var usage: ResponseUsage?

    enum CodingKeys: String, CodingKey {
        case created, data, background
        case outputFormat = "output_format"
        case quality, size, usage
    }
}

/// The API's error body: `{"error": {"message", "type", "param", "code"}}`.
struct ErrorResponse: Decodable, Sendable {
    struct Body: Decodable, Sendable {
        var message: String?
        var type: String?
        var param: String?
        var code: String?
    }

    var error: Body
}
