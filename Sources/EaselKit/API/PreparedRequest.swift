import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// An API call ready to send, and to send again on a retry: endpoint URL, content type and body.
struct PreparedRequest: Sendable {
    var url: String
    var contentType: String
    var body: Body

    /// What is sent: JSON in memory, or a multipart form whose images are read from their files as
    /// it is sent (sixteen 50 MB inputs never sit in memory together).
    enum Body: Sendable {
        case bytes(ByteBuffer)
        case multipart(MultipartBody)
    }

    /// Builds the HTTP body of `request` for `settings`, checking the input images.
    /// - Throws: ``APIError`` (not sent) when an input image is one the API would refuse.
    init(_ request: ImageRequest, settings: APISettings) throws {
        url = settings.url(for: "images/\(request.endpoint.rawValue)", model: request.model)
        switch request.endpoint {
        case .generations:
            contentType = "application/json"
            body = .bytes(ByteBuffer(bytes: try Self.json(request)))
        case .edits, .variations:
            let form = try MultipartBody(request)
            contentType = "multipart/form-data; boundary=\(form.boundary)"
            body = .multipart(form)
        }
    }

    /// The body for one attempt: a stream is used up by the attempt that sends it.
    var httpBody: HTTPClientRequest.Body {
        switch body {
        case .bytes(let buffer): .bytes(buffer)
        case .multipart(let form): .stream(form.chunks(), length: .known(Int64(form.length)))
        }
    }

    // MARK: JSON

    private static func json(_ request: ImageRequest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(jsonFields(request))
    }

    /// The body of a JSON request: the text fields, whole numbers as numbers.
    static func jsonFields(_ request: ImageRequest) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["model": .string(request.model), "prompt": .string(request.prompt)]
        for (name, value) in textFields(request) where name != "model" && name != "prompt" {
            fields[name] = Int(value).map(JSONValue.number) ?? .string(value)
        }
        return fields
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
        if let fidelity = request.inputFidelity, request.endpoint == .edits {
            fields.append(("input_fidelity", fidelity))
        }
        return fields
    }
}

/// A multipart/form-data body (RFC 7578) whose file parts stay on disk until sent.
///
/// Framed exactly as MultipartKit's `MultipartSerializer` frames a form (`--boundary`, the part's
/// headers, a blank line, the body, CRLF; `--boundary--` last), which needs every body in memory:
/// here a part's body is either bytes or a file read 64 KiB at a time.
struct MultipartBody: Sendable {
    enum Piece: Sendable {
        case bytes(ByteBuffer)
        case file(URL, size: Int)
    }

    let boundary: String
    private(set) var pieces: [Piece] = []
    /// The body's length in bytes, sent as `Content-Length`.
    private(set) var length = 0

    /// The form of an edit or variation: its text fields, then its images and mask.
    /// - Throws: ``APIError`` (not sent) when an input image is one the API would refuse.
    init(_ request: ImageRequest) throws {
        let inputs = try InputUpload.check(request)
        let imageField = inputs.images.count > 1 ? "image[]" : "image"
        let uploads = inputs.images.map { (imageField, $0) } + (inputs.mask.map { [("mask", $0)] } ?? [])
        self.init(
            fields: PreparedRequest.textFields(request),
            files: uploads.map { name, upload in
                (name, upload.fileName, upload.mediaType, upload.content)
            }
        )
    }

    /// A form of text fields, then files, in the order given.
    init(
        fields: [(String, String)],
        files: [(name: String, fileName: String, mediaType: String, content: InputUpload.Content)]
    ) {
        boundary = "easel-\(UUID().uuidString.lowercased())"
        for (name, value) in fields {
            append(headers: [("Content-Disposition", "form-data; name=\"\(name)\"")], .bytes(ByteBuffer(string: value)))
        }
        for file in files {
            append(
                headers: InputUpload.headers(named: file.name, fileName: file.fileName, mediaType: file.mediaType),
                file.content
            )
        }
        add(ByteBuffer(string: "--\(boundary)--\r\n"))
    }

    private mutating func append(headers: [(String, String)], _ content: InputUpload.Content) {
        var head = ByteBuffer(string: "--\(boundary)\r\n")
        for (name, value) in headers { head.writeString("\(name): \(value)\r\n") }
        head.writeString("\r\n")
        add(head)
        switch content {
        case .bytes(let buffer): add(buffer)
        case .file(let url, let size):
            pieces.append(.file(url, size: size))
            length += size
        }
        add(ByteBuffer(string: "\r\n"))
    }

    private mutating func add(_ buffer: ByteBuffer) {
        pieces.append(.bytes(buffer))
        length += buffer.readableBytes
    }

    /// The body as a stream of chunks, files read as they are needed.
    func chunks() -> AsyncThrowingStream<ByteBuffer, any Error> {
        let pieces = pieces
        var iterator = pieces.makeIterator()
        var file: (handle: FileHandle, left: Int)?
        return AsyncThrowingStream {
            while true {
                if var open = file {
                    guard open.left > 0 else {
                        try? open.handle.close()
                        file = nil
                        continue
                    }
                    let data = try open.handle.read(upToCount: min(64 << 10, open.left)) ?? Data()
                    guard !data.isEmpty else {
                        throw APIError(kind: .invalidInput, message: "an input image changed while it was being sent")
                    }
                    open.left -= data.count
                    file = open
                    return ByteBuffer(data: data)
                }
                switch iterator.next() {
                case nil: return nil
                case .bytes(let buffer)?: return buffer
                case .file(let url, let size)?: file = (try FileHandle(forReadingFrom: url), size)
                }
            }
        }
    }
}

/// A JSON value of a request's body: text, a whole number, or uploaded files (a batch's edits
/// name their images by file id: `{"file_id": "file-…"}`).
enum JSONValue: Encodable {
    case string(String)
    case number(Int)
    case file(String)
    case files([String])

    private struct FileReference: Encodable {
        var fileID: String
        enum CodingKeys: String, CodingKey { case fileID = "file_id" }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .file(let id): try container.encode(FileReference(fileID: id))
        case .files(let ids): try container.encode(ids.map(FileReference.init))
        }
    }
}
