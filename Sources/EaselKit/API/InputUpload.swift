import Foundation
import NIOCore
import NIOFoundationCompat

/// An image file to upload, checked (API reference §3, §11): read from disk as the request is
/// sent, never held whole, so an edit of sixteen 50 MB images costs a few buffers.
struct InputUpload: Sendable {
    var fileName: String
    var mediaType: String
    var content: Content
    var info: ImageInfo

    /// Where the bytes come from.
    enum Content: Sendable {
        /// A project file of `size` bytes, streamed when the request is sent.
        case file(URL, size: Int)
        /// Bytes made here (a drawn mask).
        case bytes(ByteBuffer)

        var count: Int {
            switch self {
            case .file(_, let size): size
            case .bytes(let buffer): buffer.readableBytes
            }
        }
    }

    static let maxImageBytes = 50 << 20
    static let maxMaskBytes = 4 << 20
    static let maxImages = 16

    /// The headers of this file's form part, named `name`.
    func headers(named name: String) -> [(String, String)] {
        Self.headers(named: name, fileName: fileName, mediaType: mediaType)
    }

    /// The headers of a form part named `name` carrying the file `fileName` of type `mediaType`.
    static func headers(named name: String, fileName: String, mediaType: String) -> [(String, String)] {
        let quoted = fileName.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\r", with: "")
            .replacingOccurrences(of: "\n", with: "")
        return [
            ("Content-Disposition", "form-data; name=\"\(name)\"; filename=\"\(quoted)\""), ("Content-Type", mediaType),
        ]
    }

    /// Checks the images and mask of `request`, refusing what the API would refuse: other formats
    /// than PNG, JPEG and WebP, files over 50 MB, more than 16 images, and a mask that is not a PNG
    /// with alpha under 4 MB the size of the first image. Only headers are read; a drawn mask is
    /// painted here.
    static func check(_ request: ImageRequest) throws -> (images: [InputUpload], mask: InputUpload?) {
        guard !request.images.isEmpty else { throw refusal("an \(request.endpoint.rawValue) request needs an image") }
        guard request.images.count <= maxImages else {
            throw refusal("\(request.images.count) images given; the API takes at most \(maxImages)")
        }
        let images = try request.images.map { try inspect($0, limit: maxImageBytes) }
        let first = images[0].info
        var mask: InputUpload?
        switch request.mask {
        case nil:
            break
        case .image(let file):
            let upload = try inspect(file, limit: maxMaskBytes)
            guard upload.info.format == "png", upload.info.hasAlpha else {
                throw refusal("the mask \(file.path) must be a PNG with an alpha channel")
            }
            guard (upload.info.width, upload.info.height) == (first.width, first.height) else {
                throw refusal(
                    "the mask \(file.path) is \(upload.info.width)x\(upload.info.height), the image"
                        + " \(first.width)x\(first.height); they must match"
                )
            }
            mask = upload
        case .rectangle, .ellipse:
            let png = try drawnMask(request.mask!, width: first.width, height: first.height)
            let info = ImageInfo(width: first.width, height: first.height, format: "png", hasAlpha: true)
            mask = InputUpload(
                fileName: "mask.png",
                mediaType: "image/png",
                content: .bytes(ByteBuffer(data: png)),
                info: info
            )
        }
        return (images, mask)
    }

    /// The upload of `file`: its size, and its header as libvips reads it (no pixels decoded).
    private static func inspect(_ file: InputImage, limit: Int) throws -> InputUpload {
        let size: Int
        switch BoundedRead.head(at: file.url.path, count: 0) {
        case .success(let found): size = found.size
        case .failure(let problem): throw refusal("cannot read \(file.path): it \(problem.reason)")
        }
        guard size <= limit else {
            throw refusal("\(file.path) is \(size >> 20) MB; the API takes at most \(limit >> 20) MB")
        }
        guard let info = try? ImageInfo.read(contentsOf: file.url.path),
            let format = ImageFormat(rawValue: info.format)
        else { throw refusal("\(file.path) is not a PNG, JPEG or WebP image") }
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        return InputUpload(
            fileName: name,
            mediaType: format.mediaType,
            content: .file(file.url, size: size),
            info: info
        )
    }

    /// Paints a mask given as a shape, the size of the first image.
    static func drawnMask(_ mask: Mask, width: Int, height: Int) throws -> Data {
        do {
            switch mask {
            case .rectangle(let rect):
                return try MaskMaker.rectangleMask(
                    width: width,
                    height: height,
                    rect: (rect.x, rect.y, rect.width, rect.height)
                )
            case .ellipse(let shape):
                return try MaskMaker.ellipseMask(
                    width: width,
                    height: height,
                    ellipse: (shape.centerX, shape.centerY, shape.radiusX, shape.radiusY)
                )
            case .image(let file):
                return try Data(contentsOf: file.url)
            }
        } catch {
            throw refusal("cannot draw the mask: \(error)")
        }
    }

    private static func refusal(_ message: String) -> APIError {
        APIError(kind: .invalidInput, message: message)
    }
}
