import Foundation

// Re-encoding and metadata read-back through libvips, so tests can make JPEG and WebP fixtures from the PNGs
// that Easel draws and check what the real decoder sees in files that Easel changed.
extension Vips {
    /// The image in `data` re-encoded as a JPEG of `quality` (1–100).
    ///
    /// libvips writes an Exif `APP1` segment right after `SOI` (and never a JFIF `APP0`) unless `strip` is set.
    /// - Throws: ``ImagingError`` when the bytes do not decode or libvips cannot encode them.
    static func jpeg(from data: Data, quality: Int = 85, strip: Bool = false) throws -> Data {
        let image = try decoded(data)
        return try encoded { try image.jpegData(quality: quality, strip: strip) }
    }

    /// The image in `data` re-encoded as a WebP: lossy at `quality` (1–100), or lossless.
    ///
    /// libvips 8.14 always writes the extended format (`VP8X`) with an `EXIF` chunk.
    /// - Throws: ``ImagingError`` when the bytes do not decode or libvips cannot encode them.
    static func webp(from data: Data, quality: Int = 80, lossless: Bool) throws -> Data {
        let image = try decoded(data)
        return try encoded { try image.webpData(quality: quality, lossless: lossless) }
    }

    /// Every pixel of the image in `data`, decoded: rows top to bottom, band values interleaved.
    /// - Throws: ``ImagingError`` when the bytes do not decode.
    static func decodedPixels(of data: Data) throws -> Data {
        try decoded(data).writeToMemory()
    }

    /// The names of the metadata fields libvips reads from the image in `data`, e.g. `xmp-data`.
    /// - Throws: ``ImagingError`` when the bytes do not decode.
    static func metadataFields(of data: Data) throws -> [String] {
        try decoded(data).fieldNames
    }

    /// A metadata field of the image in `data` as text, e.g. `png-comment-0-easel`, or nil when it has none.
    /// - Throws: ``ImagingError`` when the bytes do not decode.
    static func metadataString(_ field: String, of data: Data) throws -> String? {
        try decoded(data).string(field)
    }

    /// A binary metadata field of the image in `data`, e.g. `xmp-data`, or nil when it has none.
    /// - Throws: ``ImagingError`` when the bytes do not decode.
    static func metadataBlob(_ field: String, of data: Data) throws -> Data? {
        try decoded(data).blob(field)
    }

    /// The image in `data`, for random access: these helpers read it any way they like.
    private static func decoded(_ data: Data) throws -> Image {
        try Image(data: data, label: "image data", access: .random)
    }

    /// What `save` returns, with a failure named after the encoded image rather than the bytes it came from.
    private static func encoded(_ save: () throws -> Data) throws -> Data {
        do {
            return try save()
        } catch let error as ImagingError {
            throw ImagingError.cannotMake("encoded image", message: error.message)
        }
    }
}
