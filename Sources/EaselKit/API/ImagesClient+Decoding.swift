import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension ImagesClient {
    /// Reads a successful answer as it streams in: each image's base64 is decoded into a file of
    /// its own under `spool`, the rest is decoded as JSON; a `url` item (legacy servers) is
    /// downloaded at once, as it expires. Memory stays at a few buffers whatever the answer's size.
    ///
    /// Every string kept from the answer passes ``Redactor/serverText(_:limit:)`` here, once.
    /// - Throws: ``APIError``: `.transport` for a body that is not the expected JSON or is cut short
    ///   (worth a retry), `.unusableAnswer` for images too large or too many, or bad base64.
    func decode(
        _ body: HTTPClientResponse.Body,
        for request: ImageRequest,
        requestID: String?
    ) async throws -> ImageResult {
        var reader = AnswerReader(
            maxImages: max(1, request.n),
            spool: spool,
            maxBytesPerImage: settings.maxBytesPerImage,
            requestID: requestID
        )
        for try await chunk in body {
            try chunk.withUnsafeReadableBytes { try reader.feed($0) }
        }
        let response = try reader.finish(as: ImagesResponse.self)
        return try await reader.result(of: response, redactor: redactor) { url, index in
            try await download(url, index: index, requestID: requestID)
        }
    }

    /// The answer's `created` as a date; a value no real answer has (before 2000, after 2100) is
    /// replaced by the time it arrived, so no page ever formats a year in the billions.
    static func created(_ seconds: Int) -> Date {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        return (CacheRecord.earliestDate...CacheRecord.latestDate).contains(date) ? date : Date()
    }

    /// Fetches an image a legacy server answered with by URL (valid 60 minutes), without the key,
    /// over http or https only, streamed to a file like an inline image.
    private func download(_ url: String, index: Int, requestID: String?) async throws -> ReceivedImage {
        // AsyncHTTPClient also speaks to Unix sockets (unix://, http+unix://): a server must not
        // make Easel talk to the Docker socket or any other local service.
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
            parsed.host?.isEmpty == false
        else {
            throw APIError(
                kind: .unusableAnswer,
                message: "image \(index + 1)'s URL is not an http(s) address",
                requestID: requestID
            )
        }
        var failure = "no attempt"
        // The image is paid for: retry the download itself rather than the whole generation.
        for _ in 0...settings.maxRetries {
            do {
                var http = HTTPClientRequest(url: url)
                http.headers.add(name: "User-Agent", value: "Easel/\(EaselVersion.current)")
                let (status, image) = try await withDeadline(settings.requestTimeout) { [self, http] in
                    let response = try await httpClient.execute(
                        http,
                        timeout: .nanoseconds(Int64(settings.requestTimeout.nanoseconds)),
                        logger: logger
                    )
                    guard response.status == .ok else { return (response.status.code, nil as ReceivedImage?) }
                    let file = try ImageSpoolFile(in: spool, limit: settings.maxBytesPerImage)
                    for try await chunk in response.body {
                        try chunk.withUnsafeReadableBytes { try file.append(raw: $0) }
                    }
                    return (response.status.code, file.bytes > 0 ? file.finish() : nil)
                }
                if let image { return image }
                failure = "HTTP \(status)"
            } catch let error as APIError where error.kind == .unusableAnswer {
                throw error
            } catch {
                failure = redactor.serverText(String(describing: error), limit: 300)
            }
        }
        throw APIError(
            kind: .download,
            message: "image \(index + 1) could not be downloaded from its URL (\(failure))",
            requestID: requestID
        )
    }
}

/// The whole of an exchange took longer than the request timeout.
struct DeadlineExceeded: Error {}

/// Runs `body`, cancelling it when `timeout` passes first.
///
/// AsyncHTTPClient's own deadline covers the request until the answer's head arrives; a server
/// that then sends its body a byte a minute would hold a build forever. This bounds the whole.
/// - Throws: ``DeadlineExceeded``, or what `body` throws.
func withDeadline<Result: Sendable>(
    _ timeout: Duration,
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard case let result?? = try await group.next() else { throw DeadlineExceeded() }
        return result
    }
}
