internal import CVips
internal import CVipsLoader
import Foundation

extension Vips {
    /// One libvips image, owned: the only place in Easel that holds a `VipsImage` pointer.
    ///
    /// libvips images are lazy: an operation returns a new image whose pixels are computed from its inputs only
    /// when a saver or a reader asks for them. So every operation here returns a new ``Image`` that keeps the
    /// images it was made from alive, as libvips's own references do. Its reference is released in `deinit`.
    ///
    /// Failures throw ``ImagingError`` with libvips's reason. It names what the image was read from or what was
    /// being made, as given when the first image of the pipeline was created; derived images inherit it.
    ///
    /// - Warning: Not `Sendable`: use an image on one thread at a time, since the draw methods change it in place.
    final class Image {
        private let pointer: UnsafeMutablePointer<VipsImage>
        // The images this one computes its pixels from, kept alive and never read. libvips holds its own
        // references to them, but with these the lifetimes are right without relying on how it does so.
        private let sources: [Image]
        private let subject: Subject
        // Only an image that copyMemory() made is drawn on: no other code, nor libvips's cache, holds it.
        private let isDrawable: Bool

        private init(
            _ pointer: UnsafeMutablePointer<VipsImage>,
            sources: [Image],
            subject: Subject,
            isDrawable: Bool = false
        ) {
            self.pointer = pointer
            self.sources = sources
            self.subject = subject
            self.isDrawable = isDrawable
        }

        deinit {
            cvips_unref(pointer)
        }

        /// What a failure names: the file or bytes an image was read from, or the image being made.
        private enum Subject {
            case read(String)
            case made(String)

            func error(_ message: String) -> ImagingError {
                switch self {
                case .read(let path): ImagingError(path: path, message: message)
                case .made(let name): ImagingError.cannotMake(name, message: message)
                }
            }
        }

        /// How the pixels of an image loaded from memory are read.
        enum Access {
            /// Top to bottom, once: enough for the header, a saver, or a pipeline that reads each line once.
            case sequential
            /// Anywhere, e.g. for ``getpoint(x:y:)``; libvips decodes the whole image on first use.
            case random
        }
    }
}

// MARK: - Loading and creating

extension Vips.Image {
    /// Opens the image file at `path`, reading only its header until pixels are asked for, then streaming it.
    /// - Throws: ``ImagingError`` naming `path` when the file is missing, unreadable or not an image.
    convenience init(contentsOf path: String) throws {
        let subject = Subject.read(path)
        try Self.start(subject)
        guard let image = cvips_new_from_file_sequential(path) else { throw subject.error(Vips.takeError()) }
        self.init(image, sources: [], subject: subject)
    }

