import Foundation
import Testing

@testable import EaselKit

/// The repository's example gallery built against an OpenAI-compatible server on 127.0.0.1.
struct ExampleGalleryTests {
    /// The repository checkout this test file belongs to.
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A server answering every request with as many images as it asked for.
    private static func server() -> FakeImagesServer {
        FakeImagesServer { received, index in
            let n: Int
            if let json = received.json {
                n = json["n"] as? Int ?? 1
            } else {
                n = (try? received.parts().first { $0.name == "n" }).flatMap { $0.flatMap { Int($0.text) } } ?? 1
            }
            return FakeImagesServer.success(
                count: n,
                requestID: "req_\(index)",
                format: FakeImagesServer.askedFormat(received)
            )
        }
    }

    private func build(_ project: TemporaryProject, against baseURL: String) async throws -> BuildReport {
        let settings = APISettings(baseURL: baseURL, apiKey: "sk-test-example-gallery")
        return try await ImagesClient.withHTTPClient(for: settings) { http in
            let client = ImagesClient(settings: settings, httpClient: http)
            return try await Builder(project: try project.open(), source: client).build(BuildOptions())
        }
    }

    @Test func everyExamplePromptIsGeneratedOnceAndOnlyTextEditsRegenerate() async throws {
        try await TemporaryProject.with { project in
            for folder in ["prompts", "inputs"] {
                try? FileManager.default.removeItem(at: project.root.appendingPathComponent(folder))
                try FileManager.default.copyItem(
                    at: Self.repository.appendingPathComponent(folder),
                    to: project.root.appendingPathComponent(folder)
                )
            }
            let server = Self.server()
            try await server.run { baseURL in
                let first = try await build(project, against: baseURL)
                let valid = first.prompts.filter { $0.status != .draft }
                #expect(first.failed == 0, "\(first.prompts.compactMap(\.failure))")
                #expect(first.generated == valid.count && valid.count >= 11)
                let sent = server.received.count
                #expect(sent == Set(valid.compactMap(\.key)).count)
                let endpoints = Set(server.received.map(\.path))
                #expect(endpoints == ["/v1/images/generations", "/v1/images/edits"])
                #expect(server.received.contains { (try? $0.parts().filter { $0.name == "image[]" }.count) == 2 })

                let page = try project.read("site/prompts/seed-article/death-star-over-kolochava.html")
                #expect(page.contains(#"<time datetime="2025-11-24T16:00:00Z">24 Nov 2025, 16:00 UTC</time>"#))
                #expect(
                    // Any duration: a loaded machine may take over a second (shown as "1.2 s").
                    page.range(
                        of: #"<th scope="row">Latency</th><td>(\d+ ms|\d+\.\d s|\d+ min \d+ s)</td>"#,
                        options: .regularExpression
                    ) != nil
                )

                let again = try await build(project, against: baseURL)
                #expect(again.cached == valid.count && server.received.count == sent, "a rebuild makes no request")

                let file = "prompts/seed-article/restful-api-security.md"
                let original = try project.read(file)
                try project.write(
                    file,
                    original.replacingOccurrences(of: "# RESTfull API security", with: "# REST API security, retitled")
                )
                _ = try await build(project, against: baseURL)
                #expect(server.received.count == sent, "a new title makes no request")

                try project.write(file, original + "\nWith a padlock.\n")
                let edited = try await build(project, against: baseURL)
                #expect(server.received.count == sent + 1, "a new prompt text makes exactly one request")
                #expect(edited.generated == 1)
            }
        }
    }
}
