import Foundation
internal import NIOConcurrencyHelpers

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
    ///
    /// Without `durable`, a regular file already at `url` is swapped with the new one
    /// (`renameat2`'s `RENAME_EXCHANGE`, as atomic as `rename`) and then removed: renaming over
    /// it made ext4 write the new file's blocks out at once and free the old one's on the spot
    /// (`auto_da_alloc`), 0.13–0.5 ms a page, most of a re-render's writing. A power cut may then
    /// leave a page empty, which the site stamp sees (its size changed) and the next build writes again.
    ///
    /// `removingOld`, when given, is handed the path of the old file (then under a temporary name)
    /// to remove, instead of removing it here: on a file system mounted with `discard`, removing a
    /// file whose blocks are on disk waits for the disk to discard them, 0.17 ms a page (``PageWrites``).
    static func write(
        parts: [some DataProtocol],
        to url: URL,
        durable: Bool = true,
        removingOld: ((String) -> Void)? = nil
    ) throws {
        let path = url.path
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.utf8.index(after: $0)...]) } ?? path
        let temporary = "\(folder)/.\(name).\(uniqueSuffix()).tmp"
        // The folder is made when the file cannot be created for want of it, not looked at every time.
        try writeAndSync(parts: parts, to: temporary, sync: durable, creatingFolder: folder)
        if !durable, FileKind.of(path) == .regularFile, exchange(temporary, path) {
            // Now the old file.
            if let removingOld { removingOld(temporary) } else { unlink(temporary) }
            return
        }
        guard rename(temporary, path) == 0 else {
            let error = FileError.posix(path, "rename")
            unlink(temporary)
            throw error
        }
    }

    /// Swaps the files at `a` and `b` atomically; false when the system cannot (not Linux, an old
    /// kernel, a file system without it), and nothing changed.
    private static func exchange(_ a: String, _ b: String) -> Bool {
        #if os(Linux)
        guard let renameat2 = Self.renameat2 else { return false }
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, 1 << 1) == 0  // RENAME_EXCHANGE
        #else
        return false
        #endif
    }

    #if os(Linux)
    private typealias Renameat2 =
        @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `renameat2` (2.28 and later), looked up: Swift's Glibc module leaves it out.
    private static let renameat2: Renameat2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2").map {
        unsafeBitCast($0, to: Renameat2.self)
    }
    #endif

    private static let counter = NIOLockedValueBox(0)

    /// A name part no other writer of this process uses, nor (by the process id) another process;
    /// the random part keeps a temporary file a crashed process left behind, under a process id
    /// used again, from taking the name (it is created exclusively, and that would fail the write).
    private static func uniqueSuffix() -> String {
        let next = counter.withLockedValue {
            $0 += 1
            return $0
        }
        return "\(getpid())-\(next)-\(String(UInt32.random(in: .min ... .max), radix: 16))"
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
    static func writeIfChanged(
        parts: [Data],
        to url: URL,
        durable: Bool = true,
        removingOld: ((String) -> Void)? = nil
    ) throws -> Bool {
        if holds(parts, at: url.path) { return false }
        try write(parts: parts, to: url, durable: durable, removingOld: removingOld)
        return true
    }

    /// Whether `name` is one of the temporary names Easel writes a site file under before renaming
    /// it into place: ``write(parts:to:durable:removingOld:)``'s (".index.html.1234-5-9f3a.tmp"),
    /// or a UUID where a copy, a link or a thumbnail is made (".a.webp.<UUID>.tmp"). What a process
    /// killed between writing and renaming, or before an old file was removed, leaves behind.
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp"), let suffix = name.dropLast(4).split(separator: ".").last
        else { return false }
        let parts = suffix.split(separator: "-", omittingEmptySubsequences: false)
        let digits = { (part: Substring) in !part.isEmpty && part.utf8.allSatisfy { (48...57).contains($0) } }
        let hex = { (part: Substring) in !part.isEmpty && part.allSatisfy(\.isHexDigit) && part.allSatisfy(\.isASCII) }
        if parts.count == 3 { return digits(parts[0]) && digits(parts[1]) && hex(parts[2]) }
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy(hex)
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
    /// - Parameter creatingFolder: the file's folder, made (with its parents) when it is missing.
    static func writeAndSync(
        parts: [some DataProtocol],
        to path: String,
        mode: mode_t = 0o644,
        sync: Bool = true,
        creatingFolder folder: String? = nil
    ) throws {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        var fd = open(path, flags, mode)
        if fd < 0, errno == ENOENT, let folder {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            fd = open(path, flags, mode)
        }
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
