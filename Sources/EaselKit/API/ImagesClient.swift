public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The OpenAI Images API client (and OpenAI-compatible servers, and Azure OpenAI): turns an
/// ``ImageRequest`` into HTTP, retries what is worth retrying, and decodes the images.
///
/// It knows nothing of prompt files, the cache or pages.
public struct ImagesClient: ImageSource {
    let settings: APISettings
    let httpClient: HTTPClient
    let logger: Logger
    let clock: any Clock<Duration>
    let jitter: @Sendable () -> Double
    let redactor: Redactor

    /// Creates a client.
    /// - Parameters:
    ///   - settings: where to send requests, the key, timeouts and retries.
    ///   - httpClient: the client to send with; give one whose connect timeout is
    ///     `settings.connectTimeout` (``withHTTPClient(for:_:)`` makes one).
    ///   - logger: where attempts are logged (never a header or the key); silent by default.
    ///   - clock: what waits between retries; tests pass one that records instead of sleeping.
    ///   - jitter: a number in [0, 1) drawn for each backoff.
    public init(
        settings: APISettings,
        httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "easel.api", factory: { _ in SwiftLogNoOpLogHandler() }),
        clock: any Clock<Duration> = ContinuousClock(),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.settings = settings
        self.httpClient = httpClient
        self.logger = logger
        self.clock = clock
        self.jitter = jitter
        self.redactor = Redactor(secrets: [settings.apiKey])
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
        let policy = RetryPolicy(maxRetries: settings.maxRetries)
        let started = ContinuousClock.now
        var retries = 0
        while true {
            try await gate.acquire()
            let attemptStarted = ContinuousClock.now
            let failure: AttemptFailure
            do {
                var result = try await attempt(prepared, request, retries: retries)
                gate.release()
                result.latency = attemptStarted.duration(to: .now)
                result.totalTime = started.duration(to: .now)
                result.attempts = retries + 1
                return result
            } catch let attemptFailure as AttemptFailure {
                failure = attemptFailure
                gate.release(rateLimited: failure.error.status == 429 && failure.error.scope != .run)
            } catch {
                gate.release()
                throw error
            }
            var error = failure.error
            error.model = request.model
            let header = { (name: String) in failure.headers?.first(name: name) }
            guard
                let delay = policy.delay(
                    after: error,
                    header: header,
                    retriesSoFar: retries,
                    jitter: jitter(),
                    now: Date()
                )
            else { throw error }
            logger.warning(
                "retrying",
                metadata: ["error": "\(error)", "delay_ms": "\(delay.milliseconds)", "retry": "\(retries + 1)"]
            )
            try await clock.sleep(for: delay, tolerance: nil)
            retries += 1
        }
    }

    /// One attempt: send, read the whole answer under the size limit, decode it.
    private func attempt(_ prepared: PreparedRequest, _ request: ImageRequest, retries: Int) async throws -> ImageResult
    {
        var http = HTTPClientRequest(url: prepared.url)
        http.method = .POST
        http.headers = headers(contentType: prepared.contentType)
        http.body = .bytes(prepared.body)
        let limit = settings.maxBytesPerImage * max(1, request.n) + (1 << 20)
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await httpClient.execute(
                http,
                timeout: .nanoseconds(Int64(settings.requestTimeout.nanoseconds)),
                logger: logger
            )
            body = try await response.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw AttemptFailure(
                error: APIError(kind: .transport, message: "the answer is larger than \(limit >> 20) MB"),
                headers: nil
            )
        } catch {
            throw AttemptFailure(error: transportError(error), headers: nil)
        }
        let requestID = response.headers.first(name: "x-request-id")
        logger.debug(
            "answer",
            metadata: ["status": "\(response.status.code)", "request_id": "\(requestID ?? "-")", "retry": "\(retries)"]
        )
        guard (200..<300).contains(response.status.code) else {
            throw AttemptFailure(
                error: statusError(response.status.code, body: body, requestID: requestID),
                headers: response.headers
            )
        }
        do {
            return try await decode(body, for: request, requestID: requestID)
        } catch var error as APIError {
            error.requestID = error.requestID ?? requestID
            throw AttemptFailure(error: error, headers: response.headers)
        }
    }

    private func headers(contentType: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        switch settings.authentication {
        case .bearer: headers.add(name: "Authorization", value: "Bearer \(settings.apiKey)")
        case .apiKeyHeader: headers.add(name: "api-key", value: settings.apiKey)
        }
        if let organization = settings.organization { headers.add(name: "OpenAI-Organization", value: organization) }
        if let project = settings.project { headers.add(name: "OpenAI-Project", value: project) }
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "Easel/\(EaselVersion.current) (https://github.com/easel-gallery/easel)")
        return headers
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
