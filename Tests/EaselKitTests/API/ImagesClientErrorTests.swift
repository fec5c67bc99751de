import Foundation
import Testing

@testable import EaselKit

/// Each error class, retry timing with an injected clock, broken answers, and the echoed key.
struct ImagesClientErrorTests {
    private static let request = ImageRequest(endpoint: .generations, model: "gpt-image-2", prompt: "A cat.")

    /// Sends one request to a server answering `replies` in turn (the last one repeats).
    private func exchange(
        _ replies: [FakeImagesServer.Reply],
        request: ImageRequest = request
    ) async throws -> (result: Result<ImageResult, APIError>, attempts: Int, sleeps: [Duration]) {
        let server = FakeImagesServer { _, index in replies[min(index, replies.count - 1)] }
        let clock = RecordingClock()
        let result = try await ImagesClientTests.withClient(server, clock: clock) {
            client -> Result<ImageResult, APIError> in
            do {
                return .success(try await client.generate(request))
            } catch let error as APIError {
                return .failure(error)
            }
        }
        return (result, server.received.count, clock.sleeps)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var reply: FakeImagesServer.Reply
        var attempts: Int
        var sleeps: [Duration]
        var scope: FailureScope
        var testDescription: String { name }
    }

    static let cases: [ErrorCase] = [
        ErrorCase(
            name: "500 is retried twice with exponential backoff",
            reply: FakeImagesServer.failure(500, type: "server_error", code: nil, message: "boom"),
            attempts: 3,
            sleeps: [.milliseconds(500), .milliseconds(1000)],
            scope: .request
        ),
        ErrorCase(
            name: "503 overloaded",
            reply: FakeImagesServer.failure(
                503,
                type: "service_unavailable_error",
                code: "server_is_overloaded",
                message: "busy"
            ),
            attempts: 3,
            sleeps: [.milliseconds(500), .milliseconds(1000)],
            scope: .request
        ),
        ErrorCase(
            name: "429 rate limit honours retry-after seconds",
            reply: FakeImagesServer.failure(
                429,
                type: "requests",
                code: "rate_limit_exceeded",
                message: "slow down",
                headers: ["retry-after": "3"]
            ),
            attempts: 3,
            sleeps: [.seconds(3), .seconds(3)],
            scope: .request
        ),
        ErrorCase(
            name: "retry-after-ms wins over retry-after",
            reply: FakeImagesServer.failure(
                429,
                type: "rate_limit_error",
                code: "slow_down",
                message: "ramp",
                headers: ["retry-after-ms": "250", "retry-after": "9"]
            ),
            attempts: 3,
            sleeps: [.milliseconds(250), .milliseconds(250)],
            scope: .request
        ),
        ErrorCase(
            name: "retry-after over 120 s is not waited for",
            reply: FakeImagesServer.failure(
                429,
                type: "requests",
                code: "rate_limit_exceeded",
                message: "later",
                headers: ["retry-after": "300"]
            ),
            attempts: 1,
            sleeps: [],
            scope: .request
        ),
        ErrorCase(
            name: "x-should-retry false stops a 503",
            reply: FakeImagesServer.failure(
                503,
                type: "server_error",
                code: nil,
                message: "no",
                headers: ["x-should-retry": "false"]
            ),
            attempts: 1,
            sleeps: [],
            scope: .request
        ),
        ErrorCase(
            name: "x-should-retry true retries a 400",
            reply: FakeImagesServer.failure(
                400,
                type: "invalid_request_error",
                code: nil,
                message: "odd",
                headers: ["x-should-retry": "true"]
            ),
            attempts: 3,
            sleeps: [.milliseconds(500), .milliseconds(1000)],
            scope: .request
        ),
        ErrorCase(
            name: "insufficient quota ends the run without a retry",
            reply: FakeImagesServer.failure(
                429,
                type: "insufficient_quota",
                code: "insufficient_quota",
                message: "You exceeded your current quota"
            ),
            attempts: 1,
            sleeps: [],
            scope: .run
        ),
        ErrorCase(
            name: "billing hard limit ends the run",
            reply: FakeImagesServer.failure(
                400,
                type: "invalid_request_error",
                code: "billing_hard_limit_reached",
                message: "Billing hard limit has been reached"
            ),
            attempts: 1,
            sleeps: [],
            scope: .run
        ),
        ErrorCase(
            name: "403 ends the run",
            reply: FakeImagesServer.failure(
                403,
                type: "invalid_request_error",
                code: nil,
                message: "Country not supported"
            ),
            attempts: 1,
            sleeps: [],
            scope: .run
        ),
        ErrorCase(
            name: "moderation block fails the request only",
            reply: FakeImagesServer.failure(
                400,
                type: "image_generation_user_error",
                code: "moderation_blocked",
                message: "rejected by the safety system"
            ),
            attempts: 1,
            sleeps: [],
            scope: .request
        ),
        ErrorCase(
            name: "an unknown model fails every request for it",
            reply: FakeImagesServer.failure(
                404,
                type: "invalid_request_error",
                code: "model_not_found",
                message: "The model does not exist"
            ),
            attempts: 1,
            sleeps: [],
            scope: .model
        ),
        ErrorCase(
            name: "a truncated body is retried",
            reply: .truncated(declared: 5000, sent: #"{"created":1764000000,"data":[{"b64_json":"iVBOR"#),
            attempts: 3,
            sleeps: [.milliseconds(500), .milliseconds(1000)],
            scope: .request
        ),
        ErrorCase(
            name: "invalid base64 is not retried: the image may have been paid for",
            reply: .answer(status: 200, body: #"{"created":1764000000,"data":[{"b64_json":"!!!not base64!!!"}]}"#),
            attempts: 1,
            sleeps: [],
            scope: .request
        ),
        ErrorCase(
            name: "an unparsable body is retried",
            reply: .answer(status: 200, body: "<html>gateway</html>"),
            attempts: 3,
            sleeps: [.milliseconds(500), .milliseconds(1000)],
            scope: .request
        ),
    ]

    @Test(arguments: cases)
    func classifiesRetriesAndWaits(_ errorCase: ErrorCase) async throws {
        let (result, attempts, sleeps) = try await exchange([errorCase.reply])
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(attempts == errorCase.attempts)
        #expect(sleeps == errorCase.sleeps)
        #expect(error.scope == errorCase.scope)
    }

    @Test func aRetryThatSucceedsKeepsTheAttemptCount() async throws {
        let (result, attempts, sleeps) = try await exchange([
            FakeImagesServer.failure(500, type: "server_error", code: nil, message: "boom"), FakeImagesServer.success(),
        ])
        #expect(try result.get().attempts == 2)
        #expect(attempts == 2 && sleeps == [.milliseconds(500)])
        #expect(try result.get().totalTime >= result.get().latency)
    }

    @Test func retryAfterAsAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        let header = { (name: String) in name == "retry-after" ? "Mon, 24 Nov 2025 16:00:07 GMT" : nil }
        #expect(RetryPolicy.serverDelay(header, now: now) == .seconds(7))
    }

    @Test func jitterTakesUpToAQuarterOff() {
        let policy = RetryPolicy(maxRetries: 5)
        let error = APIError(kind: .status(500), message: "x")
        let noHeaders = { (_: String) -> String? in nil }
        let jittered = policy.delay(after: error, header: noHeaders, retriesSoFar: 0, jitter: 0.999, now: Date())
        #expect(jittered.map { $0 >= .milliseconds(375) && $0 < .milliseconds(500) } == true)
        #expect(policy.delay(after: error, header: noHeaders, retriesSoFar: 4, jitter: 0, now: Date()) == .seconds(8))
        #expect(policy.delay(after: error, header: noHeaders, retriesSoFar: 5, jitter: 0, now: Date()) == nil)
    }

    @Test func aRefusedConnectionIsATransportFailure() async throws {
        // A port that was free a moment ago: nothing listens there.
        var settings = APISettings(baseURL: "http://127.0.0.1:9/v1", apiKey: ImagesClientTests.key)
        // AsyncHTTPClient keeps trying to connect until the connect timeout: keep it short here.
        settings.connectTimeout = .milliseconds(300)
        let clock = RecordingClock()
        try await ImagesClient.withHTTPClient(for: settings) { http in
            let client = ImagesClient(settings: settings, httpClient: http, clock: clock, jitter: { 0 })
            await #expect {
                _ = try await client.generate(Self.request)
            } throws: { error in
                (error as? APIError)?.kind == .transport
            }
        }
        #expect(clock.sleeps.count == 2)
    }

    @Test func adviceNamesWhatToDo() async throws {
        let (result, _, _) = try await exchange(
            [
                FakeImagesServer.failure(
                    404,
                    type: "invalid_request_error",
                    code: "model_not_found",
                    message: "The model `dall-e-3` has been deprecated"
                )
            ],
            request: ImageRequest(endpoint: .generations, model: "dall-e-3", dialect: .legacy, prompt: "x")
        )
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.description.contains("dall-e-3 was retired by OpenAI on 2026-05-12; use gpt-image-2"))
        #expect(error.description.contains("(request req_err)"))
    }
}
