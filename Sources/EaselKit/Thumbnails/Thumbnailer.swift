package import Foundation
package import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the WebP thumbnails the gallery shows, with libvips, on a thread pool.
///
/// A thumbnail is the source scaled to a width (never enlarged; the height keeps the ratio), in sRGB, with its
/// alpha if the source has one and no metadata: the provenance lives in the originals. Thumbnails are made once:
/// a destination that already holds an image is left alone and only its header is read back.
package struct Thumbnailer: Sendable {
    /// libwebp's `method` (0 fastest, 6 smallest) for a source of `bytes` bytes and `pixels` pixels
    /// in `format`: 1 for photo-like pictures, 4 (libvips's default) for flat ones.
    ///
    /// How well a picture compresses already says which it is. On photo-like, noisy images — what
    /// the image API mostly returns, 1.5–3 MB as a 1024² PNG — effort 1 is as small as effort 4 and
    /// as good (eight 1024² PNGs at 960 px, Q72: 1.307 MB against 1.340 MB, PSNR 26.6 against
    /// 26.7 dB) and its encoding takes a third of the time (27 against 91 ms a picture). On flat,
    /// sharp-edged pictures — placeholders, illustrations, icons — effort 4 is 30% smaller (a 320-px
    /// placeholder: 6.7 kB against 9.4 kB), and a thumbnail is encoded once but downloaded by every
    /// visitor.
    static func effort(bytes: Int, pixels: Int, format: String) -> Int {
        guard pixels > 0 else { return 4 }
        let bytesPerPixel = Double(bytes) / Double(pixels)
        // A lossless format stores noise at face value; a lossy one has already thrown much of it away.
        let photoLike = format == "png" ? bytesPerPixel >= 1.0 : bytesPerPixel >= 0.25
        return photoLike ? 1 : 4
    }
    /// Bounds no real image reaches: a thumbnail's height is set by its width alone.
    private static let unbounded = 10_000_000

    private let threadPool: NIOThreadPool
    private let quality: Int

    /// Creates a thumbnailer.
    /// - Parameters:
    ///   - threadPool: Where the blocking libvips work runs, off the cooperative pool.
    ///   - quality: WebP quality, 1–100.
    package init(threadPool: NIOThreadPool = .singleton, quality: Int = 72) {
        self.threadPool = threadPool
        self.quality = quality
    }

    /// One thumbnail made (or found): its path and pixel size.
    package struct Made: Sendable, Equatable {
        /// The thumbnail file.
        package var url: URL
        /// Width in pixels.
        package var width: Int
        /// Height in pixels.
        package var height: Int

        /// Creates a value from known parts, e.g. an expected result in a test.
        package init(url: URL, width: Int, height: Int) {
            self.url = url
            self.width = width
            self.height = height
        }
    }

    /// Writes `source` scaled to `width` pixels wide as WebP at `destination`, unless that file exists already.
    ///
    /// The file is written to a temporary file in the same folder and renamed into place, so a reader never sees
    /// part of it; the temporary file is removed on failure. Missing folders are created.
    /// - Parameters:
    ///   - source: The original image: any format libvips reads.
    ///   - width: The width to scale to; a narrower source keeps its own width.
    ///   - destination: The WebP file to write.
    /// - Returns: The thumbnail's path and size, read from its header when it existed already.
    /// - Throws: ``ImagingError`` naming the source when it cannot be read, or the destination when it cannot be
    ///   written; NIO's error when the thread pool is shut down.
    package func thumbnail(of source: URL, width: Int, to destination: URL) async throws -> Made {
        try await thumbnails(of: source, widths: [width], to: [destination])[0]
    }

    /// Writes the thumbnails of `source` at several widths, each as ``thumbnail(of:width:to:)`` does.
    ///
    /// The source is decoded once: libvips makes the widest missing thumbnail from the file (shrinking on load
    /// where the format allows) and the narrower ones from that, held in memory.
    /// - Parameters:
    ///   - source: The original image.
    ///   - widths: The widths to scale to, in any order.
    ///   - destinations: The WebP file for each width, in the same order.
    /// - Returns: One ``Made`` per width, in the order of `widths`.
    /// - Throws: ``ImagingError`` as ``thumbnail(of:width:to:)`` does, or when the lists do not match.
    package func thumbnails(of source: URL, widths: [Int], to destinations: [URL]) async throws -> [Made] {
        guard widths.count == destinations.count, widths.allSatisfy({ $0 > 0 }) else {
            let problem = "\(widths.count) widths \(widths) for \(destinations.count) destinations"
            throw ImagingError.cannotMake("thumbnails of \(source.path)", message: problem)
        }
        return try await threadPool.runIfActive { [quality] in
            try Thumbnailer.makeSync(of: source, widths: widths, to: destinations, quality: quality)
        }
    }

    /// Makes the thumbnails of many sources, at most `concurrency` sources at a time.
    ///
    /// Each job succeeds or fails on its own: a source that cannot be read (a damaged cache entry)
    /// does not stop the others.
    /// - Parameters:
    ///   - jobs: Each source with its widths and destinations, as ``thumbnails(of:widths:to:)`` takes them.
    ///   - concurrency: How many sources are in flight at once; at least one.
    /// - Returns: The result of each job, in the order of `jobs`.
    /// - Throws: Only cancellation.
    package func thumbnails(
        _ jobs: [(source: URL, widths: [Int], destinations: [URL])],
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount
    ) async throws -> [Result<[Made], ImagingError>] {
        try await Thumbnailer.boundedMap(jobs, concurrency: concurrency) { job in
            do {
                return .success(try await thumbnails(of: job.source, widths: job.widths, to: job.destinations))
            } catch let error as ImagingError {
                return .failure(error)
            } catch {
                return .failure(.cannotMake("thumbnails of \(job.source.path)", message: String(describing: error)))
            }
        }
    }

    /// Runs `body` on every item with at most `concurrency` calls in flight, adding one only when another ends.
    /// - Returns: The results in the order of `items`.
    /// - Throws: The first error `body` throws; the calls still running are cancelled.
    package static func boundedMap<Item: Sendable, Result: Sendable>(
        _ items: [Item],
        concurrency: Int,
        _ body: @escaping @Sendable (Item) async throws -> Result
    ) async throws -> [Result] {
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            func startNext() {
                guard next < items.count else { return }
                let (index, item) = (next, items[next])
                next += 1
                group.addTask { (index, try await body(item)) }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                startNext()
            }
            return results.compactMap { $0 }
        }
    }
}

