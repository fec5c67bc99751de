import Foundation
import Testing

@testable import EaselKit

extension ImagingTests {
    @Suite struct PlaceholderRendererTests {
        static let prompt = "DS-1 Death Star hanging in the sky above a Carpathian village at golden hour."

        @Test(arguments: [(256, 256), (1024, 1024), (3840, 2160), (1024, 3072), (3072, 1024)])
        func placeholderHasExactlyTheRequestedSize(width: Int, height: Int) async throws {
            let png = try await PlaceholderRenderer().render(
                prompt: Self.prompt,
                width: width,
                height: height,
                key: ImagingTests.key("3fa9")
            )
            #expect(
                try ImageInfo.read(data: png) == ImageInfo(width: width, height: height, format: "png", hasAlpha: false)
            )
        }

        @Test func bytesArePNG() throws {
            let png = try PlaceholderRenderer.renderSync(prompt: Self.prompt, width: 512, height: 512, key: "c0ffee")
            #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(try ImageInfo.read(data: png).format == "png")
        }

        @Test func differentKeysGiveDifferentCornerColours() throws {
            let red = try PlaceholderRenderer.renderSync(
                prompt: Self.prompt,
                width: 256,
                height: 256,
                key: ImagingTests.key("00")
            )
            let cyan = try PlaceholderRenderer.renderSync(
                prompt: Self.prompt,
                width: 256,
                height: 256,
                key: ImagingTests.key("80")
            )
            let redCorner = try Vips.pixel(of: red, x: 0, y: 0)
            let cyanCorner = try Vips.pixel(of: cyan, x: 0, y: 0)
            #expect(redCorner != cyanCorner)
            #expect(redCorner == PlaceholderStyle(key: ImagingTests.key("00"), width: 256, height: 256).stripe)
            #expect(cyanCorner == PlaceholderStyle(key: ImagingTests.key("80"), width: 256, height: 256).stripe)
        }

        @Test func theSameKeyGivesTheSameImage() throws {
            let key = ImagingTests.key("5eed")
            let first = try PlaceholderRenderer.renderSync(prompt: Self.prompt, width: 320, height: 240, key: key)
            let second = try PlaceholderRenderer.renderSync(prompt: Self.prompt, width: 320, height: 240, key: key)
            #expect(first == second)
        }

        @Test func theTextIsDrawnOnThePanel() throws {
            let key = ImagingTests.key("77")
            let style = PlaceholderStyle(key: key, width: 1024, height: 1024)
            let empty = try PlaceholderRenderer.renderSync(prompt: "", width: 1024, height: 1024, key: key)
            let long = try PlaceholderRenderer.renderSync(
                prompt: String(repeating: "A very <long> & winding prompt. ", count: 2_000),
                width: 1024,
                height: 1024,
                key: key
            )
            // Just inside the panel's corner is bare panel; the prompt changes the picture; neither throws.
            #expect(try Vips.pixel(of: empty, x: style.border + 2, y: style.border + 2) == style.panel)
            #expect(empty != long)
        }

        @Test(arguments: [(0, 100), (100, 15), (20_000, 100)])
        func anUnusableSizeThrows(width: Int, height: Int) {
            #expect(throws: ImagingError.self) {
                try PlaceholderRenderer.renderSync(prompt: "x", width: width, height: height, key: "ab")
            }
        }

        @Test func longPromptsAreCutWithAnEllipsisAtAWord() {
            let cut = PlaceholderText.truncated("golden hour over the Carpathian village", to: 20)
            #expect(cut == "golden hour over…")
            #expect(PlaceholderText.truncated("short", to: 20) == "short")
        }

        @Test func controlCharactersAreDroppedAndMarkupIsNotInterpreted() throws {
            let prompt = "bell\u{7} and \u{1}start\r\nnext line\ttab </span> &amp;"
            #expect(PlaceholderText.collapsed(prompt) == "bell and start next line tab </span> &amp;")
            let png = try PlaceholderRenderer.renderSync(prompt: prompt, width: 256, height: 256, key: "ab")
            #expect(try ImageInfo.read(data: png).width == 256)
        }

        @Test func markupCharactersAreEscaped() {
            #expect(PlaceholderText.markupEscaped("a <b> & c") == "a &lt;b&gt; &amp; c")
        }
    }
}
