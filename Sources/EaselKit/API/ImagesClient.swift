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
    let settings: APISettings
    let httpClient: HTTPClient
    let logger: Logger
    let clock: any Clock<Duration>
    let jitter: @Sendable () -> Double
    let redactor: Redactor
    /// Where answers' images are streamed to, one file each, before Easel checks and keeps them.
    let spool: URL

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

    /// One attempt: send, then read the answer as it streams in, all within the request timeout.
    private func attempt(_ prepared: PreparedRequest, _ request: ImageRequest, retries: Int) async throws -> ImageResult
    {
        var http = HTTPClientRequest(url: prepared.url)
        http.method = .POST
        http.headers = headers(contentType: prepared.contentType)
        http.body = prepared.httpBody
        do {
            return try await withDeadline(settings.requestTimeout) { [self, http] in
                try await exchange(http, request, retries: retries)
            }
        } catch is DeadlineExceeded {
            throw AttemptFailure(error: transportError(DeadlineExceeded()), headers: nil)
        }
    }

    /// Sends `http` and reads its answer: an error body up to ``errorBodyLimit``, a success streamed.
    private func exchange(_ http: HTTPClientRequest, _ request: ImageRequest, retries: Int) async throws -> ImageResult
    {
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(
                http,
                timeout: .nanoseconds(Int64(settings.requestTimeout.nanoseconds)),
                logger: logger
            )
        } catch {
            throw AttemptFailure(error: transportError(error), headers: nil)
        }
        let requestID = response.headers.first(name: "x-request-id").map { redactor.serverText($0, limit: 200) }
        logger.debug(
            "answer",
            metadata: ["status": "\(response.status.code)", "request_id": "\(requestID ?? "-")", "retry": "\(retries)"]
        )
        guard (200..<300).contains(response.status.code) else {
            let body: ByteBuffer
            do {
                body = try await Self.prefix(of: response.body, upTo: Self.errorBodyLimit)
            } catch {
                throw AttemptFailure(error: transportError(error), headers: response.headers)
            }
            throw AttemptFailure(
                error: statusError(response.status.code, body: body, requestID: requestID),
                headers: response.headers
            )
        }
        do {
            return try await decode(response.body, for: request, requestID: requestID)
        } catch var error as APIError {
            error.requestID = error.requestID ?? requestID
            throw AttemptFailure(error: error, headers: response.headers)
        } catch {
            throw AttemptFailure(error: transportError(error), headers: response.headers)
        }
    }

    /// The most of an error answer Easel reads: OpenAI's error bodies are a few hundred bytes.
    static let errorBodyLimit = 64 << 10

    /// The first `limit` bytes of `body`; the rest is not read (the connection is dropped).
    static func prefix(of body: HTTPClientResponse.Body, upTo limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await var chunk in body {
            let take = min(chunk.readableBytes, limit - collected.readableBytes)
            if let slice = chunk.readSlice(length: take) { collected.writeImmutableBuffer(slice) }
            if collected.readableBytes >= limit { break }
        }
        return collected
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
