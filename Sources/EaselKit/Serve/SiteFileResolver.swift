import Foundation

/// Maps a request path to a file of the site folder, and to nothing outside it.
///
/// The path is percent-decoded once (a double-encoded `%252e%252e` stays a harmless literal name),
/// `..` segments, NUL and backslashes are refused outright, folders serve their `index.html`, and
/// the final file, symbolic links resolved, must still lie inside the folder and be a regular file.
struct SiteFileResolver: Sendable {
    /// Why a path was not served.
    enum Refusal: Error, Equatable {
        /// Malformed or an attempt to leave the folder: 400.
        case badRequest
        /// No such file in the folder: 404.
        case notFound
    }

    /// The site folder, symbolic links resolved.
    let root: URL

    init(root: URL) {
        self.root = root.standardizedFileURL.resolvingSymlinksInPath()
    }

    func resolve(_ requestPath: String) -> Result<URL, Refusal> {
        guard let decoded = requestPath.removingPercentEncoding else { return .failure(.badRequest) }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.contains(where: { $0 == ".." || $0 == "." }), !decoded.contains("\0"),
            !decoded.contains("\\")
        else { return .failure(.badRequest) }
        var url = segments.reduce(root) { $0.appendingPathComponent(String($1)) }
        if FileSystem.isDirectory(url) { url.appendPathComponent("index.html") }
        let resolved = url.standardizedFileURL.resolvingSymlinksInPath()
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        guard resolved.path.hasPrefix(prefix) else { return .failure(.notFound) }
        // A regular file only: a FIFO would hold the request (and a thread of the server) for good.
        guard FileKind.of(resolved.path) == .regularFile else { return .failure(.notFound) }
        return .success(resolved)
    }
}
