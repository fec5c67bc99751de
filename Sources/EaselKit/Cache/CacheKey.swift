internal import Crypto
public import Foundation

/// The identity of a generation: SHA-256 of a canonical encoding of everything that shapes the
/// result (SPEC §4), and of nothing else — not the title, tags, date, file name or album.
public struct CacheKey: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// 64 lowercase hex digits.
    public var hex: String

    /// Wraps an existing key.
    public init(hex: String) {
        self.hex = hex
    }

    /// The key of `request`.
    public init(_ request: ImageRequest) {
        let material = Material(request)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and integers cannot fail.
        let bytes = try! encoder.encode(material)
        self.hex = Self.sha256(bytes)
    }

    /// A short form for file names and messages: the first 16 hex digits (64 bits).
    public var short: String { String(hex.prefix(16)) }

    public var description: String { hex }

    public static func < (lhs: CacheKey, rhs: CacheKey) -> Bool { lhs.hex < rhs.hex }

    /// Hex SHA-256 of `data`.
    static func sha256(_ data: some DataProtocol) -> String {
        hexDigits(SHA256.hash(data: data))
    }

    /// Hex SHA-256 of the file at `url`, read in chunks so large inputs stay out of memory.
    static func sha256(contentsOf url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hexDigits(hasher.finalize())
    }

    static func hexDigits(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public init(from decoder: any Decoder) throws {
        hex = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension CacheKey {
    /// What the key hashes. Changing this encoding changes every key: bump `version` if you must.
    ///
    /// It mirrors ``CacheRecord/Request`` on purpose but is kept apart from it: the record may
    /// gain fields (and holds paths, which must not count), while this encoding must never move.
    private struct Material: Encodable {
        var version = 1
        var endpoint: String
        var model: String
        var prompt: String
        var size: String?
        var quality: String?
        var n: Int
        var background: String?
        var format: String?
        var compression: Int?
        var moderation: String?
        /// Left out when nil (as every optional is), so keys made before it existed stay the same.
        var inputFidelity: String?
        /// SHA-256 of each input image's bytes, in order.
        var images: [String]
        /// "sha256:<hex>" for a mask file, "rect:x,y,w,h" or "ellipse:cx,cy,rx,ry" for a drawn mask.
        var mask: String?
        var seed: String?

        init(_ request: ImageRequest) {
            endpoint = request.endpoint.rawValue
            model = request.model
            prompt = request.prompt
            size = request.size
            quality = request.quality
            n = request.n
            background = request.background
            format = request.format
            compression = request.compression
            moderation = request.moderation
            inputFidelity = request.inputFidelity
            images = request.images.map(\.sha256)
            switch request.mask {
            case .image(let image): mask = "sha256:" + image.sha256
            case .rectangle(let rect): mask = "rect:\(rect.x),\(rect.y),\(rect.width),\(rect.height)"
            case .ellipse(let shape):
                mask = "ellipse:\(shape.centerX),\(shape.centerY),\(shape.radiusX),\(shape.radiusY)"
            case nil: mask = nil
            }
            seed = request.seed
        }
    }
}
