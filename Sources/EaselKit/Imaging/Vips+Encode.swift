internal import CVips
import Foundation

// Re-encoding and metadata read-back through libvips, so tests can make JPEG and WebP fixtures from the PNGs
// that Easel draws and check what the real decoder sees in files that Easel changed.
extension Vips {
    /// The image in `data` re-encoded as a JPEG of `quality` (1–100).
    ///
    /// libvips writes an Exif `APP1` segment right after `SOI` (and never a JFIF `APP0`) unless `strip` is set.
    /// - Throws: ``ImagingError`` when the bytes do not decode or libvips cannot encode them.
    static func jpeg(from data: Data, quality: Int = 85, strip: Bool = false) throws -> Data {
        try withImage(in: data) { image in
            try saved { buffer, length in
                cvips_jpegsave_buffer(image, &buffer, &length, Int32(quality), strip ? 1 : 0)
            }
        }
    }

    /// The image in `data` re-encoded as a WebP: lossy at `quality` (1–100), or lossless.
    ///
    /// libvips 8.14 always writes the extended format (`VP8X`) with an `EXIF` chunk.
    /// - Throws: ``ImagingError`` when the bytes do not decode or libvips cannot encode them.
    static func webp(from data: Data, quality: Int = 80, lossless: Bool) throws -> Data {
        try withImage(in: data) { image in
            try saved { buffer, length in
                cvips_webpsave_buffer(image, &buffer, &length, Int32(quality), lossless ? 1 : 0)
            }
        }
    }

    /// Every pixel of the image in `data`, decoded: rows top to bottom, band values interleaved.
    /// - Throws: ``ImagingError`` when the bytes do not decode.
    static func decodedPixels(of data: Data) throws -> Data {
        try withImage(in: data) { image in
            var length = 0
            guard let memory = vips_image_write_to_memory(image, &length) else {
                throw ImagingError(path: "image data", message: takeError())
            }
            defer { g_free(memory) }
            return Data(bytes: memory, count: length)
        }
    }

    /// The names of the metadata fields libvips reads from the image in `data`, e.g. `xmp-data`.
    /// - Throws: ``ImagingError`` when the bytes do not decode.
    static func metadataFields(of data: Data) throws -> [String] {
        try withImage(in: data) { image in
            guard let names = vips_image_get_fields(image) else { return [] }
            defer { g_strfreev(names) }
            var fields: [String] = []
            var index = 0
            while let name = names[index] {
                fields.append(String(cString: name))
                index += 1
            }
            return fields
        }
    }

    /// A metadata field of the image in `data` as text, e.g. `png-comment-0-easel`, or nil when it has none.
    /// - Throws: ``ImagingError`` when the bytes do not decode.
    static func metadataString(_ field: String, of data: Data) throws -> String? {
        try withImage(in: data) { image in
            guard vips_image_get_typeof(image, field) != 0 else { return nil }
            var text: UnsafeMutablePointer<CChar>?
            guard vips_image_get_as_string(image, field, &text) == 0, let text else { return nil }
            defer { g_free(text) }
            return String(cString: text)
        }
    }

    /// A binary metadata field of the image in `data`, e.g. `xmp-data`, or nil when it has none.
    /// - Throws: ``ImagingError`` when the bytes do not decode.
    static func metadataBlob(_ field: String, of data: Data) throws -> Data? {
        try withImage(in: data) { image in
            guard vips_image_get_typeof(image, field) != 0 else { return nil }
            var blob: UnsafeRawPointer?
            var length = 0
            // The blob belongs to the image: copy it, never free it.
            guard vips_image_get_blob(image, field, &blob, &length) == 0, let blob else { return nil }
            return Data(bytes: blob, count: length)
        }
    }

    /// Runs `body` with the image decoded from `data`, which it must not keep.
    private static func withImage<Result>(
        in data: Data,
        _ body: (UnsafeMutablePointer<VipsImage>) throws -> Result
    ) throws -> Result {
        guard isStarted else { throw ImagingError(path: "image data", message: "libvips did not start") }
        return try data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                throw ImagingError(path: "image data", message: "no bytes")
            }
            // The image points into `bytes`, so it must be released before this closure returns.
            guard let image = cvips_new_from_buffer(base, bytes.count) else {
                throw ImagingError(path: "image data", message: takeError())
            }
            defer { cvips_unref(image) }
            return try body(image)
        }
    }

    /// The bytes a libvips saver wrote to a `g_malloc`'d buffer, which this frees.
    private static func saved(_ save: (inout UnsafeMutableRawPointer?, inout Int) -> Int32) throws -> Data {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        guard save(&buffer, &length) == 0, let buffer else {
            throw ImagingError.cannotMake("encoded image", message: takeError())
        }
        defer { g_free(buffer) }
        return Data(bytes: buffer, count: length)
    }
}