    /// Loads the encoded image (PNG, JPEG, WebP, …) in `data`, reading only its header until pixels are asked for.
    ///
    /// libvips reads the bytes lazily and keeps no copy, so the image loads from a copy that libvips frees when it
    /// closes the image (see the shim): `data` can go as soon as this returns.
    /// - Parameters:
    ///   - data: The encoded image.
    ///   - label: What to call the bytes in an error message.
    ///   - access: How the pixels will be read.
    /// - Throws: ``ImagingError`` naming `label` when the bytes are empty or not an image libvips can load.
    convenience init(data: Data, label: String, access: Access) throws {
        let subject = Subject.read(label)
        try Self.start(subject)
        let image = try data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { throw subject.error("no bytes") }
            let mode = access == .sequential ? VIPS_ACCESS_SEQUENTIAL : VIPS_ACCESS_RANDOM
            guard let image = cvips_new_from_buffer_copy(base, bytes.count, mode) else {
                throw subject.error(Vips.takeError())
            }
            return image
        }
        self.init(image, sources: [], subject: subject)
    }

    /// The image in the file at `path` scaled to fit `width`×`height`, never enlarged, shrunk on load where the
    /// format allows (JPEG, WebP). The pixels stay in the source's colour space: see ``iccToSRGB()``.
    /// - Throws: ``ImagingError`` naming `path` when the file cannot be read.
    static func thumbnailDown(file path: String, width: Int, height: Int) throws -> Vips.Image {
        let subject = Subject.read(path)
        try start(subject)
        var out: UnsafeMutablePointer<VipsImage>?
        guard cvips_thumbnail_down(path, &out, Int32(width), Int32(height)) == 0, let out else {
            throw subject.error(Vips.takeError())
        }
        return Vips.Image(out, sources: [], subject: subject)
    }

    /// A uchar image of `width`×`height` with `bands` bands, all 0.
    /// - Parameter name: What is being made, for error messages, e.g. `mask 1024×1024`.
    static func black(width: Int, height: Int, bands: Int, making name: String) throws -> Vips.Image {
        try made(name) { cvips_black(&$0, Int32(width), Int32(height), Int32(bands)) }
    }

    /// A two-band uint image of `width`×`height` whose pixel (x, y) holds the values x and y.
    /// - Parameter name: What is being made, for error messages.
    static func xyz(width: Int, height: Int, making name: String) throws -> Vips.Image {
        try made(name) { cvips_xyz(&$0, Int32(width), Int32(height)) }
    }

    /// Pango `markup` set in `font`, centred, wrapped at `width` pixels, as a one-band uchar mask (255 = ink).
    /// - Parameter name: What is being made, for error messages.
    static func text(_ markup: String, font: String, width: Int, dpi: Int, making name: String) throws -> Vips.Image {
        try made(name) { cvips_text(&$0, markup, font, Int32(width), Int32(dpi), VIPS_ALIGN_CENTRE) }
    }

    private static func made(
        _ name: String,
        _ create: (inout UnsafeMutablePointer<VipsImage>?) -> Int32
    ) throws -> Vips.Image {
        let subject = Subject.made(name)
        try start(subject)
        var out: UnsafeMutablePointer<VipsImage>?
        guard create(&out) == 0, let out else { throw subject.error(Vips.takeError()) }
        return Vips.Image(out, sources: [], subject: subject)
    }

    private static func start(_ subject: Subject) throws {
        if let failure = Vips.startFailure { throw subject.error(failure) }
    }
}

// MARK: - Operations

extension Vips.Image {
    /// A band format to ``cast(_:)`` to.
    enum BandFormat {
        /// 64-bit float, for arithmetic that must stay exact.
        case double
    }

    /// The mean of the bands, as one band.
    func bandmean() throws -> Vips.Image { try derived { cvips_bandmean(pointer, &$0) } }

    /// Each value modulo `divisor`.
    func remainder(_ divisor: Double) throws -> Vips.Image {
        try derived { cvips_remainder_const1(pointer, &$0, divisor) }
    }

    /// 255 where the value is less than `value`, 0 elsewhere.
    func less(_ value: Double) throws -> Vips.Image { try derived { cvips_less_const1(pointer, &$0, value) } }

    /// 255 where the value is more than `value`, 0 elsewhere.
    func more(_ value: Double) throws -> Vips.Image { try derived { cvips_more_const1(pointer, &$0, value) } }

    /// `self × a + b` per band, in float (double for a double image).
    func linear(_ a: [Double], _ b: [Double]) throws -> Vips.Image {
        precondition(a.count == b.count, "linear needs as many offsets as factors")
        return try derived { cvips_linear(pointer, &$0, a, b, Int32(a.count)) }
    }

    /// `self × a + b` cast back to uchar. With one band and n factors the result has n bands: a 0/255 mask
    /// becomes a two-colour image.
    func linearUChar(_ a: [Double], _ b: [Double]) throws -> Vips.Image {
        precondition(a.count == b.count, "linear needs as many offsets as factors")
        return try derived { cvips_linear_uchar(pointer, &$0, a, b, Int32(a.count)) }
    }

    /// Pixel by pixel, band by band; the format follows libvips's promotion rules.
    func multiply(_ other: Vips.Image) throws -> Vips.Image {
        try derived(alsoFrom: other) { cvips_multiply(pointer, other.pointer, &$0) }
    }

    /// The values converted to `format`.
    func cast(_ format: BandFormat) throws -> Vips.Image {
        let vipsFormat =
            switch format {
            case .double: VIPS_FORMAT_DOUBLE
            }
        return try derived { cvips_cast(pointer, &$0, vipsFormat) }
    }

    /// The same pixels tagged sRGB, so savers write 3 or 4 bands as RGB(A).
    func copySRGB() throws -> Vips.Image { try derived { cvips_copy_srgb(pointer, &$0) } }

