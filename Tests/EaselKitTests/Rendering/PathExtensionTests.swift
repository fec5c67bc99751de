import Foundation
import Testing

@testable import EaselKit

/// The published original's extension is taken from the cache file's name without making a URL:
/// it must be what `URL.pathExtension` says for every name a record may hold.
struct PathExtensionTests {
    @Test(arguments: ["1.png", "2.webp", "3.jpeg", "a.b.png", "noext", ".png", "x.", "x..png", "é.PNG", "1 2.png"])
    func theExtensionIsWhatURLSays(_ name: String) {
        let url = URL(fileURLWithPath: "/tmp/cache/ab/abc").appendingPathComponent(name)
        #expect(SitePublisher.pathExtension(of: name) == url.pathExtension, "\(name)")
    }
}
