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
