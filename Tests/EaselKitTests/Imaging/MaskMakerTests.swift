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

        @Test func ellipseMaskHasTheImageSizeAndAnAlphaBand() throws {
            let png = try MaskMaker.ellipseMask(
                width: 1024,
                height: 768,
                ellipse: (centerX: 400, centerY: 300, radiusX: 300, radiusY: 200)
            )
            #expect(try ImageInfo.read(data: png) == ImageInfo(width: 1024, height: 768, format: "png", hasAlpha: true))
        }

        @Test func insideTheEllipseIsTransparentAndOutsideOpaqueBlack() throws {
            let png = try MaskMaker.ellipseMask(
                width: 1024,
                height: 768,
                ellipse: (centerX: 400, centerY: 300, radiusX: 300, radiusY: 200)
            )
            // The centre, the last pixels on each axis, and (189, 157), whose centre gives 0.99999 in the formula.
            let inside = [(400, 300), (399, 299), (100, 300), (699, 300), (400, 100), (400, 499), (189, 157)]
            for (x, y) in inside {
                #expect(try Vips.pixel(of: png, x: x, y: y) == [0, 0, 0, 0], "inside at (\(x), \(y))")
            }
            // One step past each of those edge pixels, (141, 198) at 1.00003, and the corners of the bounding box
            // and of the image.
            let outside = [
                (99, 300), (700, 300), (400, 99), (400, 500), (188, 157), (141, 198),
                (100, 100), (699, 499), (0, 0), (1023, 767), (1023, 0), (0, 767),
            ]
            for (x, y) in outside {
                #expect(try Vips.pixel(of: png, x: x, y: y) == [0, 0, 0, 255], "outside at (\(x), \(y))")
            }
        }

        @Test func aCircleTouchingEveryEdgeIsAllowed() throws {
            let png = try MaskMaker.ellipseMask(
                width: 64,
                height: 64,
                ellipse: (centerX: 32, centerY: 32, radiusX: 32, radiusY: 32)
            )
            // Squared distances from the centre, against r² = 1024: 992.5, 992.5, 1012.5, 1012.5 inside;
            // 1058.5, 1058.5 and the corners outside.
            for (x, y) in [(0, 31), (63, 32), (9, 9), (54, 54), (32, 32)] {
                #expect(try Vips.pixel(of: png, x: x, y: y) == [0, 0, 0, 0], "inside at (\(x), \(y))")
            }
            for (x, y) in [(8, 9), (55, 54), (0, 0), (63, 63), (63, 0), (0, 63)] {
                #expect(try Vips.pixel(of: png, x: x, y: y) == [0, 0, 0, 255], "outside at (\(x), \(y))")
            }
        }

        @Test func everyPixelOfASmallEllipseMaskMatchesTheFormula() throws {
            let (width, height) = (21, 15)
            let (cx, cy, rx, ry) = (11, 7, 9, 6)
            let png = try MaskMaker.ellipseMask(
                width: width,
                height: height,
                ellipse: (centerX: cx, centerY: cy, radiusX: rx, radiusY: ry)
            )
            for y in 0..<height {
                for x in 0..<width {
                    let u = (Double(x) + 0.5 - Double(cx)) / Double(rx)
                    let v = (Double(y) + 0.5 - Double(cy)) / Double(ry)
                    let alpha: Double = u * u + v * v <= 1 ? 0 : 255
                    #expect(try Vips.pixel(of: png, x: x, y: y) == [0, 0, 0, alpha], "at (\(x), \(y))")
                }
            }
        }

        @Test(arguments: [
            (centerX: 32, centerY: 16, radiusX: 0, radiusY: 8),
            (centerX: 32, centerY: 16, radiusX: 8, radiusY: -1),
            (centerX: 7, centerY: 16, radiusX: 8, radiusY: 8),
            (centerX: 32, centerY: 7, radiusX: 8, radiusY: 8),
            (centerX: 57, centerY: 16, radiusX: 8, radiusY: 8),
            (centerX: 32, centerY: 25, radiusX: 8, radiusY: 8),
            (centerX: 32, centerY: 16, radiusX: 33, radiusY: 8),
            (centerX: Int.max, centerY: 16, radiusX: Int.max, radiusY: 8),
            (centerX: Int.min, centerY: 16, radiusX: 8, radiusY: 8),
        ])
        func aBadEllipseThrows(ellipse: (centerX: Int, centerY: Int, radiusX: Int, radiusY: Int)) throws {
            let error = try #require(throws: ImagingError.self) {
                try MaskMaker.ellipseMask(width: 64, height: 32, ellipse: ellipse)
            }
            let text = "[\(ellipse.centerX), \(ellipse.centerY), \(ellipse.radiusX), \(ellipse.radiusY)]"
            #expect(error.description.contains(text))
            #expect(error.description.contains("64×32"))
        }

        @Test func anEllipseMaskOfAZeroSizedImageThrows() {
            #expect(throws: ImagingError.self) {
                try MaskMaker.ellipseMask(
                    width: 10,
                    height: 0,
                    ellipse: (centerX: 1, centerY: 0, radiusX: 1, radiusY: 1)
                )
            }
        }
    }
}
