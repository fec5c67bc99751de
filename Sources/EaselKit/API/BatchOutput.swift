import Foundation

/// A batch's output or error file (`BatchRequestOutput`), read a line at a time: each line is one
/// request's answer, `{"custom_id", "response": {"status_code", "request_id", "body"}, "error"}`,
/// whose images stream into the spool as a synchronous answer's do (``AnswerReader``). The file is
/// the server's: every line is bounded, every text redacted, a line that cannot be read is
/// reported without its request, which then stays to be made.
enum BatchOutput {
    /// What one line says about its request.
    enum Answer: Sendable {
        case images(ImageResult)
        case failure(APIError)
    }

    private struct Head: Decodable {
        var customID: String?
        var response: Response?
        var error: ErrorResponse.Body?
        struct Response: Decodable {
            var statusCode: Int
            var requestID: String?
            enum CodingKeys: String, CodingKey {
                case statusCode = "status_code"
                case requestID = "request_id"
            }
        }
        enum CodingKeys: String, CodingKey {
            case customID = "custom_id"
            case response, error
        }
    }

    private struct Body<Content: Decodable>: Decodable {
        var response: Wrapped
        struct Wrapped: Decodable { var body: Content }
    }

    /// The most images one request makes (`n` at most 10): what a line is read with before its
    /// `custom_id` says which request it answers.
    static let maxImagesPerLine = 10

    /// Reads `file`, giving `handle` each line's `custom_id` (nil when the line cannot be read)
    /// and answer, in order. `images(customID)` is how many images that request asked for, nil
    /// for an id Easel did not submit (such a line is reported as a failure without images).
    static func read(
        _ file: URL,
        spool: URL,
        maxBytesPerImage: Int,
        redactor: Redactor,
        images: (String) -> Int?,
        handle: (String?, Answer) async throws -> Void
    ) async throws {
        let handleFile = try FileHandle(forReadingFrom: file)
        defer { try? handleFile.close() }
        var line = 0
        var reader: AnswerReader?
        var problem: APIError?
        let newReader = {
            AnswerReader(
                maxImages: maxImagesPerLine,
                spool: spool,
                maxBytesPerImage: maxBytesPerImage,
                path: ["response", "body"],
                requestID: nil
            )
        }
        func endLine() async throws {
            defer { (reader, problem) = (nil, nil) }
            line += 1  // every line counts, blank ones too: the number is the file's
            guard let current = reader, current.received > 0 || problem != nil else { return }
            if let problem {
                try await handle(nil, .failure(at(line, problem)))
                return
            }
            do {
                let (id, answer) = try await Self.answer(of: current, images: images, redactor: redactor)
                try await handle(id, answer)
            } catch let error as APIError {
                try await handle(nil, .failure(at(line, error)))
            }
        }
        while let chunk = try handleFile.read(upToCount: 1 << 16), !chunk.isEmpty {
            var start = chunk.startIndex
            while start < chunk.endIndex {
                let end = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) ?? chunk.endIndex
                if reader == nil { reader = newReader() }
                if problem == nil, end > start {
                    do {
                        try chunk[start..<end].withUnsafeBytes { try reader!.feed($0) }
                    } catch let error as APIError {
                        problem = error  // the rest of the line is skipped
                    }
                }
                if end < chunk.endIndex { try await endLine() }
                start = end < chunk.endIndex ? end + 1 : end
            }
        }
        try await endLine()
    }

    private static func at(_ line: Int, _ error: APIError) -> APIError {
        var error = error
        error.message = "line \(line) of the batch's file: \(error.message)"
        return error
    }

    /// The custom id and answer of a line read whole.
    private static func answer(
        of reader: AnswerReader,
        images: (String) -> Int?,
        redactor: Redactor
    ) async throws -> (String?, Answer) {
        let skeleton = try reader.finish()
        guard let head = try? JSONDecoder().decode(Head.self, from: skeleton) else {
            throw APIError(kind: .transport, message: "not a batch output line")
        }
        guard let id = head.customID, let asked = images(id) else {
            let shown = head.customID.map { redactor.serverText($0, limit: 80) } ?? "none"
            throw APIError(kind: .unusableAnswer, message: "a custom_id Easel did not send (\(shown))")
        }
        let requestID = head.response?.requestID.map { redactor.serverText($0, limit: 200) }
        if let error = head.error {
            return (id, .failure(Self.error(error, status: head.response?.statusCode, redactor, requestID)))
        }
        guard let response = head.response else {
            return (id, .failure(APIError(kind: .transport, message: "the line has neither response nor error")))
        }
        guard (200..<300).contains(response.statusCode) else {
            let body = (try? JSONDecoder().decode(Body<ErrorResponse>.self, from: skeleton))?.response.body.error
            let error = body.map { Self.error($0, status: response.statusCode, redactor, requestID) }
            return (id, .failure(error ?? APIError(kind: .status(response.statusCode), message: "no message")))
        }
        do {
            let decoded = try JSONDecoder().decode(Body<ImagesResponse>.self, from: skeleton).response.body
            guard decoded.data.count <= max(1, asked) else {
                throw APIError(
                    kind: .unusableAnswer,
                    message: "the answer holds \(decoded.data.count) images; \(asked) were asked for"
                )
            }
            var result = try await reader.result(of: decoded, redactor: redactor) { _, index in
                throw APIError(
                    kind: .unusableAnswer,
                    message: "image \(index + 1) is a URL, which no batch answers with"
                )
            }
            result.requestID = requestID
            return (id, .images(result))
        } catch let error as APIError {
            var error = error
            error.requestID = error.requestID ?? requestID
            return (id, .failure(error))
        } catch {
            return (id, .failure(APIError(kind: .transport, message: "the answer is not the Images API's JSON")))
        }
    }

    private static func error(
        _ body: ErrorResponse.Body,
        status: Int?,
        _ redactor: Redactor,
        _ requestID: String?
    ) -> APIError {
        APIError(
            kind: status.map { .status($0) } ?? .transport,
            type: body.type.map { redactor.serverText($0, limit: 100) },
            code: body.code.map { redactor.serverText($0, limit: 100) },
            param: body.param.map { redactor.serverText($0, limit: 100) },
            message: redactor.serverText(body.message ?? "no message"),
            requestID: requestID
        )
    }
}
