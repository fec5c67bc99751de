internal import Crypto
package import Foundation

/// What an image's C2PA Content Credentials say, as far as Easel reads them (SPEC §7): who made
/// the manifest, who signed it and when, what kind of media it declares, and whether its hard
/// binding — the hash of the file's bytes outside the manifest — still matches the file.
///
/// The signature is not verified against a trust list: a page says so and links to a verifier.
package struct ContentCredentials: Sendable, Equatable, Codable {
    /// Whether the file's bytes are still those the manifest's data hash covers.
    package enum Binding: String, Sendable, Equatable, Codable {
        /// The recomputed hash equals the recorded one.
        case intact
        /// It does not: the bytes changed after signing.
        case altered
        /// The manifest binds the file in a way Easel does not check (`c2pa.hash.boxes`,
        /// `c2pa.hash.bmff`), or names a hash algorithm it does not know.
        case unchecked
    }

    /// The claim generator: "ChatGPT 1.0", "Easel fixture signer 1.0".
    package var generator: String?
    /// The signing certificate's subject in short: common name, and organization when it differs.
    package var signer: String?
    /// The full subject, "CN=…,O=…,C=…".
    package var signerSubject: String?
    /// The time of the signature's RFC 3161 time stamp; nil when it carries none.
    package var signed: Date?
    /// The IPTC digital source type term of the manifest's actions ("trainedAlgorithmicMedia").
    package var sourceType: String?
    package var binding: Binding
    /// Why the binding is unchecked.
    package var bindingNote: String?
    /// Whether the manifest is as it was signed: the claim's signature verifies with the key of
    /// the certificate it carries, and every assertion the claim lists still has the hash the
    /// claim records. Nil when it cannot be checked (``signatureNote`` says why).
    package var signatureValid: Bool?
    /// Why the signature is invalid or was not checked.
    package var signatureNote: String?

    /// True when the file or its credentials changed after signing.
    package var isAltered: Bool { binding == .altered || signatureValid == false }

    /// The digital source type in words: "AI-generated", "edited with AI"…
    package var source: String? {
        sourceType.map { Self.sourceTypeWords[$0] ?? $0 }
    }

    static let sourceTypeWords = [
        "trainedAlgorithmicMedia": "AI-generated",
        "compositeWithTrainedAlgorithmicMedia": "edited with AI",
        "algorithmicMedia": "algorithmically generated",
        "compositeSynthetic": "composite with synthetic parts",
        "digitalCapture": "camera capture",
        "computationalCapture": "computational camera capture",
        "digitalCreation": "made with digital tools",
        "composite": "composite",
        "algorithmicallyEnhanced": "algorithmically enhanced",
        "screenCapture": "screen capture",
    ]

    /// Why a manifest that is there cannot be read.
    package struct Problem: Error, CustomStringConvertible, Equatable, Sendable, Codable {
        package var description: String
        init(_ description: String) { self.description = description }
    }

    /// What an image file says about its credentials.
    package enum Reading: Sendable, Equatable, Codable {
        /// No C2PA manifest in the file.
        case absent
        case present(ContentCredentials)
        /// A manifest is there but cannot be read (truncated, garbage): Easel treats the file as
        /// signed (never alters it) and warns.
        case unreadable(Problem)

        package var credentials: ContentCredentials? {
            if case .present(let credentials) = self { return credentials }
            return nil
        }

        /// True when the file carries a manifest, readable or not.
        package var hasManifest: Bool {
            if case .absent = self { return false }
            return true
        }
    }

    /// A manifest store larger than this is not read.
    static let maxManifestBytes = 16 << 20
    /// A file larger than this is not read for its credentials: the largest image Easel takes
    /// from a server (``APISettings/maxBytesPerImage``'s default); edit inputs are smaller still.
    static let maxFileBytes = 128 << 20

    /// Reads the credentials of the image file at `path` (never following a link): the container's
    /// chunk headers, the manifest, and for the data hash the file in pieces; never all of it at once.
    package static func read(contentsOf path: String) -> Reading {
        let read = BoundedRead.withBytes(at: path, limit: maxFileBytes) { file -> Reading in
            guard let head = file.bytes(at: 0, count: min(file.count, ImageFormat.signatureLength)),
                let format = ImageFormat(sniffing: head)
            else { return .absent }
            return Self.read(from: file, format: format)
        }
        switch read {
        case .success(let reading): return reading
        case .failure(let problem): return .unreadable(Problem("the file \(problem.reason)"))
        }
    }

    /// Reads the credentials of an image file's bytes.
    package static func read(_ data: Data, format: ImageFormat) -> Reading {
        read(from: data, format: format)
    }

    static func read(from file: some ByteFields, format: ImageFormat) -> Reading {
        do {
            guard let store = try ManifestStore.bytes(in: file, format: format) else { return .absent }
            return .present(try read(store: store, file: file))
        } catch let problem as Problem {
            return .unreadable(problem)
        } catch {
            return .unreadable(Problem(String(describing: error)))
        }
    }

    /// The facts of the active manifest (the last in the store) of `store`, the JUMBF bytes
    /// embedded in `file`.
    static func read(store: Data, file: some ByteFields) throws -> ContentCredentials {
        let boxes = try JUMBFBox.parse(store)
        guard let root = boxes.first, root.type == "jumb", root.label == "c2pa" else {
            throw Problem("the C2PA box is not a manifest store")
        }
        guard let manifest = root.children.last(where: { $0.type == "jumb" }) else {
            throw Problem("the manifest store holds no manifest")
        }
        guard let claimBox = manifest.child("c2pa.claim.v2") ?? manifest.child("c2pa.claim"),
            let claimBytes = claimBox.content("cbor")
        else { throw Problem("the manifest has no claim") }
        let claim = try decode(claimBytes, "the claim")
        let assertions = manifest.child("c2pa.assertions")?.children ?? []

        var credentials = ContentCredentials(binding: .unchecked)
        credentials.generator = generator(of: claim)
        credentials.sourceType = try sourceType(in: assertions)
        if let signature = manifest.child("c2pa.signature")?.content("cbor") {
            let cose = try COSESignature(decode(signature, "the signature"))
            (credentials.signer, credentials.signerSubject) = cose.signer()
            credentials.signed = cose.timeStamp()
            (credentials.signatureValid, credentials.signatureNote) = cose.verifies(claim: claimBytes)
            if credentials.signatureValid == false, credentials.signatureNote == nil {
                credentials.signatureNote = "the claim's signature does not verify with its certificate"
            }
        } else {
            credentials.signatureNote = "the manifest has no signature"
        }
        if credentials.signatureValid != false,
            let changed = try changedAssertion(claim: claim, assertions: assertions)
        {
            (credentials.signatureValid, credentials.signatureNote) = (false, changed)
        }
        (credentials.binding, credentials.bindingNote) = try binding(
            of: file,
            assertions: assertions,
            defaultAlgorithm: claim["alg"]?.text
        )
        credentials.generator = credentials.generator.map(fact)
        credentials.signer = credentials.signer.map(fact)
        credentials.signerSubject = credentials.signerSubject.map(fact)
        credentials.sourceType = credentials.sourceType.map(fact)
        return credentials
    }

    /// The longest text a fact of the credentials is shown at.
    static let maxFactLength = 300

    /// A text fact from a manifest as pages and `gallery.json` show it: the manifest comes from a
    /// server, so its text is cut to ``maxFactLength`` characters on one line, without control
    /// characters (a 16 MiB generator name would otherwise go on every page of it).
    static func fact(_ text: String) -> String {
        Console.printable(Display.excerpt(text, limit: maxFactLength))
    }

    private static func decode(_ data: Data, _ what: String) throws -> CBOR {
        do {
            return try CBOR.decode(data)
        } catch let error as CBOR.DecodingError {
            throw Problem("\(what) is not CBOR: \(error)")
        }
    }

    /// "name version" of the claim generator: `claim_generator_info` (a map in a v2 claim, a
    /// list in v1), or v1's `claim_generator` string.
    private static func generator(of claim: CBOR) -> String? {
        let info = claim["claim_generator_info"].flatMap { $0.array?.first ?? $0 }
        if let name = info?["name"]?.text {
            return [name, info?["version"]?.text].compactMap { $0 }.joined(separator: " ")
        }
        return claim["claim_generator"]?.text
    }

    /// The IPTC term of the first action that declares a digital source type.
    private static func sourceType(in assertions: [JUMBFBox]) throws -> String? {
        for box in assertions where box.label.map(isActions) == true {
            guard let bytes = box.content("cbor") else { continue }
            let actions = try decode(bytes, "an actions assertion")
            for action in actions["actions"]?.array ?? [] {
                guard let url = action["digitalSourceType"]?.text else { continue }
                return url.split(separator: "/").last.map(String.init) ?? url
            }
        }
        return nil
    }

    /// `c2pa.actions`, `c2pa.actions.v2`, and their numbered instances (`c2pa.actions__1`).
    private static func isActions(_ label: String) -> Bool {
        let base = label.split(separator: "_").first.map(String.init) ?? label
        return base == "c2pa.actions" || base == "c2pa.actions.v2"
    }

    /// The first assertion the claim lists whose hash is no longer the one the claim records
    /// (the hash of the assertion's JUMBF superbox without its header), said in words; nil when
    /// every one matches.
    private static func changedAssertion(claim: CBOR, assertions: [JUMBFBox]) throws -> String? {
        let references = ["created_assertions", "gathered_assertions", "assertions"]
            .flatMap { claim[$0]?.array ?? [] }
        for reference in references {
            guard let url = reference["url"]?.text, let recorded = reference["hash"]?.bytes else { continue }
            let label = url.components(separatedBy: "c2pa.assertions/").last ?? url
            guard let box = assertions.first(where: { $0.label == label }) else {
                return "assertion \(Console.printable(label)) that the claim lists is missing"
            }
            let algorithm = reference["alg"]?.text ?? claim["alg"]?.text ?? "sha256"
            guard let computed = try digest(of: box.payload, excluding: [], algorithm: algorithm) else { continue }
            if computed != recorded { return "assertion \(Console.printable(label)) changed after signing" }
        }
        return nil
    }

    /// Recomputes the data hash of `file` less the exclusion ranges of the `c2pa.hash.data`
    /// assertion, and compares it with the recorded hash.
    private static func binding(
        of file: some ByteFields,
        assertions: [JUMBFBox],
        defaultAlgorithm: String?
    ) throws -> (Binding, String?) {
        guard let box = assertions.first(where: { $0.label?.hasPrefix("c2pa.hash.data") == true }),
            let bytes = box.content("cbor")
        else {
            let other = assertions.compactMap(\.label).first { $0.hasPrefix("c2pa.hash.") }
            return (.unchecked, other.map { "bound by \($0), which Easel does not check" } ?? "no hard binding")
        }
        let assertion = try decode(bytes, "the data hash assertion")
        guard let recorded = assertion["hash"]?.bytes else { throw Problem("the data hash assertion has no hash") }
        let algorithm = assertion["alg"]?.text ?? defaultAlgorithm ?? "sha256"
        var ranges: [Range<Int>] = []
        for exclusion in assertion["exclusions"]?.array ?? [] {
            guard let start = exclusion["start"]?.int, let length = exclusion["length"]?.int,
                start <= file.count, length <= file.count - start
            else { throw Problem("an exclusion range of the data hash lies outside the file") }
            ranges.append(start..<(start + length))
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        for (first, second) in zip(ranges, ranges.dropFirst()) where first.upperBound > second.lowerBound {
            throw Problem("exclusion ranges of the data hash overlap")
        }
        guard let computed = try digest(of: file, excluding: ranges, algorithm: algorithm) else {
            return (.unchecked, "hash algorithm \(Console.printable(algorithm)) is not one Easel knows")
        }
        return (computed == recorded ? .intact : .altered, nil)
    }

    /// The hash of `file` without `excluded` (sorted, disjoint), or nil for an unknown algorithm;
    /// read 1 MiB at a time.
    private static func digest(
        of file: some ByteFields,
        excluding excluded: [Range<Int>],
        algorithm: String
    ) throws -> Data? {
        func hash<H: HashFunction>(_ type: H.Type) throws -> Data {
            var hasher = H()
            var position = 0
            for range in excluded + [file.count..<file.count] {
                while position < range.lowerBound {
                    let piece = min(1 << 20, range.lowerBound - position)
                    guard let bytes = file.bytes(at: position, count: piece) else {
                        throw Problem("the file changed while it was read")
                    }
                    hasher.update(data: bytes)
                    position += piece
                }
                position = range.upperBound
            }
            return Data(hasher.finalize())
        }
        switch algorithm {
        case "sha256": return try hash(SHA256.self)
        case "sha384": return try hash(SHA384.self)
        case "sha512": return try hash(SHA512.self)
        default: return nil
        }
    }
}
