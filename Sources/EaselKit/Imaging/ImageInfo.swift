package import Foundation

/// The size, format and alpha of an image, read from its header without decoding the pixels.
package struct ImageInfo: Sendable, Equatable {
    /// Width in pixels.
    package var width: Int
    /// Height in pixels.
    package var height: Int
    /// The format libvips recognised, named after its loader: `png`, `jpeg`, `webp`, `gif`, `heif`, `tiff`, ….
    package var format: String
    /// Whether the image has an alpha band.
    package var hasAlpha: Bool

    /// Creates a value from known parts, e.g. an expected result in a test.
    package init(width: Int, height: Int, format: String, hasAlpha: Bool) {
        self.width = width
        self.height = height
        self.format = format
        self.hasAlpha = hasAlpha
    }

    /// Reads the header of the image file at `path`.
    ///
    /// libvips opens images lazily, so this reads only as much of the file as its header needs.
    /// - Parameter path: The image file.
    /// - Returns: The image's size, format and alpha.
    /// - Throws: ``ImagingError`` naming `path` when the file is missing, unreadable or not an image.
    /// - Warning: Blocks on file I/O; call it from a thread pool, not the cooperative pool, in bulk.
    package static func read(contentsOf path: String) throws -> ImageInfo {
        ImageInfo(header: try Vips.Image(contentsOf: path))
    }

    /// Reads the header of an encoded image held in memory, e.g. bytes an API returned.
    /// - Parameters:
    ///   - data: The encoded image (PNG, JPEG, WebP, …).
    ///   - label: What to call the bytes in an error message.
    /// - Returns: The image's size, format and alpha.
    /// - Throws: ``ImagingError`` naming `label` when the bytes are not an image libvips can load.
    package static func read(data: Data, label: String = "image data") throws -> ImageInfo {
        ImageInfo(header: try Vips.Image(data: data, label: label, access: .sequential))
    }
}

extension ImageInfo {
    fileprivate init(header image: Vips.Image) {
        self.init(
            width: image.width,
            height: image.height,
            format: image.loader.map(ImageInfo.format(loader:)) ?? "unknown",
            hasAlpha: image.hasAlpha
        )
    }

    /// `pngload` → `png`, `jpegload_buffer` → `jpeg`, `webpload_source` → `webp`.
    static func format(loader: String) -> String {
        var name = Substring(loader)
        for suffix in ["_buffer", "_source", "_file"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
        }
        if name.hasSuffix("load") { name = name.dropLast(4) }
        return String(name)
    }
}
