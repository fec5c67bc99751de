import Foundation
import NIOConcurrencyHelpers

@testable import EaselKit

/// An ``ImageSource`` for pipeline tests: answers every request with small PNGs and remembers the requests.
///
/// The API client itself is tested against a real HTTP server; this stands in only where the pipeline,
/// not the network, is under test.
final class RecordingSource: ImageSource {
    private let requests = NIOLockedValueBox<[ImageRequest]>([])
    let failure: String?
    let errors: [String: APIError]

    /// A source failing every request with `failure`, or requests for a model with its error.
    init(failingWith failure: String? = nil, errors byModel: [String: APIError] = [:]) {
        self.failure = failure
        self.errors = byModel
    }

    var received: [ImageRequest] { requests.withLockedValue { $0 } }

    func generate(_ request: ImageRequest, gate: RequestGate) async throws -> ImageResult {
        try await gate.acquire()
        defer { gate.release() }
        requests.withLockedValue { $0.append(request) }
        if let failure { throw GenerationError(message: failure) }
        if let error = errors[request.model] { throw error }
        let png = try PlaceholderRenderer.renderSync(prompt: request.prompt, width: 256, height: 256, key: "42")
        // The format asked for, as a real server makes it: Easel refuses any other.
        let image =
            switch request.outputFormat {
            case "jpeg": try Vips.jpeg(from: png)
            case "webp": try Vips.webp(from: png, lossless: false)
            default: png
            }
        return ImageResult(
            images: Array(repeating: .data(image), count: request.n),
            created: Date(timeIntervalSince1970: 1_764_000_000),
            latency: .milliseconds(6_200),
            requestID: "req_123",
            usage: Usage(inputTokens: 50, inputTextTokens: 50, inputImageTokens: 0, outputTokens: 4_160),
            size: "1024x1024",
            quality: "high"
        )
    }

    struct GenerationError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
