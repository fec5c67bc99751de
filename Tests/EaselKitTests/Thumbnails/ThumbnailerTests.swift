import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import EaselKit

@Suite struct ThumbnailerTests {
    let thumbnailer = Thumbnailer()

    /// (source width, source height, width asked, expected width, expected height)
    @Test(arguments: [
        (1024, 1024, 480, 480, 480), (1024, 1024, 960, 960, 960), (1536, 1024, 480, 480, 320),
        (1024, 3072, 480, 480, 1440), (300, 200, 480, 300, 200),
    ])
    func scalesToTheWidthKeepingTheRatioAndNeverEnlarges(_ sizes: (Int, Int, Int, Int, Int)) async throws {
        let (source, width, expected) = ((width: sizes.0, height: sizes.1), sizes.2, (width: sizes.3, height: sizes.4))
        try await Self.withFolder { folder in
            let png = try Self.png(folder, width: source.width, height: source.height)
            let destination = folder.appendingPathComponent("thumbs/x-\(width).webp")
            let made = try await thumbnailer.thumbnail(of: png, width: width, to: destination)
            #expect(made == Thumbnailer.Made(url: destination, width: expected.width, height: expected.height))
            let info = try ImageInfo.read(contentsOf: destination.path)
            #expect(info == ImageInfo(width: expected.width, height: expected.height, format: "webp", hasAlpha: false))
        }
    }

