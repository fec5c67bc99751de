public import Foundation

/// One image file a source produced, before Easel checks and keeps it: bytes in memory (small
/// answers, tests), or a file the client streamed the answer into, so that an answer of ten 64 MB
/// images never sits in memory.
public struct ReceivedImage: Sendable {
    enum Storage: Sendable, Hashable {
        case bytes(Data)
        /// A file Easel wrote and owns: moved into the cache, or removed with ``discard()``.
        case file(URL)
    }

    let storage: Storage
    /// The file's size and SHA-256, when the writer counted them on the way.
    let known: (bytes: Int, sha256: String)?

    /// An image held in memory.
    public static func data(_ data: Data) -> ReceivedImage {
        ReceivedImage(storage: .bytes(data), known: nil)
    }

    /// An image streamed into `url`, `bytes` long with hash `sha256`.
    static func file(_ url: URL, bytes: Int, sha256: String) -> ReceivedImage {
        ReceivedImage(storage: .file(url), known: (bytes, sha256))
    }

    /// All the bytes (tests and small images; a streamed file is read whole).
    /// - Throws: the file system's error for a streamed file that cannot be read.
    public func data() throws -> Data {
        switch storage {
        case .bytes(let data): return data
        case .file(let url): return try Data(contentsOf: url)
        }
    }

    /// The first `count` bytes, or fewer when the image is shorter; empty when unreadable.
    func head(_ count: Int) -> [UInt8] {
        switch storage {
        case .bytes(let data): return Array(data.prefix(count))
        case .file(let url):
            guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
            defer { try? handle.close() }
            return Array((try? handle.read(upToCount: count)) ?? Data())
        }
    }

    /// Removes a streamed file that will not be kept; nothing for bytes in memory.
    func discard() {
        if case .file(let url) = storage { try? FileManager.default.removeItem(at: url) }
    }
}
