public import Foundation

/// A file could not be read or written.
public struct FileError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file or folder concerned.
    public var path: String
    /// What went wrong, e.g. "No such file or directory".
    public var reason: String

    /// Creates an error for `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// An error from the C library's `errno`.
    static func posix(_ path: String, _ action: String, errno code: Int32 = errno) -> FileError {
        FileError(path: path, reason: "\(action) failed: \(String(cString: strerror(code)))")
    }

    public var description: String { "\(path): \(reason)" }
    public var errorDescription: String? { description }
}
