import Foundation

/// How many of a site's current originals carry Content Credentials (`easel build` and `--json`).
public struct CredentialsTally: Sendable, Codable, Equatable {
    /// Originals with a readable C2PA manifest.
    public var with = 0
    /// Originals without one (a compatible server, an older cache).
    public var without = 0
    /// Originals whose bytes no longer match their manifest's data hash, or whose manifest no
    /// longer matches its signature (counted in `with`).
    public var altered = 0
    /// Originals with a manifest that cannot be read (not counted in `with`).
    public var unreadable = 0

    public init() {}

    init(_ images: [SiteRenderer.SiteImage]) {
        for image in images {
            switch image.credentials {
            case .present(let credentials)?:
                with += 1
                if credentials.isAltered { altered += 1 }
            case .absent?: without += 1
            case .unreadable?: unreadable += 1
            case nil: break
            }
        }
    }

    /// True when there is no original to count.
    public var isEmpty: Bool { with + without + unreadable == 0 }
}

extension PageModelBuilder {
    /// A public verifier of Content Credentials: linked from prompt pages, never loaded.
    static let verifierURL = "https://contentcredentials.org/verify"

    /// The warnings of credentials that are there but cannot be read, or whose binding no longer
    /// holds, by prompt path.
    func credentialWarnings(_ items: [Item]) -> [String: [String]] {
        var warnings: [String: [String]] = [:]
        for item in items {
            for image in item.requests.flatMap({ $0.images + $0.inputs }) {
                let file = "site/" + image.path
                switch image.credentials {
                case .unreadable(let problem)?:
                    warnings[item.outcome.prompt.path, default: []].append(
                        "\(file): its Content Credentials cannot be read (\(relative(problem.description))); it is"
                            + " published unchanged"
                    )
                case .present(let credentials)? where credentials.binding == .altered:
                    warnings[item.outcome.prompt.path, default: []].append(
                        "\(file): its bytes no longer match the data hash of its Content Credentials:"
                            + " the file was changed after it was signed"
                    )
                case .present(let credentials)? where credentials.signatureValid == false:
                    warnings[item.outcome.prompt.path, default: []].append(
                        "\(file): its Content Credentials were changed after they were signed"
                            + " (\(credentials.signatureNote ?? "the signature does not verify"))"
                    )
                default: break
                }
            }
        }
        return warnings
    }

    /// What a prompt page shows of an image's credentials; nil for placeholders and masks.
    func credentialsView(_ image: SiteImage, root: String) -> CredentialsView? {
        guard let reading = image.credentials else { return nil }
        let facts = reading.credentials
        let state: String
        switch reading {
        case .absent: state = "none"
        case .unreadable: state = "unreadable"
        case .present(let credentials): state = credentials.isAltered ? "altered" : credentials.binding.rawValue
        }
        var problem: String?
        if case .unreadable(let why) = reading { problem = relative(why.description) }
        return CredentialsView(
            label: image.label,
            file: root + image.path,
            state: state,
            present: facts != nil,
            unreadable: problem != nil,
            generator: facts?.generator,
            signer: facts?.signer,
            signed: facts?.signed.map(Display.time),
            signedISO: facts?.signed.map(Display.iso),
            source: facts?.source,
            isIntact: facts?.binding == .intact,
            isAltered: facts?.binding == .altered,
            isUnchecked: facts?.binding == .unchecked,
            bindingNote: facts?.bindingNote,
            badge: facts.map { $0.isAltered ? "altered" : $0.binding == .intact ? "intact" : "not checked" },
            signatureValid: facts?.signatureValid == true,
            signatureInvalid: facts?.signatureValid == false,
            signatureNote: facts?.signatureNote,
            problem: problem
        )
    }

    /// `gallery.json`'s form of an image's credentials.
    static func credentialsJSON(_ reading: ContentCredentials.Reading?) -> CredentialsJSON? {
        switch reading {
        case nil: return nil
        case .absent?: return CredentialsJSON(present: false)
        case .unreadable(let problem)?: return CredentialsJSON(present: true, problem: problem.description)
        case .present(let facts)?:
            return CredentialsJSON(
                present: true,
                binding: facts.binding.rawValue,
                generator: facts.generator,
                signer: facts.signer,
                signerSubject: facts.signerSubject,
                signed: facts.signed.map(Display.iso),
                sourceType: facts.sourceType,
                source: facts.source,
                signature: facts.signatureValid.map { $0 ? "valid" : "invalid" } ?? "unchecked",
                signatureNote: facts.signatureNote
            )
        }
    }

    /// An image's Content Credentials in `gallery.json`.
    struct CredentialsJSON: Encodable {
        var present: Bool
        /// "intact", "altered" or "unchecked"; absent when there are none or they cannot be read.
        var binding: String?
        var generator: String?
        var signer: String?
        var signerSubject: String?
        /// ISO 8601 time of the signature's time stamp.
        var signed: String?
        var sourceType: String?
        var source: String?
        /// "valid" (the claim's signature verifies with its certificate, trust not checked, and
        /// every assertion matches the claim), "invalid" or "unchecked".
        var signature: String?
        var signatureNote: String?
        /// Why credentials that are there cannot be read.
        var problem: String?

        enum CodingKeys: String, CodingKey {
            case present, binding, generator, signer, signed, source, problem, signature
            case signerSubject = "signer_subject"
            case sourceType = "source_type"
            case signatureNote = "signature_note"
        }

        // Absent facts are written as null, so every image has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(present, forKey: .present)
            guard present else { return }
            try container.encode(binding, forKey: .binding)
            try container.encode(generator, forKey: .generator)
            try container.encode(signer, forKey: .signer)
            try container.encode(signerSubject, forKey: .signerSubject)
            try container.encode(signed, forKey: .signed)
            try container.encode(sourceType, forKey: .sourceType)
            try container.encode(source, forKey: .source)
            try container.encode(signature, forKey: .signature)
            try container.encode(signatureNote, forKey: .signatureNote)
            try container.encodeIfPresent(problem, forKey: .problem)
        }
    }
}
