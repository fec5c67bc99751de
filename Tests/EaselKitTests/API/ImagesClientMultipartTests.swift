import Foundation
import Testing

@testable import EaselKit

/// Edits and variations: the multipart body parsed back field by field.
struct ImagesClientMultipartTests {
    private func input(_ project: TemporaryProject, _ path: String) throws -> InputImage {
        let url = project.root.appendingPathComponent(path)
        return InputImage(path: path, url: url, sha256: try CacheKey.sha256(contentsOf: url))
    }

    @Test func anEditWithOneImageAndAMaskFile() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/kolochava.png", width: 128, height: 128)
            try project.writeMask("inputs/mask.png", width: 128, height: 128)
            let request = ImageRequest(
                endpoint: .edits,
                model: "gpt-image-2",
                prompt: "DS-1 Death Star in the sky",
                size: "1024x1024",
                images: [try input(project, "inputs/kolochava.png")],
                mask: .image(try input(project, "inputs/mask.png"))
            )
            let server = FakeImagesServer { _, _ in FakeImagesServer.success() }
            _ = try await ImagesClientTests.withClient(server) { try await $0.generate(request) }

            let sent = try #require(server.received.first)
            #expect(sent.path == "/v1/images/edits")
            #expect(sent.headers["content-type"]?.hasPrefix("multipart/form-data; boundary=") == true)
            let parts = try sent.parts()
            #expect(parts.map(\.name) == ["model", "prompt", "size", "image", "mask"])
            #expect(
                parts[0].text == "gpt-image-2" && parts[1].text == "DS-1 Death Star in the sky"
                    && parts[2].text == "1024x1024"
            )
            #expect(parts[3].fileName == "kolochava.png" && parts[3].headers["content-type"] == "image/png")
            #expect(
                Data(parts[3].body)
                    == (try Data(contentsOf: project.root.appendingPathComponent("inputs/kolochava.png")))
            )
            #expect(parts[4].fileName == "mask.png")
            #expect(
                Data(parts[4].body) == (try Data(contentsOf: project.root.appendingPathComponent("inputs/mask.png")))
            )
        }
    }

    /// `input_fidelity` is a text field of the form, after the settings and before the images.
    @Test func anEditSendsItsInputFidelity() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/face.png", width: 64, height: 64)
            let request = ImageRequest(
                endpoint: .edits,
                model: "gpt-image-2",
                prompt: "The same face, older",
                quality: "high",
                inputFidelity: "high",
                images: [try input(project, "inputs/face.png")]
            )
            let server = FakeImagesServer { _, _ in FakeImagesServer.success() }
            _ = try await ImagesClientTests.withClient(server) { try await $0.generate(request) }
            let parts = try #require(server.received.first).parts()
            #expect(parts.map(\.name) == ["model", "prompt", "quality", "input_fidelity", "image"])
            #expect(parts[3].text == "high")
        }
    }

    /// Inputs are read from their files as the body is sent, not held in memory, so a retry reads
    /// them again: both attempts carry the same bytes, with the length announced up front.
    @Test func aRetriedEditStreamsTheSameInputsAgain() async throws {
        try await TemporaryProject.with { project in
            let big = HostileImages.noisePNG(width: 700, height: 500, seed: 3)
            try project.write("inputs/big.png", data: big)
            try project.writeImage("inputs/small.png", width: 700, height: 500)
            let request = ImageRequest(
                endpoint: .edits,
                model: "gpt-image-2",
                prompt: "Two pictures",
                images: [try input(project, "inputs/big.png"), try input(project, "inputs/small.png")],
                mask: .rectangle(PixelRect(x: 10, y: 10, width: 100, height: 50))
            )
            let server = FakeImagesServer { _, index in
                index == 0
                    ? FakeImagesServer.failure(500, type: "server_error", code: nil, message: "try again")
                    : FakeImagesServer.success()
            }
            _ = try await ImagesClientTests.withClient(server) { try await $0.generate(request) }
            let sent = server.received
            #expect(sent.count == 2)
            #expect(sent.map { $0.headers["content-length"] } == sent.map { String($0.body.count) })
            let first = try sent[0].parts()
            let second = try sent[1].parts()
            #expect(first.map(\.name) == ["model", "prompt", "image[]", "image[]", "mask"])
            #expect(Data(first[2].body) == big && Data(second[2].body) == big)
            #expect(first.map(\.body) == second.map(\.body))
            #expect(try ImageInfo.read(data: Data(second[4].body)).format == "png")
        }
    }

    @Test func severalImagesAreSentAsImageArrayInOrder() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/a.png", seed: "a")
            try project.writeImage("inputs/b.png", seed: "b")
            let request = ImageRequest(
                endpoint: .edits,
                model: "gpt-image-2",
                prompt: "Combine them",
                n: 2,
                images: [try input(project, "inputs/a.png"), try input(project, "inputs/b.png")]
            )
            let server = FakeImagesServer { _, _ in FakeImagesServer.success(count: 2) }
            let result = try await ImagesClientTests.withClient(server) { try await $0.generate(request) }
            let parts = try #require(server.received.first).parts()
            #expect(parts.map(\.name) == ["model", "prompt", "n", "image[]", "image[]"])
            #expect(parts.compactMap(\.fileName) == ["a.png", "b.png"])
            #expect(result.images.count == 2)
        }
    }

    @Test(arguments: [
        Mask.rectangle(PixelRect(x: 0, y: 0, width: 64, height: 32)),
        Mask.ellipse(PixelEllipse(centerX: 64, centerY: 64, radiusX: 40, radiusY: 20)),
    ])
    func aMaskGivenAsAShapeIsPaintedToAPNGWithAlpha(mask: Mask) async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/in.png", width: 128, height: 128)
            let request = ImageRequest(
                endpoint: .edits,
                model: "gpt-image-2",
                prompt: "Sky",
                images: [try input(project, "inputs/in.png")],
                mask: mask
            )
            let server = FakeImagesServer { _, _ in FakeImagesServer.success() }
            _ = try await ImagesClientTests.withClient(server) { try await $0.generate(request) }
            let part = try #require(try server.received.first?.parts().first { $0.name == "mask" })
            #expect(part.headers["content-type"] == "image/png")
            let info = try ImageInfo.read(data: Data(part.body))
            #expect((info.width, info.height, info.format, info.hasAlpha) == (128, 128, "png", true))
        }
    }

    @Test func aLegacyVariationUsesTheVariationsEndpointWithoutAPrompt() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/photo.png", width: 256, height: 256)
            let request = ImageRequest(
                endpoint: .variations,
                model: "dall-e-2",
                dialect: .legacy,
                prompt: "",
                size: "512x512",
                n: 3,
                images: [try input(project, "inputs/photo.png")]
            )
            let server = FakeImagesServer { _, _ in FakeImagesServer.success(count: 3, extra: "") }
            _ = try await ImagesClientTests.withClient(server) { try await $0.generate(request) }
            let sent = try #require(server.received.first)
            #expect(sent.path == "/v1/images/variations")
            let parts = try sent.parts()
            #expect(parts.map(\.name) == ["model", "n", "size", "response_format", "image"])
            #expect(parts[3].text == "b64_json")
        }
    }

    @Test func inputsTheAPIWouldRefuseAreNotSent() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/in.png", width: 128, height: 128)
            try project.writeImage("inputs/opaque-mask.png", width: 128, height: 128)
            try project.writeMask("inputs/small-mask.png", width: 64, height: 64)
            try project.write("inputs/notes.png", "not an image")
            let image = try input(project, "inputs/in.png")
            let cases: [ImageRequest] = [
                ImageRequest(
                    endpoint: .edits,
                    model: "gpt-image-2",
                    prompt: "x",
                    images: [try input(project, "inputs/notes.png")]
                ),
                ImageRequest(
                    endpoint: .edits,
                    model: "gpt-image-2",
                    prompt: "x",
                    images: Array(repeating: image, count: 17)
                ),
                ImageRequest(
                    endpoint: .edits,
                    model: "gpt-image-2",
                    prompt: "x",
                    images: [image],
                    mask: .image(try input(project, "inputs/opaque-mask.png"))
                ),
                ImageRequest(
                    endpoint: .edits,
                    model: "gpt-image-2",
                    prompt: "x",
                    images: [image],
                    mask: .image(try input(project, "inputs/small-mask.png"))
                ),
            ]
            let server = FakeImagesServer { _, _ in FakeImagesServer.success() }
            try await ImagesClientTests.withClient(server) { client in
                for request in cases {
                    await #expect(throws: APIError.self) { _ = try await client.generate(request) }
                }
            }
            #expect(server.received.isEmpty)
        }
    }
}
