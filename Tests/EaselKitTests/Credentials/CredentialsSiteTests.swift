import Foundation
import Testing

@testable import EaselKit

/// Images signed with C2PA Content Credentials, answered by a server in the test, through
/// `easel build` (issue 12): published byte for byte, described on the page, in gallery.json and
/// in the build's summary.
@Suite struct CredentialsSiteTests {
    /// The fixture answered for each output format asked.
    static let signed = ["png": "signed.png", "jpeg": "signed.jpg", "webp": "signed.webp"]

    /// A server answering every request with the fixture `pick` chooses for the format asked.
    static func server(_ pick: @escaping @Sendable (String) -> Data) -> FakeImagesServer {
        FakeImagesServer { received, _ in
            let format = FakeImagesServer.askedFormat(received)
            let image = pick(format).base64EncodedString()
            return .answer(
                status: 200,
                body: #"{"created":1764000000,"data":[{"b64_json":"\#(image)"}],"output_format":"\#(format)"}"#
            )
        }
    }

    static func fixture(_ name: String) -> Data {
        (try? C2PAFixtures.data(name)) ?? Data()
    }

    /// Builds `project` against `server`.
    static func build(_ project: TemporaryProject, _ server: FakeImagesServer) async throws -> BuildReport {
        try await server.run { baseURL in
            let settings = APISettings(baseURL: baseURL, apiKey: "sk-test-credentials")
            let opened = try project.open()
            return try await ImagesClient.withHTTPClient(for: settings) { http in
                let client = ImagesClient(settings: settings, httpClient: http, spool: opened.cache.spoolFolder)
                return try await Builder(project: opened, source: client).build(BuildOptions())
            }
        }
    }

