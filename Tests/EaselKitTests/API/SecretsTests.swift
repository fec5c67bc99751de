import Foundation
import InMemoryLogging
import Logging
import Testing

@testable import EaselKit

/// The API key never appears in any output, log, thrown error, cache entry or page (SPEC §6).
struct SecretsTests {
    static let key = "sk-proj-SECRETsecret0123456789abcdefXYZ"  // KEEPTHIS: made up, in the shape of a project key

    @Test(arguments: [
        ("Incorrect API key provided: \(key).", "Incorrect API key provided: sk-…REDACTED."),
        (
            "Incorrect API key provided: sk-abc1***************************wxyz.",
            "Incorrect API key provided: sk-…REDACTED."
        ),
        ("key sk-svcacct-AbC_123-xyz and another sk-live-000000000000", "key sk-…REDACTED and another sk-…REDACTED"),
        ("nothing secret here, sk- alone", "nothing secret here, sk- alone"),
    ])
    func theRedactorRemovesKeysAndKeyShapedWords(text: String, expected: String) {
        #expect(Redactor(secrets: [Self.key]).redact(text) == expected)
    }

    @Test func anAzureKeyWithoutPrefixIsRedactedToo() {
        #expect(
            Redactor(secrets: ["0123456789abcdef0123456789abcdef"]).redact("bad key 0123456789abcdef0123456789abcdef")
                == "bad key sk-…REDACTED"
        )
    }

    @Test func aServerThatEchoesTheKeyLeaksItNowhere() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "A cat.")
            try project.write("prompts/dog.md", "A dog.")
            let server = FakeImagesServer { received, _ in
                let given = (received.headers["authorization"] ?? "").replacingOccurrences(of: "Bearer ", with: "")
                return FakeImagesServer.failure(
                    401,
                    type: "invalid_request_error",
                    code: "invalid_api_key",
                    message:
                        "Incorrect API key provided: \(given). You can find your API key at https://platform.openai.com."
                )
            }
            let logs = InMemoryLogHandler()
            let logger = Logger(label: "test") { _ in logs }
            let report = try await server.run { baseURL in
                let settings = APISettings(baseURL: baseURL, apiKey: Self.key)
                return try await ImagesClient.withHTTPClient(for: settings) { http in
                    let client = ImagesClient(
                        settings: settings,
                        httpClient: http,
                        logger: logger,
                        clock: RecordingClock()
                    )
                    var options = BuildOptions()
                    options.concurrency = 1
                    return try await Builder(project: try project.open(), source: client, logger: logger).build(options)
                }
            }
            #expect(server.received.count == 1, "a 401 must stop every further request")
            #expect(report.failed == 2)
            #expect(report.stopped?.contains("REDACTED") == true)
            #expect(report.stopped?.contains("OPENAI_API_KEY") == true)

            var everything = [report.stopped ?? ""] + report.prompts.compactMap(\.failure)
            let encoded = try JSONEncoder().encode(report)
            everything.append(String(decoding: encoded, as: UTF8.self))
            everything += logs.entries.map { "\($0.message) \($0.metadata ?? [:])" }
            everything += report.prompts.map(\.failure).compactMap { $0 }
            for case let url as URL in FileManager.default.enumerator(
                at: project.root,
                includingPropertiesForKeys: nil
            )! {
                if let text = try? String(contentsOf: url, encoding: .utf8) { everything.append(text) }
            }
            for text in everything {
                #expect(
                    !text.contains(Self.key) && !text.contains("SECRETsecret"),
                    "the key leaked into: \(text.prefix(200))"
                )
            }
            #expect(try project.read("site/prompts/cat.html").contains("sk-…REDACTED"))
        }
    }
}