extension Thumbnailer {
    /// Makes the missing thumbnails on the calling thread: the widest from the file, the others from it in memory.
    private static func makeSync(of source: URL, widths: [Int], to destinations: [URL], quality: Int) throws -> [Made] {
        var made = destinations.map(existing)
        let missing = made.indices.filter { made[$0] == nil }.sorted { widths[$0] > widths[$1] }
        // Thumbnails that all exist need no libvips: a rebuild may not start it at all.
        guard let widest = missing.first else { return made.compactMap { $0 } }

        let scaled = try Vips.Image.thumbnailDown(file: source.path, width: widths[widest], height: unbounded)
        // Only an image with a profile is transformed: without one its pixels are taken as sRGB already.
        let converted = scaled.hasField("icc-profile-data") ? try scaled.iccToSRGB() : scaled
        // The pipeline reads the file once, top to bottom; several thumbnails need the pixels kept in memory.
        let base = missing.count > 1 ? try converted.copyMemory() : converted

        let effort = sourceEffort(source)
        made[widest] = try save(base, of: source, to: destinations[widest], quality: quality, effort: effort)
        for index in missing.dropFirst() {
            let smaller = try base.thumbnailDown(width: widths[index], height: unbounded)
            made[index] = try save(smaller, of: source, to: destinations[index], quality: quality, effort: effort)
        }
        return made.compactMap { $0 }
    }

    /// The size of the thumbnail at `destination` when that file exists and is a WebP; nil means make it.
    private static func existing(_ destination: URL) -> Made? {
        // Header only, without libvips: see ImageInfo.webpSize(ofFileAt:).
        guard let size = ImageInfo.webpSize(ofFileAt: destination.path) else { return nil }
        return Made(url: destination, width: size.width, height: size.height)
    }

