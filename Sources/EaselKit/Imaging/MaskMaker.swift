internal import CVips
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
        guard Vips.isStarted else { throw ImagingError.cannotMake(name, message: "libvips did not start") }

        var out: UnsafeMutablePointer<VipsImage>?
        guard cvips_black(&out, Int32(width), Int32(height), 4) == 0, let black = out else {
            throw ImagingError.cannotMake(name, message: Vips.takeError())
        }
        defer { cvips_unref(black) }
        // vips_black tags four bands as "multiband"; sRGB makes the PNG saver write RGBA.
        guard cvips_copy_srgb(black, &out) == 0, let tagged = out else {
            throw ImagingError.cannotMake(name, message: Vips.takeError())
        }
        defer { cvips_unref(tagged) }
        // Drawing is in place, so it needs pixels in memory rather than a lazy pipeline.
        guard let canvas = vips_image_copy_memory(tagged) else {
            throw ImagingError.cannotMake(name, message: Vips.takeError())
        }
        defer { cvips_unref(canvas) }

        var opaque: [Double] = [0, 0, 0, 255]
        var clear: [Double] = [0, 0, 0, 0]
        guard cvips_draw_rect(canvas, &opaque, 4, 0, 0, Int32(width), Int32(height)) == 0,
            cvips_draw_rect(canvas, &clear, 4, Int32(rect.x), Int32(rect.y), Int32(rect.width), Int32(rect.height))
                == 0
        else {
            throw ImagingError.cannotMake(name, message: Vips.takeError())
        }
        return try pngData(canvas, name: name)
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
        guard Vips.isStarted else { throw ImagingError.cannotMake(name, message: "libvips did not start") }
        func failure() -> ImagingError { ImagingError.cannotMake(name, message: Vips.takeError()) }

        // Tests u² + v² ≤ (rx·ry)² with u = (x + 0.5 − cx)·ry and v = (y + 0.5 − cy)·rx: multiplying
        // instead of dividing keeps every value a multiple of ¼, exact in double for sides up to 4096, so a
        // pixel a hair's breadth inside or outside the edge lands on the side the formula puts it.
        var out: UnsafeMutablePointer<VipsImage>?
        guard cvips_xyz(&out, Int32(width), Int32(height)) == 0, let xy = out else { throw failure() }
        defer { cvips_unref(xy) }
        guard cvips_cast(xy, &out, VIPS_FORMAT_DOUBLE) == 0, let xyDouble = out else { throw failure() }
        defer { cvips_unref(xyDouble) }
        let scale = [Double(ry), Double(rx)]
        let offset = [(0.5 - Double(cx)) * Double(ry), (0.5 - Double(cy)) * Double(rx)]
        guard cvips_linear(xyDouble, &out, scale, offset, 2) == 0, let uv = out else { throw failure() }
        defer { cvips_unref(uv) }
        guard cvips_multiply(uv, uv, &out) == 0, let squares = out else { throw failure() }
        defer { cvips_unref(squares) }
        // The mean of the two bands is half their sum, so compare it with half the bound.
        guard cvips_bandmean(squares, &out) == 0, let halfSum = out else { throw failure() }
        defer { cvips_unref(halfSum) }
        let bound = Double(rx) * Double(rx) * Double(ry) * Double(ry)
        guard cvips_more_const1(halfSum, &out, bound / 2) == 0, let outside = out else { throw failure() }
        defer { cvips_unref(outside) }
        // One band of 0/255 becomes black RGB with that band as alpha: opaque outside, clear inside.
        let alphaOnly: [Double] = [0, 0, 0, 1]
        let noOffset: [Double] = [0, 0, 0, 0]
        guard cvips_linear_uchar(outside, &out, alphaOnly, noOffset, 4) == 0, let rgba = out else {
            throw failure()
        }
        defer { cvips_unref(rgba) }
        guard cvips_copy_srgb(rgba, &out) == 0, let tagged = out else { throw failure() }
        defer { cvips_unref(tagged) }
        return try pngData(tagged, name: name)
    }

    // The Images API's largest side is 3840; a 16384² RGBA canvas is already 1 GiB of memory.
    private static let maxSide = 16_384
}

/// Encodes `image` as PNG and copies the bytes out of libvips's buffer.
private func pngData(_ image: UnsafeMutablePointer<VipsImage>, name: String) throws -> Data {
    var buffer: UnsafeMutableRawPointer?
    var length = 0
    guard cvips_pngsave_buffer(image, &buffer, &length, 6) == 0, let buffer else {
        throw ImagingError.cannotMake(name, message: Vips.takeError())
    }
    defer { g_free(buffer) }
    return Data(bytes: buffer, count: length)
}
