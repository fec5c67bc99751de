package import Foundation

/// What an image says about where it came from.
///
/// The site's copy of every original image carries its provenance in its own metadata, so an image found
/// alone still names its prompt and settings. ``embed(into:format:label:)`` inserts it at the container
/// level, next to the encoded pixels, which it never touches: a JPEG or lossy WebP keeps its exact bytes of
/// image data, and the result differs from the input only by the metadata chunks or segments.
///
/// - PNG: an `iTXt` chunk `easel` holding a JSON object (`title`, `prompt`, then each setting), and an `iTXt`
///   chunk `XML:com.adobe.xmp` holding the XMP packet, both right after `IHDR`.
/// - JPEG: an XMP `APP1` segment after `SOI` (and after a leading JFIF `APP0` or Exif `APP1`).
/// - WebP: an `XMP ` chunk, converting a simple file to the extended format (`VP8X`) when needed.
///
/// Embedding replaces what an earlier embedding wrote, so embedding twice gives the bytes of embedding once.
package struct Provenance: Sendable, Equatable {
    /// One setting, e.g. `model` = `gpt-image-2`.
    package struct Setting: Sendable, Equatable {
        /// The setting's name. It is an XMP property name too (`easel:KEY`), so it should be an XML name:
        /// ASCII letters, digits, `_`, `-` and `.`, not starting with a digit, `-` or `.`.
        package var key: String
        /// The setting's value, always text (`1024x1024`, `2026-11-25T09:14:00Z`).
        package var value: String

        /// Creates a setting.
        package init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The image's title, e.g. the prompt file's heading.
    package var title: String
    /// The prompt text that was sent.
    package var prompt: String
    /// Settings in display order, e.g. `model`, `size`, `quality`, `created`, `prompt_file`, `cache_key`.
    ///
    /// Keys named `title` or `prompt`, and keys that are not XML names, are left out of what is embedded.
    package var settings: [Setting]

    /// Every part, each preceded by its length in UTF-8 bytes: two provenances have the same
    /// fingerprint exactly when they are equal. A published original's name carries its hash.
    package var fingerprint: String {
        var text = ""
        for part in [title, prompt] + settings.flatMap({ [$0.key, $0.value] }) {
            text += "\(part.utf8.count):\(part)"
        }
        return text
    }

    /// Creates a provenance from its parts.
    /// - Parameters:
    ///   - title: The image's title.
    ///   - prompt: The prompt text.
    ///   - settings: Settings in display order.
    package init(title: String, prompt: String, settings: [Setting]) {
        self.title = title
        self.prompt = prompt
        self.settings = settings
    }

    /// Creates a provenance from a literal list of settings, kept in the order written:
    /// `Provenance(title: t, prompt: p, settings: ["model": "gpt-image-2", "size": "1024x1024"])`.
    package init(title: String, prompt: String, settings: KeyValuePairs<String, String>) {
        self.init(title: title, prompt: prompt, settings: settings.map { Setting(key: $0.key, value: $0.value) })
    }

    /// `data` with this provenance embedded, without re-encoding the image.
    /// - Parameters:
    ///   - data: The encoded image, e.g. the bytes the API returned.
    ///   - format: `png`, `jpeg` or `webp`; for anything else `data` is returned unchanged.
    ///   - label: What to call the bytes in an error message, e.g. the cache file's path.
    /// - Returns: The image with its metadata replaced by this provenance.
    /// - Throws: ``ImagingError`` naming `label` when `data` is not a well-formed file of `format`, or
    ///   (JPEG only) when even an empty prompt would not fit the one segment that XMP may take.
    package func embed(into data: Data, format: String, label: String = "image data") throws -> Data {
        switch format {
        case "png": try embedPNG(into: data, label: label)
        case "jpeg": try embedJPEG(into: data, label: label)
        case "webp": try embedWebP(into: data, label: label)
        default: data
        }
    }

    /// Reads back what ``embed(into:format:label:)`` wrote: the `easel` JSON of a PNG (else its XMP), the
    /// XMP of a JPEG or WebP.
    /// - Parameters:
    ///   - data: The encoded image.
    ///   - format: `png`, `jpeg` or `webp`.
    /// - Returns: The provenance, or nil when the file has none, is malformed, or `format` is another one.
    package static func read(from data: Data, format: String) -> Provenance? {
        switch format {
        case "png": readPNG(from: data)
        case "jpeg": readJPEG(from: data)
        case "webp": readWebP(from: data)
        default: nil
        }
    }

    /// The settings that can be embedded: not shadowing `title` or `prompt`, and usable as XML names.
    var embeddableSettings: [Setting] {
        settings.filter { $0.key != "title" && $0.key != "prompt" && XMPPacket.isXMLName($0.key) }
    }
}

extension Provenance {
    /// The error for bytes that are not a well-formed file of `format`, e.g.
    /// `cannot read image cache/3f/3fa9….png: not a well-formed PNG file: no IEND chunk`.
    static func malformed(_ format: String, label: String, _ reason: String) -> ImagingError {
        ImagingError(path: label, message: "not a well-formed \(format) file: \(reason)")
    }
}
