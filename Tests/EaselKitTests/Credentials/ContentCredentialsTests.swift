import Foundation
import Testing

@testable import EaselKit

/// Easel's reader of C2PA Content Credentials against images signed by c2pa-python.
@Suite struct ContentCredentialsTests {
    @Test(arguments: [("signed.png", ImageFormat.png), ("signed.jpg", .jpeg), ("signed.webp", .webp)])
    func readsWhatC2PAPythonSigned(name: String, format: ImageFormat) throws {
        let reading = ContentCredentials.read(try C2PAFixtures.data(name), format: format)
        let credentials = try #require(reading.credentials, "\(name): \(reading)")
        #expect(credentials.generator == "Easel fixture signer 1.0")
        #expect(credentials.signer == C2PAFixtures.signer)
        #expect(credentials.signerSubject?.contains("CN=Easel Test Signer") == true)
        #expect(credentials.signed == C2PAFixtures.signingTime)
        #expect(credentials.sourceType == "trainedAlgorithmicMedia")
        #expect(credentials.source == "AI-generated")
        #expect(credentials.binding == .intact)
        #expect(credentials.bindingNote == nil)
        #expect(credentials.signatureValid == true, "\(credentials.signatureNote ?? "")")
        #expect(!credentials.isAltered)
    }

    /// The data hash excludes the manifest, so a manifest changed after signing keeps the binding
    /// intact: the claim's signature, and the hashes the claim records of its assertions, catch it.
    @Test(arguments: [
        ("the claim", "signed.png", "signed.pnG", "does not verify"),
        ("an assertion", "c2pa.created", "c2pa.createD", "assertion c2pa.actions.v2 changed after signing"),
    ])
    func aManifestChangedAfterSigningIsAltered(part: String, from: String, to: String, note: String) throws {
        let png = try C2PAFixtures.data("signed.png")
        let store = try #require(try ManifestStore.bytes(in: png, format: .png))
        let range = try #require(store.range(of: Data(from.utf8)), "\(from) in the manifest")
        var forged = store
        forged.replaceSubrange(range, with: Data(to.utf8))
        let reading = ContentCredentials.read(try Self.png(png, replacingChunk: "caBX", with: forged), format: .png)
        let credentials = try #require(reading.credentials, "\(part): \(reading)")
        #expect(credentials.binding == .intact, "\(part): the bytes outside the manifest are the same")
        #expect(credentials.signatureValid == false && credentials.isAltered, "\(part)")
        #expect(credentials.signatureNote?.contains(note) == true, "\(part): \(credentials.signatureNote ?? "")")
    }