    /// The pixel sizes of the thumbnails at `paths` when every one of them exists already (their
    /// headers read), else nil. Cheap enough to ask for thousands before any job is scheduled:
    /// paths, not URLs (making 30,000 URLs was most of it).
    package static func existingSizes(atPaths paths: [String]) -> [(width: Int, height: Int)]? {
        var sizes: [(width: Int, height: Int)] = []
        for path in paths {
            guard let size = ImageInfo.webpSize(ofFileAt: path) else { return nil }
            sizes.append(size)
        }
        return sizes
    }

    /// ``effort(bytes:pixels:format:)`` for the file at `source`; 4 when its size cannot be read.
    private static func sourceEffort(_ source: URL) -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: source.path),
            let bytes = (attributes[.size] as? NSNumber)?.intValue,
            let info = try? ImageInfo.read(contentsOf: source.path)
        else { return 4 }
        return effort(bytes: bytes, pixels: info.width * info.height, format: info.format)
    }

    /// Encodes `image` as WebP without metadata and writes it to `destination` through a temporary file.
    private static func save(
        _ image: Vips.Image,
        of source: URL,
        to destination: URL,
        quality: Int,
        effort: Int
    ) throws -> Made {
        let name = "thumbnail \(destination.path) of \(source.path)"
        let encoded: Data
        do {
            encoded = try image.webpData(quality: quality, effort: effort, strip: true)
        } catch let error as ImagingError {
            throw ImagingError.cannotMake(name, message: error.message)
        }
        let webp = try strippingMetadata(from: encoded, name: name)

        let folder = destination.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try webp.write(to: temporary)
            // No fsync: a thumbnail can always be made again, and one left empty by a crash is not an image.
            guard rename(temporary.path, destination.path) == 0 else {
                throw ImagingError.cannotMake(name, message: "rename: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary.path)
            throw error as? ImagingError ?? ImagingError.cannotMake(name, message: String(describing: error))
        }
        return Made(url: destination, width: image.width, height: image.height)
    }
}

extension Thumbnailer {
    private static let metadataChunks: Set<String> = ["ICCP", "EXIF", "XMP "]

    /// `webp` without its `ICCP`, `EXIF` and `XMP ` chunks, and without `VP8X` when no flag it carries is left.
    ///
    /// libvips 8.14.1 ignores `strip` for WebP, and makes up an `EXIF` chunk even for a source that had none.
    /// A RIFF file is "RIFF", its size, "WEBP", then chunks of a FourCC, a size and the payload padded to even.
    private static func strippingMetadata(from webp: Data, name: String) throws -> Data {
        guard webp.hasBytes(Array("RIFF".utf8), at: 0), webp.hasBytes(Array("WEBP".utf8), at: 8) else {
            throw ImagingError.cannotMake(name, message: "libvips wrote no RIFF WEBP header")
        }
        var chunks: [(fourCC: String, payload: Data)] = []
        var offset = 12
        while let fourCC = webp.bytes(at: offset, count: 4), let size = webp.littleEndian(at: offset + 4, width: 4) {
            guard let payload = webp.bytes(at: offset + 8, count: size) else {
                throw ImagingError.cannotMake(name, message: "WebP chunk at byte \(offset) runs past the end")
            }
            chunks.append((String(decoding: fourCC, as: UTF8.self), payload))
            offset += 8 + size + size % 2
        }
        chunks.removeAll { metadataChunks.contains($0.fourCC) }
        if let index = chunks.firstIndex(where: { $0.fourCC == "VP8X" && !$0.payload.isEmpty }) {
            // VP8X flags: 0x20 ICC, 0x10 alpha, 0x08 EXIF, 0x04 XMP, 0x02 animation.
            var header = Data(chunks[index].payload)
            header[0] &= ~(0x20 | 0x08 | 0x04)
            if header[0] == 0 { chunks.remove(at: index) } else { chunks[index].payload = header }
        }
        var result = Data("RIFF".utf8)
        result.appendLittleEndian(chunks.reduce(4) { $0 + 8 + $1.payload.count + $1.payload.count % 2 }, width: 4)
        result.append(contentsOf: "WEBP".utf8)
        for chunk in chunks {
            result.append(contentsOf: chunk.fourCC.utf8)
            result.appendLittleEndian(chunk.payload.count, width: 4)
            result.append(chunk.payload)
            if chunk.payload.count % 2 == 1 { result.append(0) }
        }
        return result
    }
}
