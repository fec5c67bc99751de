import Foundation

/// The JSONL input of a batch (`BatchRequestInput` in the OpenAPI specification): one request a
/// line, `{"custom_id", "method", "url", "body"}`, the body what a synchronous call would send as
/// JSON; an edit names its images and mask by the ids of their uploads (purpose `vision`).
enum BatchInput {
    /// What the Batch API takes in one input file.
    static let maxLines = 50_000
    static let maxBytes = BatchClient.inputFileLimit

    /// The endpoint of `request` in a batch, or nil when it cannot go in one: the legacy models'
    /// dialect and `/images/variations` are not Batch API endpoints.
    static func endpoint(of request: ImageRequest) -> String? {
        guard request.dialect == .gptImage else { return nil }
        switch request.endpoint {
        case .generations: return "/v1/images/generations"
        case .edits: return "/v1/images/edits"
        case .variations: return nil
        }
    }

    /// The line of `request`, named `customID` (unique in its batch), with the file ids of its
    /// input images in order and of its mask (a file or a drawn one), for an edit.
    /// - Throws: ``APIError`` (`invalidInput`) for a request no batch takes, or an edit whose
    ///   images and ids do not match.
    static func line(for request: ImageRequest, customID: String, images: [String], mask: String?) throws -> Data {
        guard let url = endpoint(of: request) else {
            throw APIError(
                kind: .invalidInput,
                message: "\(request.model) \(request.endpoint.rawValue) cannot go through the Batch API"
            )
        }
        var body = PreparedRequest.jsonFields(request)
        if request.endpoint == .edits {
            guard images.count == request.images.count, !images.isEmpty, (mask != nil) == (request.mask != nil) else {
                throw APIError(kind: .invalidInput, message: "an edit's images and their uploads do not match")
            }
            body["images"] = .files(images)
            if let mask { body["mask"] = .file(mask) }
        }
        struct Line: Encodable {
            var customID: String
            var method = "POST"
            var url: String
            var body: [String: JSONValue]
            enum CodingKeys: String, CodingKey {
                case customID = "custom_id"
                case method, url, body
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Line(customID: customID, url: url, body: body))
    }

    /// `lines` cut into input files of at most `maxLines` lines and `maxBytes` bytes each (a line
    /// and its newline), in order.
    static func files(_ lines: [Data], maxLines: Int = maxLines, maxBytes: Int = maxBytes) -> [[Data]] {
        var files: [[Data]] = []
        var current: [Data] = []
        var size = 0
        for line in lines {
            if !current.isEmpty, current.count == maxLines || size + line.count + 1 > maxBytes {
                files.append(current)
                (current, size) = ([], 0)
            }
            current.append(line)
            size += line.count + 1
        }
        if !current.isEmpty { files.append(current) }
        return files
    }
}
