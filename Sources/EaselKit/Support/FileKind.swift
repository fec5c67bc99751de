internal import CFileLook

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at a path, without following a symbolic link there (`lstat`).
///
/// Easel never makes links, and never follows one out of a folder it reads from a repository or
/// writes into: callers decide what a link means (an error, or a thing to remove) from this.
enum FileKind: Hashable, Sendable {
    case missing
    case regularFile
    case directory
    case symbolicLink
    /// A FIFO, socket or device.
    case other

    /// The kind of `path`.
    static func of(_ path: String) -> FileKind {
        var look = easel_file_look()
        guard easel_lstat(path, &look) == 0 else { return .missing }
        return of(look)
    }

    /// The kind a look at a file says (``CFileLook``'s `kind`).
    static func of(_ look: easel_file_look) -> FileKind {
        switch look.kind {
        case 1: return .regularFile
        case 2: return .directory
        case 3: return .symbolicLink
        default: return .other
        }
    }
}

/// Which regular file a path is (`lstat`: a link is never one): two paths with the same identity
/// are hard links of one file.
struct FileIdentity: Hashable, Sendable, Codable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    /// Modification time in nanoseconds since 1970.
    var modified: Int64

    /// The identity of the regular file at `path`; nil when it is missing or not a regular file.
    static func of(_ path: String) -> FileIdentity? {
        FileLook.of(path).flatMap(FileIdentity.init)
    }

    /// The identity of what `look` saw; nil when it is not a regular file.
    init?(_ look: FileLook) {
        guard look.isRegularFile else { return nil }
        self.init(device: look.device, inode: look.inode, size: look.size, modified: look.modified)
    }

    init(device: UInt64, inode: UInt64, size: Int64, modified: Int64) {
        (self.device, self.inode, self.size, self.modified) = (device, inode, size, modified)
    }

    // Encoded as [device, inode, size, modified]: the state files hold 20,000 of them, and a keyed
    // object took three times as long to decode.
    init(from decoder: any Decoder) throws {
        var fields = try decoder.unkeyedContainer()
        device = try fields.decode(UInt64.self)
        inode = try fields.decode(UInt64.self)
        size = try fields.decode(Int64.self)
        modified = try fields.decode(Int64.self)
        try fields.requireEnd(of: "a file identity")
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.unkeyedContainer()
        try fields.encode(device)
        try fields.encode(inode)
        try fields.encode(size)
        try fields.encode(modified)
    }
}

/// Everything `lstat` says of a path that changes when the file does: its type and permissions,
/// which file it is, its size, and its modification and change times (the change time moves on
/// a `chmod`, a rename or a new link too). Two equal looks are the same file, unchanged.
struct FileLook: Hashable, Sendable {
    var mode: UInt32
    var kind: FileKind
    var device: UInt64
    var inode: UInt64
    var size: Int64
    /// Modification and change time in nanoseconds since 1970.
    var modified: Int64
    var changed: Int64

    /// The look of `path`; nil when nothing is there.
    static func of(_ path: String) -> FileLook? {
        var look = easel_file_look()
        guard easel_lstat(path, &look) == 0 else { return nil }
        return from(look)
    }

    /// The looks of `paths` inside `folder`, taken on every core; nil for one with nothing there.
    /// Each is looked up from its open parent folder (`fstatat`): the kernel then walks one name,
    /// not the whole path, which made looking at a 10,000-prompt site's 50,000 files twice as fast.
    static func looks(at paths: [String], in folder: String) -> [FileLook?] {
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        var parents: [Substring: Int] = [:]
        var folders: [String] = []
        var last: (parent: Substring, index: Int)? = nil
        let split = paths.map { path -> (Int, String) in
            let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
            let parent = slash.map { path[..<$0] } ?? ""
            // Paths come mostly grouped by folder: the last one found is tried first.
            let index: Int
            if let last, last.parent == parent {
                index = last.index
            } else if let known = parents[parent] {
                index = known
            } else {
                folders.append(String(parent))
                index = folders.count - 1
                parents[parent] = index
            }
            last = (parent, index)
            return (index, slash.map { String(path[path.utf8.index(after: $0)...]) } ?? path)
        }
        // Past a few hundred folders (a hostile list), each path is looked up whole.
        guard folders.count <= 512 else { return paths.concurrentMap { FileLook.of(base + $0) } }
        let descriptors = folders.map { open(base + $0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { for descriptor in descriptors where descriptor >= 0 { close(descriptor) } }
        return split.concurrentMap { parent, name in
            var look = easel_file_look()
            let descriptor = descriptors[parent]
            guard descriptor >= 0, !name.isEmpty, name != ".", name != "..",
                easel_fstatat_nofollow(descriptor, name, &look) == 0
            else { return nil }
            return from(look)
        }
    }

    private static func from(_ look: easel_file_look) -> FileLook {
        FileLook(
            mode: look.mode,
            kind: FileKind.of(look),
            device: look.device,
            inode: look.inode,
            size: look.size,
            modified: look.modified_ns,
            changed: look.changed_ns
        )
    }

    var isRegularFile: Bool { kind == .regularFile }

    /// Every entry under `folder` with its look, by path relative to it, each folder's names in
    /// order; names starting with a dot are left out and not entered, and so is a link. The
    /// folders right inside `folder` are walked on every core, and each name is looked up from
    /// its open folder.
    static func walk(_ folder: String) -> [(path: String, look: FileLook)] {
        let top = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard top >= 0 else { return [] }
        var found: [(path: String, look: FileLook)] = []
        walk(top, prefix: "", into: &found, descend: false)
        let nested = found.filter { $0.look.kind == .directory }.map(\.path).concurrentMap { name in
            var inner: [(path: String, look: FileLook)] = []
            let descriptor = open(folder + "/" + name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if descriptor >= 0 { walk(descriptor, prefix: name + "/", into: &inner, descend: true) }
            return inner
        }
        return found + nested.joined()
    }

    /// Walks the open folder `descriptor` (and closes it).
    private static func walk(
        _ descriptor: Int32,
        prefix: String,
        into found: inout [(path: String, look: FileLook)],
        descend: Bool
    ) {
        guard let directory = fdopendir(descriptor) else {
            close(descriptor)
            return
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        names.sort()
        for name in names {
            var info = easel_file_look()
            guard easel_fstatat_nofollow(descriptor, name, &info) == 0 else { continue }
            let look = from(info)
            found.append((prefix + name, look))
            guard descend, look.kind == .directory else { continue }
            let inner = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if inner >= 0 { walk(inner, prefix: prefix + name + "/", into: &found, descend: true) }
        }
    }
}
