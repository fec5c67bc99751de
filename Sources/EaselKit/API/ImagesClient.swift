public import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The OpenAI Images API client (and OpenAI-compatible servers, and Azure OpenAI): turns an
/// ``ImageRequest`` into HTTP, retries what is worth retrying, and decodes the images.
///
/// It knows nothing of prompt files, the cache or pages.
public struct ImagesClient: ImageSource {
    /// Where requests go, the key, headers, retries, redaction and error answers.
    let connection: APIConnection
    /// Where answers' images are streamed to, one file each, before Easel checks and keeps them.
    let spool: URL

    var settings: APISettings { connection.settings }
    var httpClient: HTTPClient { connection.httpClient }
    var logger: Logger { connection.logger }
    var redactor: Redactor { connection.redactor }

    /// Creates a client.
    /// - Parameters:
    ///   - settings: where to send requests, the key, timeouts and retries.
    ///   - httpClient: the client to send with; give one whose connect timeout is
    ///     `settings.connectTimeout` (``withHTTPClient(for:_:)`` makes one).
    ///   - logger: where attempts are logged (never a header or the key); silent by default.
    ///   - clock: what waits between retries; tests pass one that records instead of sleeping.
    ///   - jitter: a number in [0, 1) drawn for each backoff.
    ///   - spool: the folder answers' images are streamed into (created when needed); give one on
    ///     the cache's file system (``CacheStore/spoolFolder``) so that keeping an image is a rename.
    public init(
        settings: APISettings,
        httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "easel.api", factory: { _ in SwiftLogNoOpLogHandler() }),
        clock: any Clock<Duration> = ContinuousClock(),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        spool: URL = FileManager.default.temporaryDirectory.appendingPathComponent("easel-spool")
    ) {
        self.spool = spool
        connection = .init(settings: settings, httpClient: httpClient, logger: logger, clock: clock, jitter: jitter)
    }

    /// Runs `body` with an HTTP client configured for `settings` (connect timeout, no read
    /// timeout: a request's own deadline bounds it), shut down afterwards.
    public static func withHTTPClient<Result>(
        for settings: APISettings,
        _ body: (HTTPClient) async throws -> Result
    ) async throws -> Result {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .nanoseconds(Int64(settings.connectTimeout.nanoseconds)))
        // API calls must not be redirected: a redirect could carry the key to another host.
        configuration.redirectConfiguration = .disallow
        return try await HTTPClient.withHTTPClient(configuration: configuration, body)
    }

    public func generate(_ request: ImageRequest, gate: RequestGate) async throws -> ImageResult {
        let prepared: PreparedRequest
        do {
            prepared = try PreparedRequest(request, settings: settings)
        } catch var error as APIError {
            error.model = request.model
            throw error
        }
        let started = ContinuousClock.now
        return try await connection.retrying { retries in
            try await gate.acquire()
            let attemptStarted = ContinuousClock.now
            do {
                var result = try await attempt(prepared, request)
                gate.release()
                result.latency = attemptStarted.duration(to: .now)
                result.totalTime = started.duration(to: .now)
                result.attempts = retries + 1
                return result
            } catch var failure as AttemptFailure {
                gate.release(rateLimited: failure.error.status == 429 && failure.error.scope != .run)
                failure.error.model = request.model
                throw failure
            } catch {
                gate.release()
                throw error
            }
        }
    }

    /// One attempt: send, then read the answer as it streams in, all within the request timeout.
    private func attempt(_ prepared: PreparedRequest, _ request: ImageRequest) async throws -> ImageResult {
        var http = HTTPClientRequest(url: prepared.url)
        http.method = .POST
        http.headers = connection.headers(contentType: prepared.contentType)
        http.body = prepared.httpBody
        return try await connection.exchange(http) { [self] response, requestID in
            try await decode(response.body, for: request, requestID: requestID)
        }
    }
}

/// A failed attempt with the answer's headers, which say whether and when to retry.
struct AttemptFailure: Error {
    var error: APIError
    var headers: HTTPHeaders?
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
