internal import CFileLook
import Foundation

#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// Reads a file that someone else may have written: only a regular file, never through a symbolic
/// link in its last component, never more than a limit, never blocking on a FIFO or a device.
///
/// `Data(contentsOf:)` follows links, reads a 10 GB file whole and waits forever on a FIFO named
/// `easel.yml`; every project file Easel reads goes through here instead.
enum BoundedRead {
    /// Why a file was not read.
    enum Problem: Error, Equatable, Sendable {
        case missing
        /// The path is a symbolic link.
        case link
        /// A folder, FIFO, socket or device.
        case notRegularFile
        /// Larger than the limit (the size found).
        case tooLarge(Int)
        /// Any other failure, as the C library words it.
        case unreadable(String)

        /// The problem as a predicate: "the file …".
        var reason: String {
            switch self {
            case .missing: "does not exist"
            case .link: "is a symbolic link, which Easel does not follow here"
            case .notRegularFile: "is not a regular file (a folder, FIFO or device)"
            case .tooLarge(let size): "is \(size.formatted()) bytes, more than Easel reads"
            case .unreadable(let reason): "cannot be read (\(reason))"
            }
        }
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    static func data(at path: String, limit: Int) -> Result<Data, Problem> {
        withRegularFile(at: path) { fd, size in
            guard size <= limit else { return .failure(.tooLarge(size)) }
            // Read one byte past the size, in case the file grew since fstat; straight into the
            // Data returned, cut to what was read: a copy from an array doubled a 20 MB state file.
            var bytes = Data(count: size + 1)
            var count = 0
            while count < bytes.count {
                let read = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + count, $0.count - count) }
                if read < 0 {
                    if errno == EINTR { continue }
                    return .failure(.unreadable(String(cString: strerror(errno))))
                }
                if read == 0 { break }
                count += read
                if count == bytes.count, count <= limit { bytes.count += 4096 }
            }
            guard count <= limit else { return .failure(.tooLarge(count)) }
            bytes.count = count
            return .success(bytes)
        }
    }

    /// The size of the regular file at `path` and its first `count` bytes: one `open`, `fstat` and
    /// `read`, without read-ahead (a header is wanted, not the file: 20,000 thumbnails were read
    /// whole). For checks run on every build.
    static func head(at path: String, count: Int) -> Result<(size: Int, bytes: [UInt8]), Problem> {
        withRegularFile(at: path) { fd, size in
            _ = posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM)
            var bytes = [UInt8](repeating: 0, count: count)
            let read = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, count) }
            guard read >= 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
            return .success((size, Array(bytes.prefix(read))))
        }
    }

    /// Runs `body` with the regular file at `path`, of at most `limit` bytes, read piece by piece as
    /// `body` asks for them (``FileBytes``).
    static func withBytes<Value>(at path: String, limit: Int, _ body: (FileBytes) -> Value) -> Result<Value, Problem> {
        withRegularFile(at: path) { fd, size in
            guard size <= limit else { return .failure(.tooLarge(size)) }
            return .success(body(FileBytes(fd: fd, count: size)))
        }
    }

    /// Opens `path` without following a link in its last component and without blocking, and
    /// runs `body` with the descriptor and the size when it is a regular file.
    private static func withRegularFile<Value>(
        at path: String,
        _ body: (Int32, Int) -> Result<Value, Problem>
    ) -> Result<Value, Problem> {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: return .failure(.missing)
            case ELOOP: return .failure(.link)
            case let code: return .failure(.unreadable(String(cString: strerror(code))))
            }
        }
        defer { close(fd) }
        var look = easel_file_look()
        guard easel_fstat(fd, &look) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        guard FileKind.of(look) == .regularFile else { return .failure(.notRegularFile) }
        return body(fd, Int(look.size))
    }

    /// Whether anything is at `path`, a link that leads nowhere included.
    static func exists(_ path: String) -> Bool { FileKind.of(path) != .missing }

    /// Whether `path` is a symbolic link.
    static func isSymbolicLink(_ path: String) -> Bool { FileKind.of(path) == .symbolicLink }
}

extension Data {
    /// The lines of the data without their line feeds, empty ones left out, as slices sharing its
    /// storage (their indices are the data's, not from 0). Found with memchr:
    /// `split` walks a `Data` byte by byte through its generic indices, which took 0.2 s for a
    /// 12 MB state file.
    func lines() -> [Data] {
        withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Data] in
            guard let base = raw.baseAddress else { return [] }
            var lines: [Data] = []
            var start = 0
            while start < raw.count {
                let end =
                    memchr(base + start, Int32(UInt8(ascii: "\n")), raw.count - start)
                    .map { base.distance(to: UnsafeRawPointer($0)) } ?? raw.count
                // Slices of the one buffer: a copy of each line doubled a 12 MB record in memory.
                if end > start { lines.append(self[(startIndex + start)..<(startIndex + end)]) }
                start = end + 1
            }
            return lines
        }
    }
}
