import Foundation
import Testing

@testable import EaselKit

extension ImagingTests {
    @Suite struct ImageInfoTests {
        @Test func readsSizeFormatAndAlphaFromAPNGFile() throws {
            let png = try MaskMaker.rectangleMask(width: 320, height: 200, rect: (x: 10, y: 10, width: 20, height: 20))
            try ImagingTests.withTemporaryDirectory { folder in
                let path = folder.appendingPathComponent("mask.png").path
                try png.write(to: URL(fileURLWithPath: path))
                let info = try ImageInfo.read(contentsOf: path)
                #expect(info == ImageInfo(width: 320, height: 200, format: "png", hasAlpha: true))
            }
        }

        @Test func readsSizeFormatAndAlphaFromBytes() throws {
            let png = try PlaceholderRenderer.renderSync(prompt: "a test", width: 300, height: 500, key: "ab12")
            let info = try ImageInfo.read(data: png)
            #expect(info == ImageInfo(width: 300, height: 500, format: "png", hasAlpha: false))
        }

        @Test func aFileThatIsNotAnImageIsAnErrorNamingThePath() throws {
            try ImagingTests.withTemporaryDirectory { folder in
                let path = folder.appendingPathComponent("notes.png").path
                try Data("this is not a picture\n".utf8).write(to: URL(fileURLWithPath: path))
                let error = try #require(throws: ImagingError.self) { try ImageInfo.read(contentsOf: path) }
                #expect(error.path == path)
                #expect(error.description.hasPrefix("cannot read image \(path): "))
                #expect(!error.message.isEmpty)
                #expect(!error.description.contains("\n"))
            }
        }

        @Test func aMissingFileIsAnErrorNamingThePath() throws {
            try ImagingTests.withTemporaryDirectory { folder in
                let path = folder.appendingPathComponent("missing.png").path
                let error = try #require(throws: ImagingError.self) { try ImageInfo.read(contentsOf: path) }
                #expect(error.path == path)
                #expect(error.errorDescription == error.description)
            }
        }

        @Test func bytesThatAreNotAnImageAreAnErrorNamingTheLabel() throws {
            let error = try #require(throws: ImagingError.self) {
                try ImageInfo.read(data: Data("<html>rate limited</html>".utf8), label: "response of req_42")
            }
            #expect(error.path == "response of req_42")
            #expect(error.description.hasPrefix("cannot read image response of req_42: "))
        }

        @Test func noBytesAreAnError() throws {
            #expect(throws: ImagingError(path: "image data", message: "no bytes")) { try ImageInfo.read(data: Data()) }
        }

        @Test(arguments: [
            ("pngload", "png"), ("jpegload_buffer", "jpeg"), ("webpload_source", "webp"), ("gifload", "gif"),
            ("heifload_file", "heif"),
        ])
        func formatIsNamedAfterTheLoader(loader: String, format: String) {
            #expect(ImageInfo.format(loader: loader) == format)
        }
    }
}
