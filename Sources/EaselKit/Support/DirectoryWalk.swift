import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists a folder tree with readdir(3), never following a symbolic link: a linked folder is
/// reported as a link, not entered. Entry types come from readdir where the file system gives
/// them (a stat saved per file), else from `lstat`.
enum DirectoryWalk {
    /// One entry: its path relative to the walked folder, and what it is.
    struct Entry: Sendable, Equatable {
        var path: String
        var kind: FileKind
    }

    /// Every entry under `folder`, depth first; hidden names (starting with `.`) are skipped, and
    /// not entered, unless `hidden` is set.
    static func entries(in folder: URL, hidden: Bool = false) -> [Entry] {
        var entries: [Entry] = []
        walk(folder.path, prefix: "", hidden: hidden, into: &entries)
        return entries
    }

    private static func walk(_ path: String, prefix: String, hidden: Bool, into entries: inout [Entry]) {
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != "..", hidden || !name.hasPrefix(".") else { continue }
            let full = path + "/" + name
            let kind: FileKind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .regularFile
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN): kind = FileKind.of(full)  // some file systems do not say: ask
            default: kind = .other
            }
            let relative = prefix + name
            entries.append(Entry(path: relative, kind: kind))
            if kind == .directory { walk(full, prefix: relative + "/", hidden: hidden, into: &entries) }
        }
    }
}
