import Foundation
import Testing

/// The imaging tests, grouped so `swift test --filter Imaging` runs them all, and their fixtures.
///
/// libvips is started once per process by `Vips.isStarted`, so the suites can run in parallel.
@Suite struct ImagingTests {
    /// Runs `body` with a new, empty folder under the system's temporary directory, then deletes it.
    static func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("easel-imaging-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    /// A 64-character hex key, like the cache's SHA-256 keys, starting with `prefix`.
    static func key(_ prefix: String) -> String {
        prefix + String(repeating: "0", count: 64 - prefix.count)
    }
}
