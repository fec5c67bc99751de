internal import CVips
import Foundation

/// The process-wide libvips state: start-up and the error buffer.
///
/// libvips keeps global state (its type system, caches, the error buffer), so it is started once per
/// process through a lazily initialised `static let`, which Swift guarantees runs exactly once even when
/// several threads reach it together.
enum Vips {
    /// Whether `vips_init` succeeded; ``Vips/Image`` checks it before it loads or creates an image.
    static let isStarted: Bool = vips_init(CommandLine.arguments.first ?? "easel") == 0

    /// Takes the text of libvips's error buffer, leaving the buffer empty.
    ///
    /// The buffer is process-wide. `vips_error_buffer_copy` copies and clears it under libvips's own
    /// lock, so concurrent failures cannot swap or mix their messages the way `vips_error_buffer` followed
    /// by `vips_error_clear` can.
    /// - Returns: The messages joined into one line, or a generic text when the buffer was empty.
    static func takeError() -> String {
        guard let copy = vips_error_buffer_copy() else { return "unknown libvips error" }
        defer { g_free(copy) }
        let lines = String(cString: copy).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return lines.isEmpty ? "unknown libvips error" : lines.joined(separator: "; ")
    }
}
