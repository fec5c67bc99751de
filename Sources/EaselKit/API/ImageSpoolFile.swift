internal import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One image of an answer, written to a file of its own as it arrives: base64 decoded a chunk at a
/// time, counted and hashed on the way, and cut off at a size limit.
///
/// The file is removed when this object goes away, unless ``finish()`` handed it on.
final class ImageSpoolFile {
    let url: URL
    private let fd: Int32
    private let limit: Int
    /// Base64 text not yet decoded: always fewer than ``chunk`` characters between calls.
    private var pending: [UInt8] = []
    private var hasher = SHA256()
    private(set) var bytes = 0
    private var handedOn = false

    /// Characters of base64 decoded at once: a multiple of 4, so chunks decode on their own.
    private static let chunk = 64 << 10

    /// Creates an empty file in `folder` (created when missing) for at most `limit` bytes.
    /// - Throws: ``FileError`` when the file cannot be created.
    init(in folder: URL, limit: Int) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        url = folder.appendingPathComponent("incoming-\(UUID().uuidString).image")
        fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileError.posix(url.path, "create") }
        self.limit = limit
        pending.reserveCapacity(Self.chunk)
    }

    deinit {
        close(fd)
        if !handedOn { unlink(url.path) }
    }

    /// Adds base64 text (no white space, no escapes); decodes and writes each whole chunk.
    /// - Throws: ``APIError`` for text that is not base64 or an image over the limit.
    func append(base64 text: UnsafeBufferPointer<UInt8>) throws {
        var rest = text[...]
        while !rest.isEmpty {
            let take = min(Self.chunk - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            if pending.count == Self.chunk { try decodePending(final: false) }
        }
    }

    /// Adds raw image bytes (a download).
    /// - Throws: ``APIError`` for an image over the limit; ``FileError`` when the file cannot be written.
    func append(raw buffer: UnsafeRawBufferPointer) throws {
        try write(buffer)
    }

    /// Decodes what is left of the base64 text (its padding may be missing).
    func endBase64() throws {
        try decodePending(final: true)
    }

    /// The file, complete, as a received image; it is no longer removed by this object.
    func finish() -> ReceivedImage {
        handedOn = true
        return .file(url, bytes: bytes, sha256: CacheKey.hexDigits(hasher.finalize()))
    }

    private func decodePending(final: Bool) throws {
        guard !pending.isEmpty else { return }
        if final {
            switch pending.count % 4 {
            case 2: pending += Array("==".utf8)
            case 3: pending += Array("=".utf8)
            default: break
            }
        }
        guard let decoded = Data(base64Encoded: Data(pending)) else {
            throw APIError(kind: .unusableAnswer, message: "an image's b64_json is not valid base64")
        }
        pending.removeAll(keepingCapacity: true)
        try decoded.withUnsafeBytes { try write($0) }
    }

    private func write(_ buffer: UnsafeRawBufferPointer) throws {
        guard buffer.count <= limit - bytes else {
            throw APIError(
                kind: .unusableAnswer,
                message: "an image is larger than \(limit >> 20) MB, more than Easel accepts from a server"
            )
        }
        try AtomicFile.writeAll(buffer, to: fd, path: url.path)
        hasher.update(bufferPointer: buffer)
        bytes += buffer.count
    }
}
