package import Foundation

/// `easel init` cannot create a project in the folder it was given; nothing was written.
package struct ScaffoldError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    private enum Code: Hashable, Sendable {
        case existingFiles
        case notAFolder
    }

    private var code: Code
    /// The folder the project was to be created in.
    package var folder: String
    /// The paths inside ``folder`` that are already taken, in the order `init` would write them.
    package var existing: [String]

    /// Some of the files `init` writes already exist: it overwrites nothing, so it wrote nothing.
    /// - Parameters:
    ///   - paths: the taken paths, relative to `folder`.
    ///   - folder: the project folder.
    package static func existingFiles(_ paths: [String], in folder: String) -> ScaffoldError {
        ScaffoldError(code: .existingFiles, folder: folder, existing: paths)
    }

    /// The project folder is a file.
    package static func notAFolder(_ folder: String) -> ScaffoldError {
        ScaffoldError(code: .notAFolder, folder: folder, existing: [])
    }

    /// What to do about it, for the line after the list of files.
    package var advice: String {
        switch code {
        case .existingFiles: "nothing was written: remove them or choose another folder"
        case .notAFolder: "choose a folder, or a path where a new folder can be made"
        }
    }

    package var description: String {
        switch code {
        case .existingFiles:
            "\(folder) already has \(existing.joined(separator: ", ")); easel init overwrites nothing, so \(advice)"
        case .notAFolder:
            "\(folder) is a file, not a folder; \(advice)"
        }
    }
    package var errorDescription: String? { description }
}
