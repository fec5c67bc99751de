import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// What every call to the API shares: where it goes and with which key, the headers, the retry
/// rules (SPEC §6), the redaction of whatever a server says, and the reading of an error answer.
/// ``ImagesClient`` sends image requests through it, ``BatchClient`` the calls of the Files and
/// Batch APIs.
struct APIConnection: Sendable {
    let settings: APISettings
    let httpClient: HTTPClient
    let logger: Logger
    let clock: any Clock<Duration>
    let jitter: @Sendable () -> Double
    let redactor: Redactor

    init(
        settings: APISettings,
        httpClient: HTTPClient,
        logger: Logger,
        clock: any Clock<Duration>,
        jitter: @escaping @Sendable () -> Double
    ) {
        (self.settings, self.httpClient, self.logger, self.clock, self.jitter) =
            (settings, httpClient, logger, clock, jitter)
        redactor = Redactor(secrets: [settings.apiKey])
    }

    func headers(contentType: String?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        switch settings.authentication {
        case .bearer: headers.add(name: "Authorization", value: "Bearer \(settings.apiKey)")
        case .apiKeyHeader: headers.add(name: "api-key", value: settings.apiKey)
        }
        if let organization = settings.organization { headers.add(name: "OpenAI-Organization", value: organization) }
        if let project = settings.project { headers.add(name: "OpenAI-Project", value: project) }
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "Easel/\(EaselVersion.current) (https://github.com/easel-gallery/easel)")
        return headers
    }

    /// Runs `attempt` until it succeeds, or fails in a way ``RetryPolicy`` does not retry, waiting
    /// between attempts as the policy and the server's headers say.
    func retrying<Result: Sendable>(
        _ attempt: (_ retries: Int) async throws -> Result
    ) async throws -> Result {
        let policy = RetryPolicy(maxRetries: settings.maxRetries)
        var retries = 0
        while true {
            let failure: AttemptFailure
            do {
                return try await attempt(retries)
            } catch let attemptFailure as AttemptFailure {
                failure = attemptFailure
            }
            let error = failure.error
            guard
                let delay = policy.delay(
                    after: error,
                    header: { failure.headers?.first(name: $0) },
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

    /// Sends `request` (within the request timeout, the answer included) and hands a successful
    /// answer to `read`; an error status becomes an ``AttemptFailure`` with the API's error.
    func exchange<Result: Sendable>(
        _ request: HTTPClientRequest,
        read: @escaping @Sendable (HTTPClientResponse, _ requestID: String?) async throws -> Result
    ) async throws -> Result {
        do {
            return try await withDeadline(settings.requestTimeout) { [self] in
                let response: HTTPClientResponse
                do {
                    response = try await httpClient.execute(
                        request,
                        timeout: .nanoseconds(Int64(settings.requestTimeout.nanoseconds)),
                        logger: logger
                    )
                } catch {
                    throw AttemptFailure(error: transportError(error), headers: nil)
                }
                let requestID = response.headers.first(name: "x-request-id").map { redactor.serverText($0, limit: 200) }
                logger.debug(
                    "answer",
                    metadata: ["status": "\(response.status.code)", "request_id": "\(requestID ?? "-")"]
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
                    return try await read(response, requestID)
                } catch var error as APIError {
                    error.requestID = error.requestID ?? requestID
                    throw AttemptFailure(error: error, headers: response.headers)
                } catch let failure as AttemptFailure {
                    throw failure
                } catch {
                    throw AttemptFailure(error: transportError(error), headers: response.headers)
                }
            }
        } catch is DeadlineExceeded {
            throw AttemptFailure(error: transportError(DeadlineExceeded()), headers: nil)
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

    /// The error for an answer with a failure status, from the API's error body when it has one.
    /// Every field is the server's: each passes the redactor (a server may echo the key in any).
    func statusError(_ status: UInt, body: ByteBuffer, requestID: String?) -> APIError {
        if let decoded = try? JSONDecoder().decode(ErrorResponse.self, from: body) {
            return APIError(
                kind: .status(Int(status)),
                type: decoded.error.type.map { redactor.serverText($0, limit: 100) },
                code: decoded.error.code.map { redactor.serverText($0, limit: 100) },
                param: decoded.error.param.map { redactor.serverText($0, limit: 100) },
                message: redactor.serverText(decoded.error.message ?? "no message"),
                requestID: requestID
            )
        }
        let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
        let excerpt = text.isEmpty ? "empty answer" : redactor.serverText(text, limit: 300)
        return APIError(kind: .status(Int(status)), message: excerpt, requestID: requestID)
    }

    /// A request that got no usable answer: refused, reset, timed out or cut short.
    func transportError(_ error: any Error) -> APIError {
        let reason: String
        switch error {
        case is DeadlineExceeded:
            reason = "no answer within \(settings.requestTimeout)"
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            reason = "no answer within \(settings.requestTimeout)"
        case let error as HTTPClientError where error == .connectTimeout:
            reason = "could not connect to \(settings.host) within \(settings.connectTimeout)"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            reason = "the connection to \(settings.host) closed before the answer was complete"
        default:
            reason = "\(settings.host): \(String(describing: error))"
        }
        return APIError(kind: .transport, message: redactor.serverText(reason, limit: 500))
    }
}
