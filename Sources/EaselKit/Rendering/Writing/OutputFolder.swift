public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder a site is written into, and the rules that keep Easel from writing anywhere else.
///
/// Easel replaces the files it writes and deletes the ones it wrote before, so the output folder
/// must be one it owns: never the project, a folder above it, or one of the project's own folders,
/// and never a folder holding files that Easel did not write (one without its manifest). Inside,
/// it never writes or deletes through a symbolic link: a `site/` from a cloned repository may hold
/// `images -> /home/you`.
public enum OutputFolder {
    /// Folders of the project that are never an output (SPEC §2), nor anything inside them.
    static let projectFolders = ["prompts", "cache", "inputs", "templates", ".easel", ".git"]

    /// Why `folder` must not receive the site of `project`, or nil when it may.
    /// - Parameter isDefault: `folder` is the project's own `site/` (not one given with `--out`).
    public static func refusal(for folder: URL, in project: Project, isDefault: Bool) -> OutputFolderError? {
        let shown = isDefault ? "site/" : folder.path
        if isDefault, FileKind.of(folder.path) == .symbolicLink {
            return OutputFolderError(
                "\(shown) is a symbolic link; Easel writes site/ as a real folder: remove the link, or give --out"
            )
        }
        let resolved = resolve(folder)
        let root = project.root.path
        if resolved == root || root.hasPrefix(resolved.hasSuffix("/") ? resolved : resolved + "/") {
            return OutputFolderError(
                "\(shown) is the project folder or a folder above it; Easel would replace the project's files:"
                    + " give an output folder of its own, such as site/"
            )
        }
        for name in projectFolders {
            let inner = root + "/" + name
            if resolved == inner || resolved.hasPrefix(inner + "/") {
                return OutputFolderError(
                    "\(shown) is inside the project's \(name)/ folder; give an output folder of its own, such as site/"
                )
            }
        }
        switch FileKind.of(resolved) {
        case .missing:
            return nil
        case .directory:
            break
        default:
            return OutputFolderError("\(shown) exists and is not a folder")
        }
        let visible = ((try? FileManager.default.contentsOfDirectory(atPath: resolved)) ?? []).filter {
            !$0.hasPrefix(".")
        }
        if !visible.isEmpty, FileKind.of(resolved + "/" + SiteWriter.manifestName) != .regularFile {
            return OutputFolderError(
                "\(shown) holds files Easel did not write (it has no \(SiteWriter.manifestName)); Easel would"
                    + " replace or delete them: empty it, or give another folder"
            )
        }
        return nil
    }

    /// `folder` with every link resolved, for the part of it that exists; the rest as written.
    static func resolve(_ folder: URL) -> String {
        var existing = folder.standardizedFileURL
        var rest: [String] = []
        while FileKind.of(existing.path) == .missing, existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var path = existing.resolvingSymlinksInPath().path
        for name in rest { path += (path.hasSuffix("/") ? "" : "/") + name }
        return path
    }

    /// Removes every symbolic link in `folder` (Easel never makes one there), so that nothing
    /// written into the site afterwards can land outside it. A link's target is never touched.
    /// Removes too the files an Easel killed while writing left under a temporary name
    /// (``AtomicFile/isTemporaryName(_:)``): an old page whose removal was still to come, a page
    /// not yet renamed into place. Never inside a hidden folder (a `gh-pages` checkout's `.git`),
    /// where Easel writes nothing.
    static func removeLinksAndLeftovers(in folder: URL) {
        for entry in DirectoryWalk.entries(in: folder, hidden: true) {
            switch entry.kind {
            case .symbolicLink:
                unlink(folder.path + "/" + entry.path)
            case .regularFile:
                // The name first: most files are not hidden, and splitting 50,000 paths cost more.
                let path = entry.path
                let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
                guard name.hasPrefix("."), AtomicFile.isTemporaryName(String(name)),
                    !path.split(separator: "/").dropLast().contains(where: { $0.hasPrefix(".") })
                else { continue }
                unlink(folder.path + "/" + path)
            default:
                break
            }
        }
    }

    /// Whether `folder` is a folder, and no link (nor anything but a folder) stands on the way to
    /// any of `paths` inside it: where a writer may go without ``removeLinksAndLeftovers(in:)`` first (a patch
    /// of `easel serve` writes a few files, and a walk of the whole site cost more than the patch).
    static func hasNoLinks(onTheWayTo paths: some Sequence<String>, in folder: URL) -> Bool {
        let base = folder.path
        guard FileKind.of(base) == .directory else { return false }
        var checked: Set<Substring> = []
        for path in paths {
            var end = path.startIndex
            while let slash = path[end...].firstIndex(of: "/") {
                let ancestor = path[..<slash]
                end = path.index(after: slash)
                guard checked.insert(ancestor).inserted else { continue }
                switch FileKind.of(base + "/" + ancestor) {
                case .directory, .missing: continue
                default: return false
                }
            }
        }
        return true
    }

    /// Whether `path` is a plain relative path inside a folder: no empty, `.` or `..` component,
    /// no hidden name, no leading `/`, no backslash or NUL. The site's manifest may only list these.
    static func isPlainPath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && !$0.hasPrefix(".")
        }
    }

    /// Deletes the file at `path` inside `folder`, then the folders it leaves empty, without
    /// following a link on the way: each folder is opened with `O_NOFOLLOW`, and the file is
    /// unlinked relative to it (a link itself is removed, never its target).
    static func removeFile(_ path: String, in folder: URL) {
        guard isPlainPath(path) else { return }
        let parts = path.split(separator: "/").map(String.init)
        var descriptors = [open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)]
        defer { for fd in descriptors where fd >= 0 { close(fd) } }
        guard descriptors[0] >= 0 else { return }
        for name in parts.dropLast() {
            let fd = openat(descriptors.last!, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return }  // a link, or not a folder: leave it alone
            descriptors.append(fd)
        }
        guard unlinkat(descriptors.last!, parts.last!, 0) == 0 else { return }
        // Folders left empty, innermost first; rmdir fails on one that is not empty, and stops here.
        for depth in stride(from: parts.count - 1, to: 0, by: -1) {
            guard unlinkat(descriptors[depth - 1], parts[depth - 1], AT_REMOVEDIR) == 0 else { return }
        }
    }
}

/// The output folder is one Easel must not write into; nothing was written.
public struct OutputFolderError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