    /// A project with one prompt, `prompts/png.md`, built once against a server answering
    /// signed.png; `body` gets it, the server, and the paths of the memo and the site stamp.
    static func withSignedPNGBuilt(
        _ body: (TemporaryProject, FakeImagesServer, _ memo: URL, _ stamp: URL) async throws -> Void
    ) async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/png.md", "A lighthouse.")
            let server = Self.server { _ in Self.fixture("signed.png") }
            _ = try await Self.build(project, server)
            let state = project.root.appendingPathComponent(".easel")
            try await body(
                project,
                server,
                state.appendingPathComponent("credentials"),
                state.appendingPathComponent("site-stamp")
            )
        }
    }

    /// gallery.json's prompt for `file`.
    static func galleryPrompt(_ project: TemporaryProject, _ file: String) throws -> [String: Any] {
        let gallery = try JSONSerialization.jsonObject(with: Data(try project.read("site/gallery.json").utf8))
        let prompts = (gallery as? [String: Any])?["prompts"] as? [[String: Any]] ?? []
        return try #require(prompts.first { $0["file"] as? String == file }, "\(file) in gallery.json")
    }

    static func images(_ prompt: [String: Any], _ key: String = "images") -> [[String: Any]] {
        prompt[key] as? [[String: Any]] ?? []
    }

    @Test func signedOriginalsArePublishedByteForByteAndDescribed() async throws {
        try await TemporaryProject.with { project in
            for format in ["png", "jpeg", "webp"] {
                try project.write("prompts/\(format).md", "---\nformat: \(format)\n---\nA lighthouse, as \(format).")
            }
            let server = Self.server { Self.fixture(Self.signed[$0] ?? "signed.png") }
            let report = try await Self.build(project, server)
            #expect(report.generated == 3 && report.failed == 0)
            #expect(report.credentials == CredentialsTally(with: 3))
            #expect(
                Console.summary(of: report).contains("Content Credentials: 3 originals signed (all intact), 0 without")
            )
            #expect(report.siteWarnings.isEmpty)

            for format in ["png", "jpeg", "webp"] {
                let prompt = try Self.galleryPrompt(project, "prompts/\(format).md")
                let image = try #require(Self.images(prompt).first)
                let url = try #require(image["url"] as? String)
                let published = try Data(contentsOf: project.root.appendingPathComponent("site/" + url))
                #expect(published == Self.fixture(Self.signed[format]!), "\(url) is the API's bytes")
                let credentials = try #require(image["credentials"] as? [String: Any])
                #expect(credentials["present"] as? Bool == true)
                #expect(credentials["binding"] as? String == "intact")
                #expect(credentials["generator"] as? String == "Easel fixture signer 1.0")
                #expect(credentials["signer"] as? String == C2PAFixtures.signer)
                #expect(credentials["signed"] as? String == "2026-05-20T12:00:00Z")
                #expect(credentials["source_type"] as? String == "trainedAlgorithmicMedia")
                #expect(credentials["source"] as? String == "AI-generated")
                // What the file no longer carries, gallery.json does.
                let provenance = try #require(prompt["provenance"] as? [String: Any])
                #expect(provenance["prompt"] as? String == "A lighthouse, as \(format).")
                #expect((provenance["settings"] as? [String: String])?["model"] == "gpt-image-2")

                let page = try project.read("site/prompts/\(format).html")
                for fact in [
                    "Content Credentials", "AI-generated", "Easel fixture signer 1.0", C2PAFixtures.signer,
                    #"<time datetime="2026-05-20T12:00:00Z">"#, "badge-intact",
                    #"href="https://contentcredentials.org/verify""#,
                ] {
                    #expect(page.contains(fact), "\(format).html shows \(fact)")
                }
            }

            // Nothing changed: the site is left alone and the summary still counts the credentials.
            let again = try await Self.build(project, server)
            #expect(again.siteUnchanged && again.generated == 0)
            #expect(again.credentials == CredentialsTally(with: 3))
        }
    }

    @Test func anUnsignedOriginalKeepsItsEmbeddedProvenanceAndShowsNone() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/plain.md", "# Plain\n\nA lighthouse.")
            let report = try await Self.build(project, Self.server { _ in Self.fixture("plain.png") })
            #expect(report.credentials == CredentialsTally(without: 1))
            let image = try #require(Self.images(try Self.galleryPrompt(project, "prompts/plain.md")).first)
            #expect((image["credentials"] as? [String: Any])?["present"] as? Bool == false)
            let published = try Data(
                contentsOf: project.root.appendingPathComponent("site/" + (image["url"] as! String))
            )
            #expect(published != Self.fixture("plain.png"))
            #expect(Provenance.read(from: published, format: "png")?.title == "Plain")
            let page = try project.read("site/prompts/plain.html")
            #expect(page.contains("This file carries no Content Credentials.") && page.contains("badge-none"))
        }
    }

    /// A byte of the scan changed in the cache after signing: the page, gallery.json, the summary
    /// and a warning say "altered"; the file is still published as it is.
    @Test func anImageChangedAfterSigningIsShownAltered() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/jpeg.md", "---\nformat: jpeg\n---\nA lighthouse.")
            let server = Self.server { _ in Self.fixture("signed.jpg") }
            _ = try await Self.build(project, server)
            let entry = try #require(try project.open().cache.allEntries().first)
            var bytes = try Data(contentsOf: entry.imageURLs[0])
            bytes[bytes.count - 4] ^= 0x01
            try bytes.write(to: entry.imageURLs[0])

            let report = try await Self.build(project, server)
            #expect(report.credentials == CredentialsTally(with: 1, altered: 1))
            #expect(Console.summary(of: report).contains("1 original signed (1 altered since)"))
            #expect(report.siteWarnings.contains { $0.message.contains("no longer match") })
            let image = try #require(Self.images(try Self.galleryPrompt(project, "prompts/jpeg.md")).first)
            #expect((image["credentials"] as? [String: Any])?["binding"] as? String == "altered")
            let page = try project.read("site/prompts/jpeg.html")
            #expect(page.contains("badge-altered") && page.contains("the file was changed after it was signed"))
            let published = try Data(
                contentsOf: project.root.appendingPathComponent("site/" + (image["url"] as! String))
            )
            #expect(published == bytes)
        }
    }

    /// A manifest that cannot be read: a warning, the file published unchanged, never a crash.
    @Test func anUnreadableManifestWarnsAndIsPublishedUnchanged() async throws {
        let garbage = try ContentCredentialsTests.png(
            Self.fixture("signed.png"),
            replacingChunk: "caBX",
            with: Data("definitely not a manifest store".utf8)
        )
        try await TemporaryProject.with { project in
            try project.write("prompts/broken.md", "A lighthouse.")
            let report = try await Self.build(project, Self.server { _ in garbage })
            #expect(report.generated == 1 && report.failed == 0)
            #expect(report.credentials == CredentialsTally(unreadable: 1))
            let warning = try #require(report.siteWarnings.first)
            #expect(warning.location.path == "prompts/broken.md" && warning.message.contains("cannot be read"))
            #expect(report.prompts.first?.diagnostics.contains(warning) == true)
            let image = try #require(Self.images(try Self.galleryPrompt(project, "prompts/broken.md")).first)
            let published = try Data(
                contentsOf: project.root.appendingPathComponent("site/" + (image["url"] as! String))
            )
            #expect(published == garbage)
            #expect(
                try project.read("site/prompts/broken.html").contains(
                    "carries Content Credentials that Easel cannot read"
                )
            )
        }
    }

    /// An edit whose input carries credentials shows both sides.
    @Test func anEditShowsTheCredentialsOfItsInputAndResult() async throws {
        try await TemporaryProject.with { project in
            _ = try project.write("inputs/start.png", data: Self.fixture("edited.png"))
            try project.write("prompts/edit.md", "---\nedit: inputs/start.png\n---\nAdd a moon.")
            let report = try await Self.build(project, Self.server { _ in Self.fixture("signed.png") })
            #expect(report.generated == 1)
            let prompt = try Self.galleryPrompt(project, "prompts/edit.md")
            let input = try #require(Self.images(prompt, "inputs").first)
            #expect((input["credentials"] as? [String: Any])?["source"] as? String == "edited with AI")
            let inputURL = try #require(input["url"] as? String)
            #expect(
                try Data(contentsOf: project.root.appendingPathComponent("site/" + inputURL))
                    == Self.fixture("edited.png")
            )
            let page = try project.read("site/prompts/edit.html")
            #expect(page.contains("edited with AI") && page.contains("AI-generated"))
            #expect(page.components(separatedBy: #"<div class="credential credential-intact">"#).count == 3)
        }
    }

    /// What a render read is remembered by file identity, and used only for that very file: an
    /// entry of the memo is shown while the file is the one it describes, and ignored once the file
    /// is another (same bytes, new inode).
    @Test func theMemoIsUsedOnlyForTheSameFile() async throws {
        try await Self.withSignedPNGBuilt { project, server, memo, stamp in
            let text = try String(contentsOf: memo, encoding: .utf8)
            #expect(text.contains("Easel fixture signer 1.0"))
            try text.replacingOccurrences(of: "Easel fixture signer 1.0", with: "Remembered signer")
                .write(to: memo, atomically: true, encoding: .utf8)
            try FileManager.default.removeItem(at: stamp)
            _ = try await Self.build(project, server)
            #expect(try project.read("site/prompts/png.html").contains("Remembered signer"))

            let entry = try #require(try project.open().cache.allEntries().first)
            let copy = entry.imageURLs[0].appendingPathExtension("copy")
            try FileManager.default.copyItem(at: entry.imageURLs[0], to: copy)
            try FileManager.default.removeItem(at: entry.imageURLs[0])
            try FileManager.default.moveItem(at: copy, to: entry.imageURLs[0])
            try FileManager.default.removeItem(at: stamp)
            _ = try await Self.build(project, server)
            let page = try project.read("site/prompts/png.html")
            #expect(!page.contains("Remembered signer") && page.contains("Easel fixture signer 1.0"))
        }
    }

    /// `.easel/credentials` may come from anywhere: garbage, wrong types, numbers out of range, a
    /// date no page can show, or a link out of the project. Each is ignored (the file is read
    /// again) and the link is replaced, never written through.
    @Test(arguments: [
        "garbage", "wrong types", "negative inode", "date past 2100", "a link out of the project",
    ])
    func aHostileMemoIsIgnoredAndNeverFollowed(kind: String) async throws {
        try await Self.withSignedPNGBuilt { project, server, memo, stamp in
            let good = try String(contentsOf: memo, encoding: .utf8)
            let outside = project.root.deletingLastPathComponent().appendingPathComponent("outside-\(UUID())")
            defer { try? FileManager.default.removeItem(at: outside) }
            try FileManager.default.removeItem(at: memo)
            switch kind {
            case "garbage": try Data([0xFF, 0x00, 0x7B]).write(to: memo)
            case "wrong types":
                try #"{"version":3,"entries":[{"file":"x","reading":7}]}"#.write(
                    to: memo,
                    atomically: true,
                    encoding: .utf8
                )
            case "negative inode":
                // A file identity is [device, inode, size, modified].
                let device = try #require(good.range(of: #""file":\[[0-9]+,"#, options: .regularExpression))
                try good.replacingCharacters(in: device, with: good[device] + "-")
                    .replacingOccurrences(of: "Easel fixture signer 1.0", with: "Forged")
                    .write(to: memo, atomically: true, encoding: .utf8)
            case "date past 2100":
                let forged = try #require(good.range(of: #""signed":[0-9.e+]+"#, options: .regularExpression))
                try good.replacingCharacters(in: forged, with: #""signed":1e300"#)
                    .replacingOccurrences(of: "Easel fixture signer 1.0", with: "Forged")
                    .write(to: memo, atomically: true, encoding: .utf8)
            default:
                try "not Easel's".write(to: outside, atomically: true, encoding: .utf8)
                try FileManager.default.createSymbolicLink(at: memo, withDestinationURL: outside)
            }
            try FileManager.default.removeItem(at: stamp)
            let report = try await Self.build(project, server)
            #expect(report.credentials == CredentialsTally(with: 1), "\(kind)")
            let page = try project.read("site/prompts/png.html")
            #expect(page.contains("Easel fixture signer 1.0") && !page.contains("Forged"), "\(kind)")
            #expect(FileKind.of(memo.path) == .regularFile, "\(kind): the memo is a file of the project again")
            if kind == "a link out of the project" {
                #expect(try String(contentsOf: outside, encoding: .utf8) == "not Easel's")
            }
        }
    }

    /// A file in a cloned site/ under a signed original's name is replaced, even at the same size.
    @Test func aForeignFileUnderASignedOriginalsNameIsReplaced() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/png.md", "A lighthouse.")
            let server = Self.server { _ in Self.fixture("signed.png") }
            _ = try await Self.build(project, server)
            let url = try #require(
                Self.images(try Self.galleryPrompt(project, "prompts/png.md")).first?["url"] as? String
            )
            let published = project.root.appendingPathComponent("site/" + url)
            var forged = try Data(contentsOf: published)
            forged[forged.count - 20] ^= 0xFF
            try FileManager.default.removeItem(at: published)  // a new file, not the cache's
            try forged.write(to: published)
            try FileManager.default.removeItem(at: project.root.appendingPathComponent(".easel/site-stamp"))
            _ = try await Self.build(project, server)
            #expect(try Data(contentsOf: published) == Self.fixture("signed.png"))
        }
    }
}

extension CredentialsTally {
    init(with: Int = 0, without: Int = 0, altered: Int = 0, unreadable: Int = 0) {
        self.init()
        (self.with, self.without, self.altered, self.unreadable) = (with, without, altered, unreadable)
    }
}
