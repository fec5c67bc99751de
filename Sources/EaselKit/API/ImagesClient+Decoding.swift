import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension ImagesClient {
    /// Decodes a successful answer; a `url` item (legacy servers) is downloaded at once, as it expires.
    /// - Throws: ``APIError`` (transport) for a body that is not the expected JSON or holds invalid base64.
    func decode(_ body: ByteBuffer, for request: ImageRequest, requestID: String?) async throws -> ImageResult {
        let response: ImagesResponse
        do {
            response = try JSONDecoder().decode(ImagesResponse.self, from: body)
        } catch {
            throw APIError(
                kind: .transport,
                message: "the answer is not the Images API's JSON (\(body.readableBytes) bytes)",
                requestID: requestID
            )
        }
        guard !response.data.isEmpty else {
            throw APIError(kind: .transport, message: "the answer holds no image", requestID: requestID)
        }
        var images: [Data] = []
        for (index, item) in response.data.enumerated() {
            if let encoded = item.b64JSON {
                guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters), !data.isEmpty else {
                    throw APIError(
                        kind: .transport,
                        message: "image \(index + 1) is not valid base64",
                        requestID: requestID
                    )
                }
                images.append(data)
            } else if let url = item.url {
                images.append(try await download(url, index: index, requestID: requestID))
            } else {
                throw APIError(
                    kind: .transport,
                    message: "image \(index + 1) has neither b64_json nor url",
                    requestID: requestID
                )
            }
        }
        return ImageResult(
            images: images,
            format: response.outputFormat ?? request.outputFormat,
            created: Date(timeIntervalSince1970: TimeInterval(response.created)),
            latency: .zero,
            requestID: requestID,
            usage: response.usage?.usage,
            size: response.size,
            quality: response.quality,
            background: response.background,
            revisedPrompt: response.data.first?.revisedPrompt
        )
    }

    /// Fetches an image a legacy server answered with by URL (valid 60 minutes), without the key.
    private func download(_ url: String, index: Int, requestID: String?) async throws -> Data {
        var failure = "no attempt"
        // The image is paid for: retry the download itself rather than the whole generation.
        for _ in 0...settings.maxRetries {
            do {
                var http = HTTPClientRequest(url: url)
                http.headers.add(name: "User-Agent", value: "Easel/\(EaselVersion.current)")
                let response = try await httpClient.execute(
                    http,
                    timeout: .nanoseconds(Int64(settings.requestTimeout.nanoseconds)),
                    logger: logger
                )
                let body = try await response.body.collect(upTo: settings.maxBytesPerImage)
                if response.status == .ok, body.readableBytes > 0 { return Data(buffer: body) }
                failure = "HTTP \(response.status.code)"
            } catch {
                failure = redactor.redact(String(describing: error))
            }
        }
        throw APIError(
            kind: .download,
            message: "image \(index + 1) could not be downloaded from its URL (\(failure))",
            requestID: requestID
        )
    }

    /// The error for an answer with a failure status, from the API's error body when it has one.
    func statusError(_ status: UInt, body: ByteBuffer, requestID: String?) -> APIError {
        if let decoded = try? JSONDecoder().decode(ErrorResponse.self, from: body) {
            return APIError(
                kind: .status(Int(status)),
                type: decoded.error.type,
                code: decoded.error.code,
                param: decoded.error.param,
                message: redactor.redact(decoded.error.message ?? "no message"),
                requestID: requestID
            )
        }
        let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
        let excerpt = text.isEmpty ? "empty answer" : String(text.prefix(300))
        return APIError(kind: .status(Int(status)), message: redactor.redact(excerpt), requestID: requestID)
    }

    /// A request that got no usable answer: refused, reset, timed out or cut short.
    func transportError(_ error: any Error) -> APIError {
        let reason: String
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            reason = "no answer within \(settings.requestTimeout)"
        case let error as HTTPClientError where error == .connectTimeout:
            reason = "could not connect to \(settings.host) within \(settings.connectTimeout)"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            reason = "the connection to \(settings.host) closed before the answer was complete"
        default:
            reason = "\(settings.host): \(String(describing: error))"
        }
        return APIError(kind: .transport, message: redactor.redact(reason))
    }
}
