import Foundation

extension Vips {
    /// The band values of the pixel at (`x`, `y`) of an encoded image, e.g. `[r, g, b, a]` of a PNG.
    ///
    /// Reads back what the imaging code wrote, so tests can check pixels against the real decoder.
    /// - Throws: ``ImagingError`` when the bytes do not decode or the point lies outside the image.
    static func pixel(of data: Data, x: Int, y: Int) throws -> [Double] {
        // Random access, because getpoint may read any line.
        try Image(data: data, label: "image data", access: .random).getpoint(x: x, y: y)
    }
}
