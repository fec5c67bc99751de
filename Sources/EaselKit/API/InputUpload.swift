import Foundation
import MultipartKit
import NIOHTTP1

/// An image file to upload, read and checked (API reference §3, §11).
struct InputUpload: Sendable {
    var fileName: String
    var mediaType: String
    var data: Data
    var info: ImageInfo

    static let maxImageBytes = 50 << 20
    static let maxMaskBytes = 4 << 20
    static let maxImages = 16

    /// The form part for this file.
    func part(named name: String) -> MultipartPart {
        let quoted = fileName.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\r", with: "")
            .replacingOccurrences(of: "\n", with: "")
        return MultipartPart(
            headers: [
                "Content-Disposition": "form-data; name=\"\(name)\"; filename=\"\(quoted)\"",
                "Content-Type": mediaType,
            ],
            body: data
        )
    }

    /// Reads the images and mask of `request`, refusing what the API would refuse: other formats
    /// than PNG, JPEG and WebP, files over 50 MB, more than 16 images, and a mask that is not a PNG
    /// with alpha under 4 MB the size of the first image. A drawn mask is painted here.
    static func check(_ request: ImageRequest) throws -> (images: [InputUpload], mask: InputUpload?) {
        guard !request.images.isEmpty else { throw refusal("an \(request.endpoint.rawValue) request needs an image") }
        guard request.images.count <= maxImages else {
            throw refusal("\(request.images.count) images given; the API takes at most \(maxImages)")
        }
        let images = try request.images.map { try read($0, limit: maxImageBytes) }
        let first = images[0].info
        var mask: InputUpload?
        switch request.mask {
        case nil:
            break
        case .image(let file):
            let upload = try read(file, limit: maxMaskBytes)
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
            mask = InputUpload(fileName: "mask.png", mediaType: "image/png", data: png, info: info)
        }
        return (images, mask)
    }

    private static func read(_ file: InputImage, limit: Int) throws -> InputUpload {
        let data: Data
        do {
            data = try Data(contentsOf: file.url)
        } catch {
            throw refusal("cannot read \(file.path): \(FileSystem.reason(of: error))")
        }
        guard data.count <= limit else {
            throw refusal("\(file.path) is \(data.count >> 20) MB; the API takes at most \(limit >> 20) MB")
        }
        guard let info = try? ImageInfo.read(data: data, label: file.path),
            let mediaType = ["png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"][info.format]
        else { throw refusal("\(file.path) is not a PNG, JPEG or WebP image") }
        let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
        return InputUpload(fileName: name, mediaType: mediaType, data: data, info: info)
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
