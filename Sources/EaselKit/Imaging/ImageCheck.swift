import Foundation

/// An image checked by ``ImageCheck``: what its bytes are, and its header as libvips reads it.
struct CheckedImage: Sendable {
    var image: ReceivedImage
    var format: ImageFormat
    var info: ImageInfo
    var bytes: Int
    var sha256: String
}

/// Decides whether bytes a server sent are an image Easel may keep (SPEC §6): they must sniff as
/// PNG, JPEG or WebP, libvips must read their header as that same format, the sides must be at
/// most ``ImageSize/maxSide``, and the format must be the one that was asked for.
///
/// Only the header is read: a 60,000-pixel-wide picture is refused before a single row is decoded.
enum ImageCheck {
    /// Why an image is refused, as a sentence for the prompt's page.
    struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Checks `image`, the `index`th of an answer, against the `asked` format.
    static func check(_ image: ReceivedImage, index: Int, asked: ImageFormat) throws(Refusal) -> CheckedImage {
        let label = "image \(index + 1)"
        let head = image.head(256)
        guard let format = ImageFormat(sniffing: head) else {
            throw Refusal(message: "\(label) is not an image: it is \(describe(nonImage: head))")
        }
        let info: ImageInfo
        do {
            switch image.storage {
            case .bytes(let data): info = try ImageInfo.read(data: data, label: label)
            case .file(let url): info = try ImageInfo.read(contentsOf: url.path)
            }
        } catch {
            throw Refusal(message: "\(label) starts like a \(format.name) but libvips cannot read it")
        }
        guard ImageFormat(rawValue: info.format) == format else {
            throw Refusal(message: "\(label) starts like a \(format.name) but libvips reads it as \(info.format)")
        }
        guard (1...ImageSize.maxSide).contains(info.width), (1...ImageSize.maxSide).contains(info.height) else {
            throw Refusal(
                message: "\(label) claims to be \(info.width)x\(info.height) pixels; Easel keeps images of at most"
                    + " \(ImageSize.maxSide) pixels a side"
            )
        }
        guard format == asked else {
            throw Refusal(message: "\(label) is a \(format.name), but \(asked.rawValue) was asked for")
        }
        let (bytes, sha256): (Int, String)
        if let known = image.known {
            (bytes, sha256) = known
        } else {
            do {
                let data = try image.data()
                (bytes, sha256) = (data.count, CacheKey.sha256(data))
            } catch {
                throw Refusal(message: "\(label) cannot be read back: \(FileSystem.reason(of: error))")
            }
        }
        return CheckedImage(image: image, format: format, info: info, bytes: bytes, sha256: sha256)
    }

    /// Whether `head` starts a Git LFS pointer file: what a clone without `git lfs pull` holds.
    static func isGitLFSPointer(_ head: [UInt8]) -> Bool {
        head.starts(with: Array("version https://git-lfs.github.com/spec/".utf8))
    }

    /// What bytes that are no image look like, for a message: "an HTML page", "a Git LFS pointer", ….
    static func describe(nonImage head: [UInt8]) -> String {
        if head.isEmpty { return "empty" }
        let text = String(decoding: head, as: UTF8.self)
        let start = text.drop { $0.isWhitespace }.lowercased()
        if isGitLFSPointer(Array(start.utf8)) { return "a Git LFS pointer, not the image" }
        if start.hasPrefix("<!doctype html") || start.hasPrefix("<html") { return "an HTML page" }
        if start.hasPrefix("<?xml") || start.hasPrefix("<svg") { return "XML or SVG, which Easel never publishes" }
        if start.hasPrefix("<") { return "markup, not an image" }
        if start.hasPrefix("{") || start.hasPrefix("[") { return "JSON" }
        if head.prefix(6).elementsEqual("GIF87a".utf8) || head.prefix(6).elementsEqual("GIF89a".utf8) {
            return "a GIF; Easel keeps PNG, JPEG and WebP only"
        }
        return "of no format Easel keeps (PNG, JPEG and WebP only)"
    }
}