    @Test func anEditSaysEditedWithAI() throws {
        let credentials = try #require(
            ContentCredentials.read(try C2PAFixtures.data("edited.png"), format: .png).credentials
        )
        #expect(credentials.sourceType == "compositeWithTrainedAlgorithmicMedia")
        #expect(credentials.source == "edited with AI")
        #expect(credentials.binding == .intact)
    }

    @Test func aSignatureWithoutATimeStampHasNoSigningTime() throws {
        let credentials = try #require(
            ContentCredentials.read(try C2PAFixtures.data("untimed.png"), format: .png).credentials
        )
        #expect(credentials.signed == nil)
        #expect(credentials.signer == C2PAFixtures.signer)
        #expect(credentials.binding == .intact)
    }

    /// Text from a manifest is shown on one line, at most 300 characters, without control characters.
    @Test func aFactFromAManifestIsBoundedAndPrintable() {
        let long = ContentCredentials.fact(String(repeating: "generator ", count: 100_000))
        #expect(long.count <= ContentCredentials.maxFactLength + 1 && long.hasPrefix("generator generator"))
        let hidden = ContentCredentials.fact("OpenAI\u{1B}[31m\nAPI\u{7}")
        #expect(!hidden.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(hidden)")
        #expect(ContentCredentials.fact("ChatGPT 1.0") == "ChatGPT 1.0")
    }

    @Test func anUnsignedImageHasNone() throws {
        #expect(ContentCredentials.read(try C2PAFixtures.data("plain.png"), format: .png) == .absent)
        #expect(ContentCredentials.read(try C2PAFixtures.data("plain.png"), format: .png).hasManifest == false)
    }

    @Test func oneFlippedByteOfImageDataIsAltered() throws {
        var png = try C2PAFixtures.data("signed.png")
        let offset = try #require(C2PAFixtures.firstIDATByte(of: png))
        png[offset] ^= 0x01
        #expect(ContentCredentials.read(png, format: .png).credentials?.binding == .altered)

        var jpeg = try C2PAFixtures.data("signed.jpg")
        jpeg[jpeg.count - 4] ^= 0x01  // inside the scan, before the EOI marker
        #expect(ContentCredentials.read(jpeg, format: .jpeg).credentials?.binding == .altered)
    }

    @Test func readsFromAFileAndSniffsItsFormat() throws {
        let path = C2PAFixtures.folder.appendingPathComponent("signed.webp").path
        #expect(ContentCredentials.read(contentsOf: path).credentials?.binding == .intact)
        #expect(ContentCredentials.read(contentsOf: path + ".missing").hasManifest)  // unreadable, never absent
    }

    /// A manifest that is there but broken is a warning (unreadable), never a crash, and never "none":
    /// the file is still treated as signed, so Easel does not alter it.
    @Test(arguments: ["truncated", "garbage", "empty", "not-a-store"])
    func aBrokenManifestIsUnreadable(kind: String) throws {
        let png = try C2PAFixtures.data("signed.png")
        let store = try #require(try ManifestStore.bytes(in: png, format: .png))
        let replacement: Data
        switch kind {
        case "truncated": replacement = store.prefix(store.count / 2)
        case "garbage": replacement = Data((0..<600).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        case "empty": replacement = Data()
        default: replacement = Data([0, 0, 0, 8]) + Data("free".utf8)
        }
        let broken = try Self.png(png, replacingChunk: "caBX", with: replacement)
        let reading = ContentCredentials.read(broken, format: .png)
        guard case .unreadable(let problem) = reading else {
            Issue.record("\(kind): \(reading)")
            return
        }
        #expect(!problem.description.isEmpty)
    }

    /// Thousands of damaged manifests in all three containers: any answer but a crash or a hang.
    @Test func damagedManifestsNeverCrash() throws {
        var generator = SeededGenerator(seed: 12)
        for (name, format) in [("signed.png", ImageFormat.png), ("signed.jpg", .jpeg), ("signed.webp", .webp)] {
            let original = try C2PAFixtures.data(name)
            var unreadable = 0
            for round in 0..<400 {
                var data = original
                // Damage only the first 4 KB, where the container headers and the manifest are.
                for _ in 0..<(1 + round % 4) {
                    let offset = Int.random(in: 0..<min(4096, data.count), using: &generator)
                    data[offset] = UInt8.random(in: 0...255, using: &generator)
                }
                if round % 10 == 0 { data = data.prefix(Int.random(in: 0..<data.count, using: &generator)) }
                if case .unreadable = ContentCredentials.read(data, format: format) { unreadable += 1 }
            }
            #expect(unreadable > 0, "\(name): no damage was noticed")
        }
    }

    /// `png` with the data of its first `type` chunk replaced (and a right CRC).
    static func png(_ png: Data, replacingChunk type: String, with data: Data) throws -> Data {
        var offset = 8
        while offset + 8 <= png.count {
            let length = png[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            if png[(offset + 4)..<(offset + 8)].elementsEqual(type.utf8) {
                var chunk = Data()
                chunk.appendBigEndian(data.count, width: 4)
                let body = Data(type.utf8) + data
                chunk.append(body)
                chunk.appendBigEndian(Int(CRC32.checksum(body)), width: 4)
                return png[..<offset] + chunk + png[(offset + 12 + length)...]
            }
            offset += 12 + length
        }
        throw CocoaError(.fileReadCorruptFile)
    }
}
