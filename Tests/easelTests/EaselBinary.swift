import Foundation

/// The `easel` executable SwiftPM built next to this test bundle, for the few tests that need the
/// real process (exit statuses set by `main`, signals).
enum EaselBinary {
    static let url: URL? = {
        var folder = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("easel")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()
}
