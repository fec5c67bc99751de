/// The formats the Images API returns and Easel keeps and publishes, told apart by their bytes.
///
/// A format is never taken from a server's word or a file name: `output_format: svg` from a server
/// once put a script on the gallery's origin. The extension of every file Easel writes comes from here.
public enum ImageFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case png, jpeg, webp

    /// The extension Easel gives such files.
    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    /// The media type of an upload.
    var mediaType: String { "image/\(rawValue)" }

    /// "PNG", "JPEG", "WebP", for messages.
    var name: String { self == .webp ? "WebP" : rawValue.uppercased() }

    /// The number of leading bytes ``init(sniffing:)`` needs.
    static let signatureLength = 12

    /// The format whose signature `bytes` start with, or nil for anything else.
    public init?(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(Self.signatureLength))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head.count == 12, head.starts(with: Array("RIFF".utf8)), head[8...].elementsEqual("WEBP".utf8) {
            self = .webp
        } else {
            return nil
        }
    }

    /// The format an output format setting names (`png`, `jpeg`, `webp`); nil for anything else.
    init?(setting: String) {
        self.init(rawValue: setting.lowercased())
    }
}
