internal import CVips
import Foundation

extension Vips {
    /// The band values of the pixel at (`x`, `y`) of an encoded image, e.g. `[r, g, b, a]` of a PNG.
    ///
    /// Reads back what the imaging code wrote, so tests can check pixels against the real decoder.
    /// - Throws: ``ImagingError`` when the bytes do not decode or the point lies outside the image.
    static func pixel(of data: Data, x: Int, y: Int) throws -> [Double] {
        guard isStarted else { throw ImagingError(path: "image data", message: "libvips did not start") }
        return try data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                throw ImagingError(path: "image data", message: "no bytes")
            }
            // The image points into `bytes`; random access, because getpoint may read any line.
            guard let image = cvips_new_from_buffer(base, bytes.count) else {
                throw ImagingError(path: "image data", message: takeError())
            }
            defer { cvips_unref(image) }
            var vector: UnsafeMutablePointer<Double>?
            var count: Int32 = 0
            guard cvips_getpoint(image, &vector, &count, Int32(x), Int32(y)) == 0, let vector else {
                throw ImagingError(path: "image data", message: takeError())
            }
            defer { g_free(vector) }
            return Array(UnsafeBufferPointer(start: vector, count: Int(count)))
        }
    }
}
