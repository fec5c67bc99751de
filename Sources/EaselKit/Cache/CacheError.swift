public import Foundation

/// A cache entry exists but cannot be used; only the prompts that use it fail.
public struct CacheError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    /// The entry's folder inside the project, e.g. `cache/3f/3fa9…`.
    public var path: String
    /// What is wrong with it.
    public var reason: String
    private var fix: Fix

    private enum Fix: Hashable, Sendable {
        case restoreOrPrune
        case gitLFSPull
    }

    /// An entry whose record or images cannot be read or trusted.
    static func damaged(_ path: String, reason: String) -> CacheError {
        CacheError(path: path, reason: reason, fix: .restoreOrPrune)
    }

    /// An entry whose image is a Git LFS pointer: the repository was cloned without its LFS files.
    static func lfsPointer(_ path: String, file: String) -> CacheError {
        CacheError(path: path, reason: "\(file) is a Git LFS pointer, not the image", fix: .gitLFSPull)
    }

    public var description: String {
        switch fix {
        case .restoreOrPrune:
            "cache entry \(path) is damaged (\(reason)); restore it with git (git checkout -- \(path)),"
                + " or run easel prune --damaged to remove it so that the next build generates it again"
        case .gitLFSPull:
            "cache entry \(path): \(reason); run git lfs pull to fetch the images"
        }
    }
    public var errorDescription: String? { description }
}
