internal import CVipsLoader
import Foundation

/// The process-wide libvips state: loading, start-up and the error buffer.
///
/// libvips is not linked: ``start`` opens it with `dlopen` the first time an image is made (see
/// `cvips_loader.h`), so a build that makes no thumbnail or placeholder never loads its hundred-odd
/// libraries. libvips keeps global state (its type system, caches, the error buffer), so it is started once
/// per process through a lazily initialised `static let`, which Swift guarantees runs exactly once even when
/// several threads reach it together.
enum Vips {
    /// Why libvips could not be used, or nil once it has been loaded and started.
    static let startFailure: String? = {
        var reason = [CChar](repeating: 0, count: 512)
        guard cvips_start(CommandLine.arguments.first ?? "easel", &reason, reason.count) != 0 else { return nil }
        return String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Whether libvips has been loaded and started; ``Vips/Image`` checks it before it loads or creates an
    /// image. Reading it loads libvips.
    static var isStarted: Bool { startFailure == nil }

    /// Takes the text of libvips's error buffer, leaving the buffer empty.
    ///
    /// The buffer is process-wide. `vips_error_buffer_copy` copies and clears it under libvips's own
    /// lock, so concurrent failures cannot swap or mix their messages the way `vips_error_buffer` followed
    /// by `vips_error_clear` can.
    /// - Returns: The messages joined into one line, or a generic text when the buffer was empty.
    static func takeError() -> String {
        guard let copy = cvips_error_buffer_copy() else { return "unknown libvips error" }
        defer { cvips_g_free(copy) }
        let lines = String(cString: copy).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return lines.isEmpty ? "unknown libvips error" : lines.joined(separator: "; ")
    }
}
