internal import Crypto
import Foundation
internal import SwiftASN1
internal import X509
internal import _CryptoExtras

/// A C2PA claim signature: a COSE_Sign1 structure (RFC 9052) whose headers carry the signing
/// certificate chain (`x5chain`, label 33) and, when the signer asked a time-stamp authority, an
/// RFC 3161 time stamp (`sigTst2` or `sigTst`, C2PA specification §10.3.2.5).
///
/// The signature is verified with the key of the certificate it carries; whether that
/// certificate is trusted (a trust list) is not checked.
struct COSESignature {
    var protected: CBOR
    /// The protected header as signed: its bytes, not a re-encoding.
    var protectedBytes: Data
    var unprotected: CBOR
    var signature: Data
    /// The signing certificate, the first of `x5chain`; nil when there is none Easel can read.
    var certificate: Certificate?

    /// COSE header label of the certificate chain.
    static let x5chain = 33

    init(_ item: CBOR) throws {
        guard let parts = item.untagged.array, parts.count == 4 else {
            throw ContentCredentials.Problem("the signature is not a COSE_Sign1 structure")
        }
        guard let protectedBytes = parts[0].bytes else {
            throw ContentCredentials.Problem("the signature's protected header is not a byte string")
        }
        do {
            protected = protectedBytes.isEmpty ? .map([]) : try CBOR.decode(protectedBytes)
        } catch {
            throw ContentCredentials.Problem("the signature's protected header is not CBOR: \(error)")
        }
        self.protectedBytes = protectedBytes
        unprotected = parts[1]
        signature = parts[3].bytes ?? Data()
        certificate = Self.leafCertificate(protected: protected, unprotected: unprotected)
    }

    /// Whether the signature signs `claim` (the claim's CBOR, COSE's detached payload), by the key
    /// of the signing certificate; nil with why when it cannot be checked.
    func verifies(claim: Data) -> (Bool?, String?) {
        guard let certificate else { return (nil, "no signing certificate that Easel can read") }
        let signed = CBOR.signatureStructure(protected: protectedBytes, payload: claim)
        let key = certificate.publicKey
        // COSE algorithm numbers (IANA): ES256 -7, ES384 -35, ES512 -36, PS256 -37, PS384 -38,
        // PS512 -39, EdDSA -8. A CBOR negative n is -1 - n.
        guard case .negative(let code)? = protected[label: 1] else { return (nil, "no signature algorithm") }
        let algorithm = -1 - Int(truncatingIfNeeded: code)
        switch algorithm {
        case -7:
            guard let key = P256.Signing.PublicKey(key) else { return (false, "the key is not P-256") }
            let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            return (signature.map { key.isValidSignature($0, for: signed) } ?? false, nil)
        case -35:
            guard let key = P384.Signing.PublicKey(key) else { return (false, "the key is not P-384") }
            let signature = try? P384.Signing.ECDSASignature(rawRepresentation: signature)
            return (signature.map { key.isValidSignature($0, for: signed) } ?? false, nil)
        case -36:
            guard let key = P521.Signing.PublicKey(key) else { return (false, "the key is not P-521") }
            let signature = try? P521.Signing.ECDSASignature(rawRepresentation: signature)
            return (signature.map { key.isValidSignature($0, for: signed) } ?? false, nil)
        case -37, -38, -39:
            guard let key = _RSA.Signing.PublicKey(key) else { return (false, "the key is not RSA") }
            let signature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            let valid: Bool
            switch algorithm {
            case -37: valid = key.isValidSignature(signature, for: SHA256.hash(data: signed), padding: .PSS)
            case -38: valid = key.isValidSignature(signature, for: SHA384.hash(data: signed), padding: .PSS)
            default: valid = key.isValidSignature(signature, for: SHA512.hash(data: signed), padding: .PSS)
            }
            return (valid, nil)
        case -8:
            guard let key = Curve25519.Signing.PublicKey(key) else { return (false, "the key is not Ed25519") }
            return (key.isValidSignature(signature, for: signed), nil)
        case let other:
            return (nil, "signature algorithm \(other), which Easel does not check")
        }
    }

    /// The first certificate of `x5chain`, a byte string or a list of them, parsed.
    private static func leafCertificate(protected: CBOR, unprotected: CBOR) -> Certificate? {
        for header in [protected, unprotected] {
            guard let chain = header[label: Self.x5chain] ?? header["x5chain"] else { continue }
            guard let der = chain.bytes ?? chain.array?.first?.bytes, let tree = try? DER.parse(Array(der)),
                setsAreSmall(tree)
            else { return nil }
            return try? Certificate(derEncoded: Array(der))
        }
        return nil
    }

    /// The signer in short ("Easel Test Signer (Easel Tests)") and the certificate's full subject.
    func signer() -> (String?, String?) {
        guard let certificate else { return (nil, nil) }
        func first(_ type: ASN1ObjectIdentifier) -> String? {
            certificate.subject.lazy.flatMap { $0 }.first { $0.type == type }.flatMap { String($0.value) }
        }
        let common = first(.RDNAttributeType.commonName)
        let organization = first(.RDNAttributeType.organizationName)
        let short: String?
        switch (common, organization) {
        case (let common?, let organization?) where common != organization: short = "\(common) (\(organization))"
        case (let common?, _): short = common
        case (nil, let organization): short = organization
        }
        let subject = String(describing: certificate.subject)
        return (short.map { Console.printable($0) }, subject.isEmpty ? nil : Console.printable(subject))
    }

    /// The `genTime` of the first RFC 3161 time-stamp token in the unprotected header.
    func timeStamp() -> Date? {
        for label in ["sigTst2", "sigTst"] {
            for token in unprotected[label]?["tstTokens"]?.array ?? [] {
                if let bytes = token["val"]?.bytes, let time = Self.generationTime(ofToken: bytes) {
                    return time
                }
            }
        }
        return nil
    }

    /// TimeStampToken (a CMS ContentInfo of SignedData) → encapsulated TSTInfo → `genTime`.
    static func generationTime(ofToken token: Data) -> Date? {
        guard let contentInfo = try? DER.parse(Array(token)),
            let signedData = children(of: contentInfo).dropFirst().first.flatMap({ children(of: $0).first }),
            let encapsulated = children(of: signedData).dropFirst(2).first,
            let explicit = children(of: encapsulated).dropFirst().first,
            let octets = children(of: explicit).first, case .primitive(let tstBytes) = octets.content,
            let tstInfo = try? DER.parse(tstBytes),
            let timeNode = children(of: tstInfo).dropFirst(4).first,
            let time = try? GeneralizedTime(derEncoded: timeNode)
        else { return nil }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        (components.year, components.month, components.day) = (time.year, time.month, time.day)
        (components.hour, components.minute, components.second) = (time.hours, time.minutes, time.seconds)
        guard let date = components.date, (2000...2100).contains(time.year) else { return nil }
        return date
    }

    /// True when no SET in `node` has more than `limit` members. swift-certificates 1.21.1 sorts
    /// the attributes of each part of a name with a comparator that is not a strict weak ordering,
    /// and with a few dozen of them Swift's sort traps ("Negative value is not representable";
    /// found by `damagedManifestsNeverCrash`). Real certificates have one or two per part.
    static func setsAreSmall(_ node: ASN1Node, limit: Int = 8) -> Bool {
        let members = children(of: node)
        if node.identifier == .set && members.count > limit { return false }
        return members.allSatisfy { setsAreSmall($0, limit: limit) }
    }

    private static func children(of node: ASN1Node) -> [ASN1Node] {
        guard case .constructed(let nodes) = node.content else { return [] }
        return Array(nodes)
    }
}
