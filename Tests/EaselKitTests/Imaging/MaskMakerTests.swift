import Foundation
import Testing

@testable import EaselKit

extension ImagingTests {
    @Suite struct MaskMakerTests {
        @Test func maskHasTheImageSizeAndAnAlphaBand() throws {
            let png = try MaskMaker.rectangleMask(
                width: 1024,
                height: 768,
                rect: (x: 100, y: 50, width: 300, height: 200)
            )
            #expect(try ImageInfo.read(data: png) == ImageInfo(width: 1024, height: 768, format: "png", hasAlpha: true))
        }

        @Test func insideTheRectIsTransparentAndOutsideOpaqueBlack() throws {
            let png = try MaskMaker.rectangleMask(
                width: 1024,
                height: 768,
                rect: (x: 100, y: 50, width: 300, height: 200)
            )
            // The rect's four corner pixels, then their neighbours just outside it, then the image's corners.
            for (x, y) in [(100, 50), (399, 50), (100, 249), (399, 249), (250, 150)] {
                #expect(try Vips.pixel(of: png, x: x, y: y) == [0, 0, 0, 0], "inside at (\(x), \(y))")
            }
            for (x, y) in [(99, 50), (400, 50), (100, 49), (100, 250), (0, 0), (1023, 767), (1023, 0), (0, 767)] {
                #expect(try Vips.pixel(of: png, x: x, y: y) == [0, 0, 0, 255], "outside at (\(x), \(y))")
            }
        }

        @Test func aRectCoveringTheWholeImageIsAllowed() throws {
            let png = try MaskMaker.rectangleMask(width: 64, height: 32, rect: (x: 0, y: 0, width: 64, height: 32))
            #expect(try Vips.pixel(of: png, x: 63, y: 31) == [0, 0, 0, 0])
        }

        @Test(arguments: [
            (x: -1, y: 0, width: 10, height: 10),
            (x: 0, y: -1, width: 10, height: 10),
            (x: 60, y: 0, width: 5, height: 10),
            (x: 0, y: 30, width: 10, height: 3),
            (x: 0, y: 0, width: 0, height: 10),
            (x: 0, y: 0, width: 10, height: -4),
            (x: Int.max, y: 0, width: 10, height: 10),
        ])
        func aRectNotInsideTheImageThrows(rect: (x: Int, y: Int, width: Int, height: Int)) throws {
            let error = try #require(throws: ImagingError.self) {
                try MaskMaker.rectangleMask(width: 64, height: 32, rect: rect)
            }
            #expect(error.description.contains("[\(rect.x), \(rect.y), \(rect.width), \(rect.height)]"))
            #expect(error.description.contains("64×32"))
        }

        @Test func aZeroSizedImageThrows() {
            #expect(throws: ImagingError.self) {
                try MaskMaker.rectangleMask(width: 0, height: 10, rect: (x: 0, y: 0, width: 1, height: 1))
            }
        }
    }
}