    /// The pixels computed once into memory: to draw on, or to read several times without running the
    /// pipeline (and reading its file) again.
    func copyMemory() throws -> Vips.Image {
        guard let copy = cvips_image_copy_memory(pointer) else { throw subject.error(Vips.takeError()) }
        return Vips.Image(copy, sources: [self], subject: subject, isDrawable: true)
    }

    /// From the embedded ICC profile to 8-bit sRGB. Only for an image that has one (``hasField(_:)``
    /// `icc-profile-data`): without it, libvips's fallback through XYZ shifts colours by several levels.
    func iccToSRGB() throws -> Vips.Image { try derived { cvips_icc_to_srgb(pointer, &$0) } }

    /// Scaled to fit `width`×`height`, never enlarged; for a smaller thumbnail of one already in memory.
    func thumbnailDown(width: Int, height: Int) throws -> Vips.Image {
        try derived { cvips_thumbnail_image_down(pointer, &$0, Int32(width), Int32(height)) }
    }

    /// This image placed at (`x`, `y`) on a `width`×`height` canvas that is `background` (one value per band)
    /// elsewhere.
    func embed(x: Int, y: Int, width: Int, height: Int, background: [Double]) throws -> Vips.Image {
        let (left, top, size) = (Int32(x), Int32(y), (Int32(width), Int32(height)))
        let count = Int32(background.count)
        return try derived { cvips_embed_background(pointer, &$0, left, top, size.0, size.1, background, count) }
    }

    /// Fills the rectangle with `ink`, one value per band, in place.
    ///
    /// Only on an image from ``copyMemory()`` (checked): libvips may hand the same result of an operation to
    /// several callers (its operation cache), so drawing on any other image could change theirs.
    func drawRect(ink: [Double], x: Int, y: Int, width: Int, height: Int) throws {
        precondition(isDrawable, "draw only on an image from copyMemory()")
        var ink = ink
        let size = (Int32(width), Int32(height))
        guard cvips_draw_rect(pointer, &ink, Int32(ink.count), Int32(x), Int32(y), size.0, size.1) == 0 else {
            throw subject.error(Vips.takeError())
        }
    }

    /// Blends `ink` in through the one-band uchar `mask` placed at (`x`, `y`), in place; like
    /// ``drawRect(ink:x:y:width:height:)``, only on an image from ``copyMemory()``.
    func drawMask(ink: [Double], mask: Vips.Image, x: Int, y: Int) throws {
        precondition(isDrawable, "draw only on an image from copyMemory()")
        // vips_draw_mask turns a lazy mask into a memory image in place (vips_image_wio_input), which libvips
        // documents as unsafe for an image another thread may hold, and the operation cache gives every thread
        // that renders the same text the same vips_text image. Placeholders drawn in parallel hit it: "rewinding
        // image with active regions", then a libvips worker calling a null generate function. A copy is private.
        let mask = try mask.copyMemory()
        var ink = ink
        guard cvips_draw_mask(pointer, &ink, Int32(ink.count), mask.pointer, Int32(x), Int32(y)) == 0 else {
            throw subject.error(Vips.takeError())
        }
    }

    /// The image that `make` writes to its argument, made from this one (and `other`).
    private func derived(
        alsoFrom other: Vips.Image? = nil,
        _ make: (inout UnsafeMutablePointer<VipsImage>?) -> Int32
    ) throws -> Vips.Image {
        var out: UnsafeMutablePointer<VipsImage>?
        guard make(&out) == 0, let out else { throw subject.error(Vips.takeError()) }
        return Vips.Image(out, sources: other.map { [self, $0] } ?? [self], subject: subject)
    }
}

// MARK: - Reading

extension Vips.Image {
    /// Width in pixels.
    var width: Int { Int(cvips_image_get_width(pointer)) }

    /// Height in pixels.
    var height: Int { Int(cvips_image_get_height(pointer)) }

    /// Whether the image has an alpha band.
    var hasAlpha: Bool { cvips_image_hasalpha(pointer) != 0 }

    /// The loader that read the image, e.g. `pngload` or `jpegload_buffer`; nil for an image made in memory.
    var loader: String? {
        var name: UnsafePointer<CChar>?
        // The string belongs to the image's metadata: copy it, never free it.
        guard cvips_image_get_string(pointer, "vips-loader", &name) == 0, let name else { return nil }
        return String(cString: name)
    }

