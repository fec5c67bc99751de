public import Foundation

/// A cache entry exists but cannot be used.
public struct CacheError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    public var path: String
    public var reason: String

    /// An entry whose record cannot be read or decoded.
    static func unreadable(_ path: String, reason: String) -> CacheError {
        CacheError(path: path, reason: reason)
    }

    public var description: String {
        "cache entry \(path) is damaged (\(reason)); restore it from git, or delete its folder to generate it again"
    }
    public var errorDescription: String? { description }
}
