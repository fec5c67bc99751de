import Foundation
import NIOConcurrencyHelpers

/// An input image of the project (an edit's image or mask, a variation's source), looked at once.
struct InputFacts: Sendable {
    var path: String
    var url: URL
    var info: ImageInfo
    var bytes: Int
    var sha256: String

    var asInput: InputImage { InputImage(path: path, url: url, sha256: sha256) }
}

/// Resolves and inspects input images, remembering each file so prompts that share one read it once.
final class InputCatalog: Sendable {
    private let known = NIOLockedValueBox<[String: Result<InputFacts, InputProblem>]>([:])

    init() {}

    /// The image at `written` (a path as the prompt wrote it, relative to the project folder).
    func facts(for written: String, in project: Project) -> Result<InputFacts, InputProblem> {
        if let result = known.withLockedValue({ $0[written] }) { return result }
        let result = Self.inspect(written, in: project)
        known.withLockedValue { $0[written] = result }
        return result
    }

    private static func inspect(_ written: String, in project: Project) -> Result<InputFacts, InputProblem> {
        if written.hasPrefix("/") || written.hasPrefix("~") {
            return .failure(
                .init("'\(written)' is an absolute path; write a path inside the project such as inputs/photo.png")
            )
        }
        let url = project.root.appendingPathComponent(written).standardizedFileURL
        guard let path = project.relativePath(of: url) else {
            return .failure(
                .init("'\(written)' is outside the project; copy the image into the project (e.g. inputs/)")
            )
        }
        // Hidden files (.env, .git/…) are never read, as written or as a link's target.
        guard
            !(written.split(separator: "/") + path.split(separator: "/")).contains(where: {
                $0.hasPrefix(".") && $0 != "." && $0 != ".."
            })
        else {
            return .failure(.init("'\(written)' is a hidden file or inside a hidden folder; Easel never reads those"))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            return .failure(.init("no such file '\(written)'" + siblingHint(for: url, in: project)))
        }
        guard !isDirectory.boolValue else {
            return .failure(.init("'\(written)' is a folder; name an image file inside it"))
        }
        // Read only as a regular file: a FIFO would hold the build for good, a device never end.
        guard FileKind.of(url.resolvingSymlinksInPath().path) == .regularFile else {
            return .failure(.init("'\(written)' is not a regular file (a FIFO, socket or device); name an image file"))
        }
        do {
            let info = try ImageInfo.read(contentsOf: url.path)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            let hash = try CacheKey.sha256(contentsOf: url)
            return .success(InputFacts(path: path, url: url, info: info, bytes: bytes, sha256: hash))
        } catch let error as ImagingError {
            return .failure(.init("'\(written)' is not an image Easel can read (\(error.message))"))
        } catch {
            return .failure(.init("cannot read '\(written)': \(FileSystem.reason(of: error))"))
        }
    }

    /// "; did you mean 'inputs/kolochava.png'?" from the files beside the missing one.
    private static func siblingHint(for url: URL, in project: Project) -> String {
        let folder = url.deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
            let nearest = Suggestion.nearest(to: url.lastPathComponent, in: names),
            let path = project.relativePath(of: folder.appendingPathComponent(nearest))
        else { return "" }
        return "; did you mean '\(path)'?"
    }
}

/// Why an input image cannot be used, as one sentence.
struct InputProblem: Error, Hashable, Sendable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