    @Test(arguments: [[480, 960], [960, 480]])
    func severalWidthsComeBackInTheOrderAsked(widths: [Int]) async throws {
        try await Self.withFolder { folder in
            let png = try Self.png(folder, width: 1536, height: 1024)
            let destinations = widths.map { folder.appendingPathComponent("x-\($0).webp") }
            let made = try await thumbnailer.thumbnails(of: png, widths: widths, to: destinations)
            let expected = widths.map { width in
                Thumbnailer.Made(
                    url: folder.appendingPathComponent("x-\(width).webp"),
                    width: width,
                    height: width * 2 / 3
                )
            }
            #expect(made == expected)
            for thumbnail in expected {
                let info = try ImageInfo.read(contentsOf: thumbnail.url.path)
                #expect(
                    info == ImageInfo(width: thumbnail.width, height: thumbnail.height, format: "webp", hasAlpha: false)
                )
            }
        }
    }

    @Test(arguments: ["jpeg", "webp"])
    func readsOtherFormats(format: String) async throws {
        try await Self.withFolder { folder in
            let png = try PlaceholderRenderer.renderSync(prompt: "a jpeg", width: 1024, height: 768, key: "c0ffee")
            let bytes = format == "jpeg" ? try Vips.jpeg(from: png) : try Vips.webp(from: png, lossless: false)
            let source = folder.appendingPathComponent("source.\(format)")
            try bytes.write(to: source)
            let made = try await thumbnailer.thumbnail(
                of: source,
                width: 480,
                to: folder.appendingPathComponent("t.webp")
            )
            #expect((made.width, made.height) == (480, 360))
        }
    }

    @Test(arguments: [
        // A noisy 1024² PNG of the API: 2.2 MB.
        (2_200_000, 1024 * 1024, "png", 1),
        // A flat PNG (placeholder, icon, illustration): 150 kB.
        (150_000, 1024 * 1024, "png", 4),
        (1_048_576, 1024 * 1024, "png", 1),
        (1_048_575, 1024 * 1024, "png", 4),
        // Lossy originals are judged against a lower bar.
        (400_000, 1024 * 1024, "jpeg", 1),
        (200_000, 1024 * 1024, "webp", 4),
        (100, 0, "png", 4),
    ])
    func effortFollowsHowWellTheSourceCompresses(bytes: Int, pixels: Int, format: String, effort: Int) {
        #expect(Thumbnailer.effort(bytes: bytes, pixels: pixels, format: format) == effort)
    }

    @Test func alphaIsKept() async throws {
        try await Self.withFolder { folder in
            let mask = try MaskMaker.rectangleMask(
                width: 600,
                height: 400,
                rect: (x: 100, y: 100, width: 200, height: 200)
            )
            let source = folder.appendingPathComponent("mask.png")
            try mask.write(to: source)
            let destination = folder.appendingPathComponent("mask.webp")
            _ = try await thumbnailer.thumbnail(of: source, width: 480, to: destination)
            let webp = try Data(contentsOf: destination)
            #expect(
                try ImageInfo.read(data: webp) == ImageInfo(width: 480, height: 320, format: "webp", hasAlpha: true)
            )
            // The hole (100…300 at 0.8 scale: 80…240) stays transparent, the rest opaque.
            let pixels = try Vips.decodedPixels(of: webp)
            func alpha(_ x: Int, _ y: Int) -> UInt8 { pixels[(y * 480 + x) * 4 + 3] }
            #expect(alpha(160, 160) < 16)
            #expect(alpha(20, 20) > 240)
        }
    }

    @Test func metadataIsStripped() async throws {
        try await Self.withFolder { folder in
            let provenance = Provenance(title: "Dunes", prompt: "sand at noon", settings: ["model": "m"])
            let png = try provenance.embed(into: try Self.pngData(width: 640, height: 640), format: "png")
            try #require(try Vips.metadataFields(of: png).contains("xmp-data"))
            let source = folder.appendingPathComponent("stamped.png")
            try png.write(to: source)
            let destination = folder.appendingPathComponent("stamped.webp")
            _ = try await thumbnailer.thumbnail(of: source, width: 480, to: destination)
            let webp = try Data(contentsOf: destination)
            #expect(Self.chunks(of: webp) == ["VP8 "])
            #expect(Provenance.read(from: webp, format: "webp") == nil)
            let fields = try Vips.metadataFields(of: webp)
            #expect(
                !fields.contains("xmp-data") && !fields.contains("exif-data") && !fields.contains("icc-profile-data")
            )
        }
    }

    @Test func anExistingThumbnailIsReusedAndNotRewritten() async throws {
        try await Self.withFolder { folder in
            let destination = folder.appendingPathComponent("x-480.webp")
            // Another image's thumbnail sits at the destination: its own size is reported, the file kept.
            _ = try await thumbnailer.thumbnail(
                of: try Self.png(folder, width: 200, height: 100),
                width: 480,
                to: destination
            )
            let before = try FileManager.default.attributesOfItem(atPath: destination.path)
            let bytes = try Data(contentsOf: destination)
            let made = try await thumbnailer.thumbnail(
                of: try Self.png(folder, width: 1024, height: 1024),
                width: 480,
                to: destination
            )
            #expect(made == Thumbnailer.Made(url: destination, width: 200, height: 100))
            let after = try FileManager.default.attributesOfItem(atPath: destination.path)
            #expect(after[.systemFileNumber] as? Int == before[.systemFileNumber] as? Int)
            #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)
            #expect(try Data(contentsOf: destination) == bytes)
        }
    }

    @Test func aSourceThatIsNotAnImageIsAnErrorNamingItAndLeavesNoFile() async throws {
        try await Self.withFolder { folder in
            let source = folder.appendingPathComponent("notes.png")
            try Data("this is not a picture\n".utf8).write(to: source)
            let thumbs = folder.appendingPathComponent("thumbs", isDirectory: true)
            try FileManager.default.createDirectory(at: thumbs, withIntermediateDirectories: true)
            let error = await #expect(throws: ImagingError.self) {
                try await thumbnailer.thumbnails(
                    of: source,
                    widths: [480, 960],
                    to: [thumbs.appendingPathComponent("a.webp"), thumbs.appendingPathComponent("b.webp")]
                )
            }
            #expect(error?.path == source.path)
            #expect(error?.description.hasPrefix("cannot read image \(source.path): ") == true)
            #expect(try FileManager.default.contentsOfDirectory(atPath: thumbs.path) == [])
        }
    }

    @Test func aFailedWriteNamesTheDestinationAndLeavesNoTemporaryFile() async throws {
        try await Self.withFolder { folder in
            let png = try Self.png(folder, width: 640, height: 640)
            // A folder in the way: the encoded thumbnail cannot be renamed over it.
            let destination = folder.appendingPathComponent("thumbs/x.webp", isDirectory: false)
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            try Data("keep".utf8).write(to: destination.appendingPathComponent("inside.txt"))
            let error = await #expect(throws: ImagingError.self) {
                try await thumbnailer.thumbnail(of: png, width: 480, to: destination)
            }
            #expect(error?.description.hasPrefix("cannot make thumbnail \(destination.path) of \(png.path): ") == true)
            let left = try FileManager.default.contentsOfDirectory(atPath: destination.deletingLastPathComponent().path)
            #expect(left == ["x.webp"])
        }
    }

    @Test func mismatchedWidthsAndDestinationsAreAnError() async throws {
        try await Self.withFolder { folder in
            let source = try Self.png(folder, width: 640, height: 640)
            let error = await #expect(throws: ImagingError.self) {
                try await thumbnailer.thumbnails(
                    of: source,
                    widths: [480, 960],
                    to: [folder.appendingPathComponent("a.webp")]
                )
            }
            #expect(
                error?.description == "cannot make thumbnails of \(source.path): 2 widths [480, 960] for 1 destinations"
            )
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [source.lastPathComponent])
        }
    }

    @Test func theBatchReturnsResultsInTheOrderOfItsJobs() async throws {
        try await Self.withFolder { folder in
            let sizes = [(1024, 1024), (300, 600), (1536, 1024), (640, 480), (500, 500)]
            let jobs = try sizes.enumerated().map { index, size in
                let source = try Self.png(folder, width: size.0, height: size.1, name: "s\(index).png")
                let widths = [480, 960]
                return (source, widths, widths.map { folder.appendingPathComponent("t\(index)-\($0).webp") })
            }
            let results = try await thumbnailer.thumbnails(jobs, concurrency: 2).map { try $0.get() }
            let widths = results.map { $0.map(\.width) }
            #expect(widths == [[480, 960], [300, 300], [480, 960], [480, 640], [480, 500]])
            #expect(results.map { $0.map(\.url) } == jobs.map(\.2))
        }
    }

    @Test func aSourceThatCannotBeReadFailsOnlyItsJob() async throws {
        try await Self.withFolder { folder in
            let good = try Self.png(folder, width: 640, height: 480, name: "good.png")
            let bad = folder.appendingPathComponent("bad.png")
            try Data("not an image".utf8).write(to: bad)
            let jobs = [good, bad, good].enumerated().map { index, source in
                (source, [320], [folder.appendingPathComponent("t\(index).webp")])
            }
            let results = try await thumbnailer.thumbnails(jobs, concurrency: 2)
            #expect(results.map { (try? $0.get())?.first?.width } == [320, nil, 320])
            if case .failure(let error) = results[1] {
                #expect(error.path == bad.path)
            } else {
                Issue.record("no failure")
            }
        }
    }

    @Test func boundedMapNeverRunsMoreThanItsConcurrencyAndKeepsOrder() async throws {
        let counts = NIOLockedValueBox((running: 0, peak: 0))
        let results = try await Thumbnailer.boundedMap(Array(0..<12), concurrency: 3) { item in
            counts.withLockedValue { counts in
                counts.running += 1
                counts.peak = max(counts.peak, counts.running)
            }
            try await Task.sleep(for: .milliseconds(20 + (item % 4) * 10))
            counts.withLockedValue { $0.running -= 1 }
            return item * item
        }
        #expect(results == (0..<12).map { $0 * $0 })
        let peak = counts.withLockedValue { $0.peak }
        #expect(peak <= 3)
        #expect(peak > 1)
    }
}

extension ThumbnailerTests {
    /// Runs `body` with a new, empty folder under the system's temporary directory, then deletes it.
    static func withFolder(_ body: (URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("easel-thumbnails-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(folder)
    }

    /// An RGB placeholder PNG of the given size.
    static func pngData(width: Int, height: Int) throws -> Data {
        try PlaceholderRenderer.renderSync(
            prompt: "a \(width)×\(height) test",
            width: width,
            height: height,
            key: "ab12cd"
        )
    }

    /// Writes an RGB placeholder PNG into `folder` and returns its URL.
    static func png(_ folder: URL, width: Int, height: Int, name: String? = nil) throws -> URL {
        let url = folder.appendingPathComponent(name ?? "source-\(width)x\(height).png")
        try pngData(width: width, height: height).write(to: url)
        return url
    }

    /// The FourCCs of the chunks of a RIFF WebP file, in order.
    static func chunks(of webp: Data) -> [String] {
        var names: [String] = []
        var offset = 12
        let bytes = [UInt8](webp)
        while offset + 8 <= bytes.count {
            names.append(String(decoding: bytes[offset..<offset + 4], as: UTF8.self))
            let size = bytes[offset + 4..<offset + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
            offset += 8 + size + size % 2
        }
        return names
    }
}
