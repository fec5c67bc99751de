import Foundation
import Testing

@testable import EaselKit

/// SPEC §4: what changes a prompt's cache key, and what must not.
struct CacheKeyTests {
    static let original = """
        ---
        title: Death Star
        size: 1536x1024
        tags: [space]
        date: 2026-11-20
        edit:
          image: inputs/village.png
          mask: inputs/mask.png
        ---
        # Heading title

        DS-1 Death Star in the sky
        """

    /// The key of `text` saved at `path`, in a project holding the two input images.
    private func key(
        _ text: String,
        at path: String = "prompts/a.md",
        inputSeed: String = "village"
    ) async throws -> CacheKey? {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/village.png", width: 320, height: 320, seed: inputSeed)
            try project.writeMask("inputs/mask.png", width: 320, height: 320)
            try project.write(path, text)
            let prompt = try project.load(path)
            let request = try #require(prompt.request, "\(prompt.diagnostics)")
            return CacheKey(request)
        }
    }

    @Test(arguments: [
        ("title", original.replacingOccurrences(of: "title: Death Star", with: "title: Another title")),
        ("heading", original.replacingOccurrences(of: "# Heading title", with: "# Renamed heading")),
        ("tags", original.replacingOccurrences(of: "tags: [space]", with: "tags: [space, village, night]")),
        ("date", original.replacingOccurrences(of: "date: 2026-11-20", with: "date: 2025-01-01")),
        ("comment", original.replacingOccurrences(of: "size: 1536x1024", with: "size: 1536x1024  # wide")),
    ])
    func displayOnlyChangesKeepTheKey(change: String, edited: String) async throws {
        let before = try await key(Self.original)
        #expect(try await key(edited) == before, "changing the \(change) must not regenerate")
    }

    @Test func renamingOrMovingTheFileKeepsTheKey() async throws {
        let before = try await key(Self.original, at: "prompts/a.md")
        #expect(try await key(Self.original, at: "prompts/renamed.md") == before)
        #expect(try await key(Self.original, at: "prompts/albums/space/a.md") == before)
    }

    @Test(arguments: [
        ("prompt text", original.replacingOccurrences(of: "in the sky", with: "in the night sky")),
        (
            "model",
            original.replacingOccurrences(of: "size: 1536x1024", with: "size: 1536x1024\nmodel: gpt-image-2.5-flare")
        ),
        ("size", original.replacingOccurrences(of: "size: 1536x1024", with: "size: 1024x1536")),
        ("seed", original.replacingOccurrences(of: "tags: [space]", with: "tags: [space]\nseed: 2")),
        ("quality", original.replacingOccurrences(of: "tags: [space]", with: "tags: [space]\nquality: low")),
        ("n", original.replacingOccurrences(of: "tags: [space]", with: "tags: [space]\nn: 2")),
        ("mask", original.replacingOccurrences(of: "mask: inputs/mask.png", with: "mask: {rect: [0, 0, 10, 10]}")),
        (
            "input fidelity",
            original.replacingOccurrences(of: "tags: [space]", with: "tags: [space]\ninput_fidelity: high")
        ),
    ])
    func whatShapesTheResultChangesTheKey(change: String, edited: String) async throws {
        let before = try await key(Self.original)
        #expect(try await key(edited) != before, "changing the \(change) must regenerate")
    }

    @Test func oneChangedInputByteChangesTheKey() async throws {
        let before = try await key(Self.original, inputSeed: "village")
        #expect(try await key(Self.original, inputSeed: "village, other bytes") != before)
    }

    @Test func writingAModelDefaultIsTheSameAsLeavingItOut() async throws {
        let plain = try await key("A cat.")
        #expect(
            try await key("---\nsize: auto\nquality: auto\nn: 1\nformat: png\nmodel: gpt-image-2\n---\nA cat.") == plain
        )
    }

    @Test func theDefaultInputFidelityIsTheSameAsLeavingItOut() async throws {
        let low = Self.original.replacingOccurrences(of: "tags: [space]", with: "tags: [space]\ninput_fidelity: low")
        #expect(try await key(low) == (try await key(Self.original)))
    }

    @Test func theKeyIsStableAcrossVersions() {
        // Pinned: changing the canonical encoding would regenerate every image anyone has paid for.
        let request = ImageRequest(
            endpoint: .generations,
            model: "gpt-image-2",
            prompt: "RESTfull API security",
            size: "1024x1024"
        )
        #expect(CacheKey(request).hex == "0eace6162585f89f9e14e4ee6880c3a68d81b99b592c1131c28961d73aa568e8")
    }
}
