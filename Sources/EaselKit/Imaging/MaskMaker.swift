package import Foundation

/// Makes edit masks in OpenAI's convention: transparent where the image may change, opaque elsewhere.
package enum MaskMaker {
    /// Makes an RGBA PNG of `width`×`height`, opaque black everywhere except `rect`, which is fully transparent.
    ///
    /// The Images API edits the pixels under the mask's transparent area (alpha 0) and keeps the rest, so
    /// `rect` is the area to repaint. Nothing is clamped: a rectangle that does not lie wholly inside the
    /// image is an error, because silently shrinking it would edit a different area than the prompt asked for.
    /// - Parameters:
    ///   - width: The image's width in pixels.
    ///   - height: The image's height in pixels.
    ///   - rect: The area to edit, in pixels from the top-left corner.
    /// - Returns: The PNG bytes.
    /// - Throws: ``ImagingError`` when the sizes are not positive, `rect` leaves the image, or libvips fails.
    package static func rectangleMask(
        width: Int,
        height: Int,
        rect: (x: Int, y: Int, width: Int, height: Int)
    ) throws -> Data {
        let name = "mask \(width)×\(height)"
        let rectText = "[\(rect.x), \(rect.y), \(rect.width), \(rect.height)]"
        guard width > 0, height > 0, width <= maxSide, height <= maxSide else {
            throw ImagingError.cannotMake(name, message: "image size must be 1 to \(maxSide) pixels a side")
        }
        guard rect.width > 0, rect.height > 0, rect.x >= 0, rect.y >= 0,
            rect.x <= width - rect.width, rect.y <= height - rect.height
        else {
            throw ImagingError.cannotMake(
                name,
                message: "rect \(rectText) does not lie inside the \(width)×\(height) image"
            )
        }
        // The clear rect on an opaque black canvas, as a lazy pipeline that the PNG saver streams. Drawing both
        // on a canvas in memory held width × height × 4 bytes (1 GiB at 16,384²; a process making one this way
        // peaks at 48 MB) and was no faster for the same bytes: 0.37 against 0.32 s at 3840², 8.3 against
        // 6.7 s at 16,384² (libvips 8.14.1, 2 cores). Embedding a one-band alpha and turning it into RGBA with
        // vips_linear, as the ellipse does, was 1.7 times slower than drawing.
        let clear = try Vips.Image.black(width: rect.width, height: rect.height, bands: 4, making: name)
        let mask = try clear.embed(x: rect.x, y: rect.y, width: width, height: height, background: [0, 0, 0, 255])
        return try png(mask)
    }

    /// Makes an RGBA PNG of `width`×`height`, opaque black everywhere except `ellipse`, which is fully transparent.
    ///
    /// A pixel is transparent when its centre lies in the ellipse or on its edge, that is when
    /// ((x + 0.5 − centerX) / radiusX)² + ((y + 0.5 − centerY) / radiusY)² ≤ 1. As with
    /// ``rectangleMask(width:height:rect:)`` nothing is clamped: the ellipse's bounding box must lie wholly
    /// inside the image.
    /// - Parameters:
    ///   - width: The image's width in pixels.
    ///   - height: The image's height in pixels.
    ///   - ellipse: The area to edit: its centre and its two radii, in pixels from the top-left corner.
    /// - Returns: The PNG bytes.
    /// - Throws: ``ImagingError`` when the sizes or radii are not positive, the ellipse leaves the image, or
    ///   libvips fails.
    package static func ellipseMask(
        width: Int,
        height: Int,
        ellipse: (centerX: Int, centerY: Int, radiusX: Int, radiusY: Int)
    ) throws -> Data {
        let name = "mask \(width)×\(height)"
        let (cx, cy, rx, ry) = ellipse
        let ellipseText = "[\(cx), \(cy), \(rx), \(ry)]"
        guard width > 0, height > 0, width <= maxSide, height <= maxSide else {
            throw ImagingError.cannotMake(name, message: "image size must be 1 to \(maxSide) pixels a side")
        }
        guard rx > 0, ry > 0 else {
            throw ImagingError.cannotMake(name, message: "ellipse \(ellipseText) needs positive radii")
        }
        // Written so that no sum can overflow, whatever the caller passes.
        guard cx >= rx, cy >= ry, cx <= width - rx, cy <= height - ry else {
            throw ImagingError.cannotMake(
                name,
                message: "ellipse \(ellipseText) does not lie inside the \(width)×\(height) image"
            )
        }
        // Tests u² + v² ≤ (rx·ry)² with u = (x + 0.5 − cx)·ry and v = (y + 0.5 − cy)·rx: multiplying
        // instead of dividing keeps every value a multiple of ¼, exact in double for sides up to 4096, so a
        // pixel a hair's breadth inside or outside the edge lands on the side the formula puts it.
        let scale = [Double(ry), Double(rx)]
        let offset = [(0.5 - Double(cx)) * Double(ry), (0.5 - Double(cy)) * Double(rx)]
        let uv = try Vips.Image.xyz(width: width, height: height, making: name).cast(.double).linear(scale, offset)
        // The mean of the two bands is half their sum, so compare it with half the bound.
        let bound = Double(rx) * Double(rx) * Double(ry) * Double(ry)
        let outside = try uv.multiply(uv).bandmean().more(bound / 2)
        // One band of 0/255 becomes black RGB with that band as alpha: opaque outside, clear inside.
        return try png(outside.linearUChar([0, 0, 0, 1], [0, 0, 0, 0]))
    }

    /// Encodes four uchar bands as an RGBA PNG.
    private static func png(_ rgba: Vips.Image) throws -> Data {
        // vips_black and vips_xyz tag their images "multiband", and arithmetic keeps its input's tag; sRGB makes
        // the PNG saver write RGBA.
        try rgba.copySRGB().pngData(compression: 6)
    }

    // The Images API's largest side is 3840. Both masks are lazy pipelines that the PNG saver streams a few
    // lines at a time, so even this size needs no canvas in memory.
    private static let maxSide = 16_384
}
