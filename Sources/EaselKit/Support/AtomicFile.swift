import Foundation

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes files so that a reader sees either the old content or the new, never a partial file.
///
/// The content goes to a temporary file in the same folder, is flushed to disk, and is renamed over
/// the destination; `rename(2)` within one file system is atomic.
enum AtomicFile {
    /// Writes `data` to `url`, creating missing parent folders.
    /// - Parameter durable: flush the data to disk before the rename. Needed for what cannot be
    ///   made again (the cache, the project's files); the site is rebuilt from them, and skipping
    ///   the flush makes a 1,000-page render several times faster.
    /// - Throws: ``FileError`` naming the file.
    static func write(_ data: some DataProtocol, to url: URL, durable: Bool = true) throws {
        try write(parts: [data], to: url, durable: durable)
    }

    /// Writes `parts` one after another to `url`, as ``write(_:to:durable:)``, without first
    /// putting them together in memory.
    static func write(parts: [some DataProtocol], to url: URL, durable: Bool = true) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try writeAndSync(parts: parts, to: temporary.path, sync: durable)
        guard rename(temporary.path, url.path) == 0 else {
            let error = FileError.posix(url.path, "rename")
            unlink(temporary.path)
            throw error
        }
    }

    /// Writes `data` to `url` only when the file does not already hold exactly these bytes.
    /// - Returns: true when the file was written.
    @discardableResult
    static func writeIfChanged(_ data: Data, to url: URL, durable: Bool = true) throws -> Bool {
        try writeIfChanged(parts: [data], to: url, durable: durable)
    }

    /// ``writeIfChanged(_:to:durable:)`` for `parts`, compared with the file as it is read, a
    /// megabyte at a time, and written one after another: neither is put together in memory.
    @discardableResult
    static func writeIfChanged(parts: [Data], to url: URL, durable: Bool = true) throws -> Bool {
        if holds(parts, at: url.path) { return false }
        try write(parts: parts, to: url, durable: durable)
        return true
    }

    /// Whether the regular file at `path` holds exactly `parts`, one after another.
    static func holds(_ parts: [Data], at path: String) -> Bool {
        let total = parts.reduce(0) { $0 + $1.count }
        guard let look = FileLook.of(path), look.isRegularFile, look.size == total,
            let handle = FileHandle(forReadingAtPath: path)
        else { return false }
        defer { try? handle.close() }
        var pending = Data()
        var unread = total
        for part in parts {
            var offset = part.startIndex
            while offset < part.endIndex {
                if pending.isEmpty {
                    // No more than the file should still hold: a page is a few kB, not a megabyte buffer.
                    guard let chunk = try? handle.read(upToCount: min(1 << 20, unread)), !chunk.isEmpty else {
                        return false
                    }
                    unread -= chunk.count
                    pending = chunk
                }
                let count = min(pending.count, part.endIndex - offset)
                // Data's == compares with memcmp; elementsEqual walked the bytes one by one.
                guard pending.prefix(count) == part[offset..<(offset + count)] else { return false }
                pending = pending.dropFirst(count)
                offset += count
            }
        }
        return (try? handle.read(upToCount: 1))?.isEmpty ?? true
    }

    /// Writes all of `buffer` to the open file `fd`, retrying short and interrupted writes.
    /// - Throws: ``FileError`` naming `path`.
    static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32, path: String) throws(FileError) {
        var offset = 0
        while offset < buffer.count {
            let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .posix(path, "write")
            }
            offset += written
        }
    }

    /// Creates `path` exclusively with permissions `mode`, writes `data` and flushes it; removes the
    /// file on failure.
    static func writeAndSync(_ data: some DataProtocol, to path: String, mode: mode_t = 0o644, sync: Bool = true) throws
    {
        try writeAndSync(parts: [data], to: path, mode: mode, sync: sync)
    }

    /// ``writeAndSync(_:to:mode:sync:)`` for `parts`, written one after another.
    static func writeAndSync(
        parts: [some DataProtocol],
        to path: String,
        mode: mode_t = 0o644,
        sync: Bool = true
    ) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileError.posix(path, "create") }
        var failure: FileError?
        for region in parts.lazy.flatMap(\.regions) where failure == nil {
            do {
                try region.withUnsafeBytes { try writeAll($0, to: fd, path: path) }
            } catch let error as FileError {
                failure = error
            } catch {
                failure = FileError(path: path, reason: String(describing: error))
            }
        }
        if failure == nil, sync, fsync(fd) != 0 { failure = .posix(path, "fsync") }
        close(fd)
        if let failure {
            unlink(path)
            throw failure
        }
    }
}
