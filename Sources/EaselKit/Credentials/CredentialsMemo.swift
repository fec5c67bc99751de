import Foundation

/// What each image file's Content Credentials said when it was last read, by the file's identity
/// (device, inode, size, modification time): a render reads and hashes only files that are new
/// or changed since. Without it every render hashed every original in full.
///
/// Kept in `.easel/credentials` (local state, never committed, safe to delete: a missing or
/// unreadable memo only means reading every file again). An entry is only used for a file of the
/// same device and inode, which a copied or cloned folder does not have.
struct CredentialsMemo: Sendable {
    struct Entry: Codable, Sendable {
        var file: FileIdentity
        var reading: ContentCredentials.Reading
    }

    private struct Stored: Codable {
        var version: Int
        var entries: [Entry]
    }

    private var readings: [FileIdentity: ContentCredentials.Reading] = [:]

    /// Raised whenever what a reading holds changes (2: the signature's check).
    static let version = 2

    /// The memo's file in `project`.
    static func location(in project: Project) -> URL {
        project.stateFolder.appendingPathComponent("credentials")
    }

    /// Loads the memo; empty when there is none or it cannot be read.
    static func load(from url: URL) -> CredentialsMemo {
        var memo = CredentialsMemo()
        guard let data = try? BoundedRead.data(at: url.path, limit: Limits.stateFileBytes).get(),
            let stored = try? JSONDecoder().decode(Stored.self, from: data), stored.version == Self.version
        else { return memo }
        for entry in stored.entries where Self.isSane(entry.reading) { memo.readings[entry.file] = entry.reading }
        return memo
    }

    /// The credentials of the file at `path`: from the memo when the file is the one it read,
    /// else read now. Also returns the file's identity, nil for a file that is not a regular one.
    func reading(of path: String) -> (FileIdentity?, ContentCredentials.Reading) {
        guard let identity = FileIdentity.of(path) else { return (nil, ContentCredentials.read(contentsOf: path)) }
        if let known = readings[identity] { return (identity, known) }
        let reading = ContentCredentials.read(contentsOf: path)
        // A file changed while it was read is not remembered.
        return (FileIdentity.of(path) == identity ? identity : nil, reading)
    }

    /// Writes `entries` as the new memo when they differ from what was loaded.
    func save(_ entries: [Entry], to url: URL) {
        let unique = Dictionary(entries.map { ($0.file, $0.reading) }) { first, _ in first }
        guard unique != readings else { return }
        let sorted = unique.map { Entry(file: $0.key, reading: $0.value) }.sorted {
            ($0.file.device, $0.file.inode) < ($1.file.device, $1.file.inode)
        }
        guard let data = try? JSONEncoder().encode(Stored(version: Self.version, entries: sorted)) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: url, durable: false)
    }

    /// A memo comes from a folder a clone may bring: dates that pages could not show are refused.
    private static func isSane(_ reading: ContentCredentials.Reading) -> Bool {
        guard let signed = reading.credentials?.signed else { return true }
        return (946_684_800...4_102_444_800).contains(signed.timeIntervalSince1970)  // 2000 to 2100
    }
}