    /// The names of the metadata fields, e.g. `xmp-data`.
    var fieldNames: [String] {
        guard let names = cvips_image_get_fields(pointer) else { return [] }
        defer { cvips_strfreev(names) }
        var fields: [String] = []
        var index = 0
        while let name = names[index] {
            fields.append(String(cString: name))
            index += 1
        }
        return fields
    }

    /// Whether the image has the metadata field `name`, e.g. `icc-profile-data`.
    func hasField(_ name: String) -> Bool { cvips_image_has_field(pointer, name) != 0 }

    /// The metadata field `name` as text, or nil when the image has none.
    func string(_ name: String) -> String? {
        guard hasField(name) else { return nil }
        var text: UnsafeMutablePointer<CChar>?
        guard cvips_image_get_as_string(pointer, name, &text) == 0, let text else { return nil }
        defer { cvips_g_free(text) }
        return String(cString: text)
    }

    /// The binary metadata field `name`, or nil when the image has none.
    func blob(_ name: String) -> Data? {
        guard hasField(name) else { return nil }
        var blob: UnsafeRawPointer?
        var length = 0
        // The blob belongs to the image: copy it, never free it.
        guard cvips_image_get_blob(pointer, name, &blob, &length) == 0, let blob else { return nil }
        return Data(bytes: blob, count: length)
    }

    /// The band values of the pixel at (`x`, `y`); needs ``Access/random`` for an image loaded from memory.
    func getpoint(x: Int, y: Int) throws -> [Double] {
        var vector: UnsafeMutablePointer<Double>?
        var count: Int32 = 0
        guard cvips_getpoint(pointer, &vector, &count, Int32(x), Int32(y)) == 0, let vector else {
            throw subject.error(Vips.takeError())
        }
        defer { cvips_g_free(vector) }
        return Array(UnsafeBufferPointer(start: vector, count: Int(count)))
    }

    /// Every pixel: rows top to bottom, band values interleaved.
    func writeToMemory() throws -> Data {
        var length = 0
        guard let memory = cvips_image_write_to_memory(pointer, &length) else { throw subject.error(Vips.takeError()) }
        defer { cvips_g_free(memory) }
        return Data(bytes: memory, count: length)
    }
}

// MARK: - Saving

extension Vips.Image {
    /// PNG at zlib level `compression` (0–9).
    func pngData(compression: Int) throws -> Data {
        try saved { cvips_pngsave_buffer(pointer, &$0, &$1, Int32(compression)) }
    }

    /// JPEG at `quality` (1–100). libvips writes no JFIF `APP0`, and an Exif `APP1` unless `strip` is set.
    func jpegData(quality: Int, strip: Bool) throws -> Data {
        try saved { cvips_jpegsave_buffer(pointer, &$0, &$1, Int32(quality), strip ? 1 : 0) }
    }

    /// WebP, lossy at `quality` (1–100) or lossless. libvips 8.14 always writes `VP8X` with an `EXIF` chunk.
    func webpData(quality: Int, lossless: Bool) throws -> Data {
        try saved { cvips_webpsave_buffer(pointer, &$0, &$1, Int32(quality), lossless ? 1 : 0) }
    }

    /// Lossy WebP at `quality` (1–100) with libwebp's `effort` (0 fastest to 6 smallest). libvips 8.14.1 ignores
    /// `strip` for WebP and still writes ICC, XMP and a made-up `EXIF` chunk: drop them from the result yourself.
    func webpData(quality: Int, effort: Int, strip: Bool) throws -> Data {
        try saved {
            cvips_webpsave_buffer_effort(pointer, &$0, &$1, Int32(quality), Int32(effort), strip ? 1 : 0)
        }
    }

    /// The bytes a libvips saver wrote to a `g_malloc`'d buffer, which this frees.
    private func saved(_ save: (inout UnsafeMutableRawPointer?, inout Int) -> Int32) throws -> Data {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        guard save(&buffer, &length) == 0, let buffer else { throw subject.error(Vips.takeError()) }
        defer { cvips_g_free(buffer) }
        return Data(bytes: buffer, count: length)
    }
}
