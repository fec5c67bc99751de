import Foundation
import Testing

@testable import EaselKit

/// The client against a real HTTP server on 127.0.0.1 (no mocked client): each endpoint, both dialects.
struct ImagesClientTests {
    static let key = "sk-test-1234567890abcdefghijklmnop"

    /// Runs `body` with a client pointed at `server`.
    static func withClient<T: Sendable>(
        _ server: FakeImagesServer,
        clock: RecordingClock = RecordingClock(),
        configure: @escaping @Sendable (inout APISettings) -> Void = { _ in },
        _ body: @escaping @Sendable (ImagesClient) async throws -> T
    ) async throws -> T {
        // Each test streams images into a folder of its own, removed afterwards: read a result's
        // images inside `body` (``withImages(_:)``).
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("easel-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: spool) }
        return try await server.run { baseURL in
            var settings = APISettings(baseURL: baseURL, apiKey: key)
            configure(&settings)
            return try await ImagesClient.withHTTPClient(for: settings) { http in
                try await body(
                    ImagesClient(settings: settings, httpClient: http, clock: clock, jitter: { 0 }, spool: spool)
                )
            }
        }
    }

    /// A result with the bytes of its images, read while they are still in the test's spool folder.
    static func withImages(_ result: ImageResult) throws -> (ImageResult, [Data]) {
        (result, try result.images.map { try $0.data() })
    }

    @Test func aGenerationSendsOnlyTheFieldsSetAndDecodesTheAnswer() async throws {
        let server = FakeImagesServer { _, _ in FakeImagesServer.success() }
        let request = ImageRequest(
            endpoint: .generations,
            model: "gpt-image-2",
            prompt: "RESTfull API security",
            size: "1024x1024",
            quality: "high",
            n: 2,
            background: "transparent",
            format: "webp",
            compression: 80,
            moderation: "low"
        )
        let organized: @Sendable (inout APISettings) -> Void = {
            $0.organization = "org-1"
            $0.project = "proj-1"
        }
        let (result, images) = try await Self.withClient(server, configure: organized) {
            try Self.withImages(try await $0.generate(request))
        }
        let sent = try #require(server.received.first)
        #expect(sent.method == "POST" && sent.path == "/v1/images/generations")
        #expect(sent.headers["authorization"] == "Bearer \(Self.key)")
        #expect(sent.headers["openai-organization"] == "org-1" && sent.headers["openai-project"] == "proj-1")
        #expect(sent.headers["content-type"] == "application/json")
        #expect(sent.headers["user-agent"]?.hasPrefix("Easel/\(EaselVersion.current)") == true)
        let json = try #require(sent.json)
        #expect(
            Set(json.keys) == [
                "model", "prompt", "size", "quality", "n", "background", "output_format", "output_compression",
                "moderation",
            ]
        )
        #expect(json["n"] as? Int == 2 && json["output_compression"] as? Int == 80)
        #expect(json["response_format"] == nil && json["style"] == nil)

        #expect(images == [Data(base64Encoded: FakeImagesServer.pngBase64)!])
        #expect(result.created == Date(timeIntervalSince1970: 1_764_000_000))
        #expect(result.requestID == "req_fake")
        #expect(
            result.usage
                == Usage(
                    inputTokens: 50,
                    inputTextTokens: 50,
                    inputImageTokens: 0,
                    outputTokens: 4160,
                    totalTokens: 4210
                )
        )
        #expect((result.size, result.quality) == ("1024x1024", "high"))
        #expect(result.attempts == 1)
    }

    @Test func aMinimalGenerationSendsModelAndPromptOnly() async throws {
        let server = FakeImagesServer { _, _ in FakeImagesServer.success() }
        _ = try await Self.withClient(server) {
            try await $0.generate(ImageRequest(endpoint: .generations, model: "gpt-image-2", prompt: "A cat."))
        }
        #expect(try #require(server.received.first?.json).keys.sorted() == ["model", "prompt"])
    }

    @Test func theLegacyDialectAsksForBase64AndKeepsTheRevisedPrompt() async throws {
        let server = FakeImagesServer { _, _ in
            .answer(
                status: 200,
                body:
                    #"{"created":1700000000,"data":[{"b64_json":"\#(FakeImagesServer.pngBase64)","revised_prompt":"A tabby cat."}]}"#
            )
        }
        let request = ImageRequest(
            endpoint: .generations,
            model: "dall-e-3",
            dialect: .legacy,
            prompt: "A cat.",
            quality: "hd"
        )
        let result = try await Self.withClient(server) { try await $0.generate(request) }
        let json = try #require(server.received.first?.json)
        #expect(json["response_format"] as? String == "b64_json")
        #expect(json["quality"] as? String == "hd")
        #expect(json["output_format"] == nil)
        #expect(result.revisedPrompt == "A tabby cat.")
    }

    @Test func aURLAnswerIsDownloadedAtOnceWithoutTheKey() async throws {
        let server = FakeImagesServer { received, _ in
            if received.path.hasPrefix("/files/") {
                return .answer(status: 200, body: "PNGBYTES", headers: ["content-type": "image/png"])
            }
            let host = received.authority ?? "missing-authority"
            return .answer(status: 200, body: #"{"created":1700000000,"data":[{"url":"http://\#(host)/files/a.png"}]}"#)
        }
        let request = ImageRequest(endpoint: .generations, model: "dall-e-2", dialect: .legacy, prompt: "A cat.")
        let (_, images) = try await Self.withClient(server) { try Self.withImages(try await $0.generate(request)) }
        #expect(images == [Data("PNGBYTES".utf8)])
        let download = try #require(server.received.last)
        #expect(download.method == "GET" && download.path == "/files/a.png")
        #expect(download.headers["authorization"] == nil)
    }

    @Test func azureSendsTheKeyAsApiKeyToTheDeploymentsURL() async throws {
        let server = FakeImagesServer { _, _ in FakeImagesServer.success() }
        _ = try await server.run { baseURL in
            let endpoint = baseURL.replacingOccurrences(of: "/v1", with: "")
            let settings = try #require(
                APISettings.resolve(environment: [
                    "AZURE_OPENAI_ENDPOINT": endpoint, "AZURE_OPENAI_API_KEY": "azure-secret",
                    "OPENAI_API_VERSION": "2025-04-01-preview",
                ])
            )
            return try await ImagesClient.withHTTPClient(for: settings) { http in
                try await ImagesClient(settings: settings, httpClient: http)
                    .generate(ImageRequest(endpoint: .generations, model: "my-deployment", prompt: "A cat."))
            }
        }
        let sent = try #require(server.received.first)
        #expect(sent.path == "/openai/deployments/my-deployment/images/generations")
        #expect(sent.query == "api-version=2025-04-01-preview")
        #expect(sent.headers["api-key"] == "azure-secret" && sent.headers["authorization"] == nil)
    }
}
