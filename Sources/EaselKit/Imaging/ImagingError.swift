import Foundation

/// A failure to read, make or encode an image with libvips.
///
/// The description is one line that names the file (or the image being made) and carries libvips's own
/// reason, e.g. `cannot read image inputs/x.png: VipsForeignLoad: "inputs/x.png" is not a known file format`.
package struct ImagingError: Error, CustomStringConvertible, LocalizedError, Equatable, Sendable {
    /// The file that failed, or a short name for an image made in memory.
    package var path: String
    /// What went wrong, on one line: libvips's error buffer or our own validation message.
    package var message: String
    private var operation: Operation

    /// Creates an error for an image that could not be read.
    /// - Parameters:
    ///   - path: The file, or a label for bytes held in memory.
    ///   - message: The reason, on one line.
    package init(path: String, message: String) {
        self.init(operation: .read, path: path, message: message)
    }

    private init(operation: Operation, path: String, message: String) {
        self.operation = operation
        self.path = path
        self.message = ImagingError.oneLine(message)
    }

    /// An image that Easel was making (a mask, a placeholder) could not be made or encoded.
    /// - Parameters:
    ///   - name: What was being made, e.g. `mask 1024×1024` or `placeholder for key 3fa9…`.
    ///   - message: The reason, on one line.
    package static func cannotMake(_ name: String, message: String) -> ImagingError {
        ImagingError(operation: .make, path: name, message: message)
    }

    /// `cannot read image PATH: MESSAGE` or `cannot make NAME: MESSAGE`.
    package var description: String {
        switch operation {
        case .read: "cannot read image \(path): \(message)"
        case .make: "cannot make \(path): \(message)"
        }
    }

    /// The same text as ``description``, for Foundation's error reporting.
    package var errorDescription: String? { description }

    // Kept private so that adding an operation later changes no caller (STYLE §2.1 rule 13).
    private enum Operation: Sendable, Equatable {
        case read
        case make
    }

    private static func oneLine(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
