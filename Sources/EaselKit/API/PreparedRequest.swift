import Foundation
import MultipartKit
import NIOCore
import NIOHTTP1

/// An API call ready to send, and to send again on a retry: endpoint URL, content type and body.
struct PreparedRequest: Sendable {
    var url: String
    var contentType: String
    var body: ByteBuffer

    /// Builds the HTTP body of `request` for `settings`, reading and checking the input images.
    /// - Throws: ``APIError`` (not sent) when an input image is one the API would refuse.
    init(_ request: ImageRequest, settings: APISettings) throws {
        url = settings.url(for: "images/\(request.endpoint.rawValue)", model: request.model)
        switch request.endpoint {
        case .generations:
            contentType = "application/json"
            body = ByteBuffer(bytes: try Self.json(request))
        case .edits, .variations:
            let boundary = "easel-\(UUID().uuidString.lowercased())"
            contentType = "multipart/form-data; boundary=\(boundary)"
            body = ByteBuffer()
            try MultipartSerializer().serialize(parts: try Self.parts(request), boundary: boundary, into: &body)
        }
    }

    // MARK: JSON

    private static func json(_ request: ImageRequest) throws -> Data {
        var fields: [String: JSONValue] = ["model": .string(request.model), "prompt": .string(request.prompt)]
        for (name, value) in textFields(request) where name != "model" && name != "prompt" {
            fields[name] = Int(value).map(JSONValue.number) ?? .string(value)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(fields)
    }

    /// The parameters sent besides the images, only those that are set, in a stable order.
    static func textFields(_ request: ImageRequest) -> [(String, String)] {
        var fields: [(String, String)] = [("model", request.model)]
        if request.endpoint != .variations { fields.append(("prompt", request.prompt)) }
        if request.n != 1 { fields.append(("n", String(request.n))) }
        if let size = request.size { fields.append(("size", size)) }
        if request.dialect == .legacy {
            if let quality = request.quality { fields.append(("quality", quality)) }
            // The legacy default is a URL valid for an hour: ask for the bytes instead.
            fields.append(("response_format", "b64_json"))
            return fields
        }
        if let quality = request.quality { fields.append(("quality", quality)) }
        if let background = request.background { fields.append(("background", background)) }
        if let format = request.format { fields.append(("output_format", format)) }
        if let compression = request.compression { fields.append(("output_compression", String(compression))) }
        // Multipart edits have no moderation field (API reference §3).
        if let moderation = request.moderation, request.endpoint == .generations {
            fields.append(("moderation", moderation))
        }
        return fields
    }

    // MARK: Multipart

    private static func parts(_ request: ImageRequest) throws -> [MultipartPart] {
        let inputs = try InputUpload.check(request)
        var parts = textFields(request).map { name, value in
            MultipartPart(headers: ["Content-Disposition": "form-data; name=\"\(name)\""], body: value)
        }
        let imageField = inputs.images.count > 1 ? "image[]" : "image"
        for image in inputs.images { parts.append(image.part(named: imageField)) }
        if let mask = inputs.mask { parts.append(mask.part(named: "mask")) }
        return parts
    }
}

/// A JSON value of the generations body: text or a whole number.
private enum JSONValue: Encodable {
    case string(String)
    case number(Int)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        }
    }
}
