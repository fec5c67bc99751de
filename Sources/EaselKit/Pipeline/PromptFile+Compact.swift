import Foundation

extension PromptFile {
    /// A prompt as the parse record keeps it (``ParseRecord``): a JSON array of its fields in a
    /// fixed order, its request an array too, its date as `Date`'s own number. Decoding 10,000
    /// prompts as keyed objects was the longest step of a one-prompt build of 10,000 prompts
    /// after the cache memo's (``CacheRecord/Compact``). What few prompts have (diagnostics, the
    /// input images and mask of an edit) keeps its own form. Local state, made and read by one
    /// Easel binary; a prompt from it is used only as ``ParseRecord/prompt(at:identity:in:)`` allows.
    struct Compact: Codable, Sendable {
        var prompt: PromptFile

        init(_ prompt: PromptFile) { self.prompt = prompt }

        init(from decoder: any Decoder) throws {
            var fields = try decoder.unkeyedContainer()
            let path = try fields.decode(String.self)
            let title = try fields.decode(String.self)
            let tags = try fields.decode([String].self)
            let date = try fields.decodeOptional(Double.self).map { Date(timeIntervalSinceReferenceDate: $0) }
            let isDraft = try fields.decode(Bool.self)
            let html = try fields.decode(String.self)
            let text = try fields.decode(String.self)
            let model = try fields.decode(String.self)
            let kind = try fields.decode(Kind.self)
            var request: ImageRequest?
            if try !fields.decodeNil() {
                var nested = try fields.nestedUnkeyedContainer()
                request = try Self.request(from: &nested)
            }
            let diagnostics = try fields.decode([Diagnostic].self)
            let source = try fields.decode(String.self)
            let compare = try fields.decodeOptional(Comparison.self)
            try fields.requireEnd(of: "a prompt")
            prompt = PromptFile(
                path: path,
                title: title,
                tags: tags,
                date: date,
                isDraft: isDraft,
                html: html,
                text: text,
                model: model,
                kind: kind,
                request: request,
                diagnostics: diagnostics,
                source: source,
                compare: compare
            )
        }

        func encode(to encoder: any Encoder) throws {
            var fields = encoder.unkeyedContainer()
            try fields.encode(prompt.path)
            try fields.encode(prompt.title)
            try fields.encode(prompt.tags)
            try fields.encode(prompt.date?.timeIntervalSinceReferenceDate)
            try fields.encode(prompt.isDraft)
            try fields.encode(prompt.html)
            try fields.encode(prompt.text)
            try fields.encode(prompt.model)
            try fields.encode(prompt.kind)
            if let request = prompt.request {
                var nested = fields.nestedUnkeyedContainer()
                try Self.encode(request, into: &nested)
            } else {
                try fields.encodeNil()
            }
            try fields.encode(prompt.diagnostics)
            try fields.encode(prompt.source)
            try fields.encode(prompt.compare)
        }

        private static func request(from fields: inout any UnkeyedDecodingContainer) throws -> ImageRequest {
            let request = ImageRequest(
                endpoint: try fields.decode(ImageRequest.Endpoint.self),
                model: try fields.decode(String.self),
                dialect: try fields.decode(ModelSpec.Dialect.self),
                prompt: try fields.decode(String.self),
                size: try fields.decodeOptional(String.self),
                quality: try fields.decodeOptional(String.self),
                n: try fields.decode(Int.self),
                background: try fields.decodeOptional(String.self),
                format: try fields.decodeOptional(String.self),
                compression: try fields.decodeOptional(Int.self),
                moderation: try fields.decodeOptional(String.self),
                inputFidelity: try fields.decodeOptional(String.self),
                images: try fields.decode([InputImage].self),
                mask: try fields.decodeOptional(Mask.self),
                seed: try fields.decodeOptional(String.self)
            )
            try fields.requireEnd(of: "a request")
            return request
        }

        private static func encode(_ request: ImageRequest, into fields: inout any UnkeyedEncodingContainer) throws {
            try fields.encode(request.endpoint)
            try fields.encode(request.model)
            try fields.encode(request.dialect)
            try fields.encode(request.prompt)
            try fields.encode(request.size)
            try fields.encode(request.quality)
            try fields.encode(request.n)
            try fields.encode(request.background)
            try fields.encode(request.format)
            try fields.encode(request.compression)
            try fields.encode(request.moderation)
            try fields.encode(request.inputFidelity)
            try fields.encode(request.images)
            try fields.encode(request.mask)
            try fields.encode(request.seed)
        }
    }
}
