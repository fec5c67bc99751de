#if canImport(CDispatch)
// In a release build `struct stat`'s members are attributed to CDispatch (which includes
// <sys/stat.h> too); member import visibility then asks for it by name.
internal import CDispatch
#endif
#if canImport(CoreFoundation)
// With swift-certificates in the build they are attributed to CoreFoundation instead.
internal import CoreFoundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at a path, without following a symbolic link there (`lstat`).
///
/// Easel never makes links, and never follows one out of a folder it reads from a repository or
/// writes into: callers decide what a link means (an error, or a thing to remove) from this.
enum FileKind: Equatable, Sendable {
    case missing
    case regularFile
    case directory
    case symbolicLink
    /// A FIFO, socket or device.
    case other

    /// The kind of `path`.
    static func of(_ path: String) -> FileKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }
}

/// Which regular file a path is (`lstat`: a link is never one): two paths with the same identity
/// are hard links of one file.
struct FileIdentity: Hashable, Sendable, Codable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    /// Modification time in nanoseconds since 1970.
    var modified: Int64

    /// The identity of the regular file at `path`; nil when it is missing or not a regular file.
    static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        return FileIdentity(
            device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino),
            size: Int64(info.st_size),
            modified: modified
        )
    }
}
