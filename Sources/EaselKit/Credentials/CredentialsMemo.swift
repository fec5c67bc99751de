import Foundation
internal import NIOConcurrencyHelpers

/// What each image file's Content Credentials said when it was last read, by the file's identity
/// (device, inode, size, modification time): a render reads and hashes only files that are new
/// or changed since. Without it every render hashed every original in full.
///
/// Kept in `.easel/credentials` (local state, never committed, safe to delete: a missing or
/// unreadable memo only means reading every file again). An entry is only used for a file of the
/// same device and inode, which a copied or cloned folder does not have. A render asks it for
/// every file it shows, on every core, and then ``save()`` keeps exactly those.
final class CredentialsMemo: Sendable {
    struct Entry: Codable, Sendable {
        var file: FileIdentity
        var reading: ContentCredentials.Reading
    }

    private struct Stored: Codable {
        var version: Int
        var entries: [Entry]
    }

    /// Raised whenever what an entry holds changes (2: the signature's check; 3: file identities
    /// as arrays).
    static let version = 3

    private let url: URL
    /// What the memo held when loaded.
    private let known: [FileIdentity: ContentCredentials.Reading]
    /// What this render asked for.
    private let used = NIOLockedValueBox<[FileIdentity: ContentCredentials.Reading]>([:])

    /// Loads the memo of `project`; empty when there is none or it cannot be read.
    init(of project: Project) {
        url = project.stateFolder.appendingPathComponent("credentials")
        var known: [FileIdentity: ContentCredentials.Reading] = [:]
        if let data = try? BoundedRead.data(at: url.path, limit: Limits.stateFileBytes).get(),
            let stored = try? JSONDecoder().decode(Stored.self, from: data), stored.version == Self.version
        {
            for entry in stored.entries where Self.isSane(entry.reading) { known[entry.file] = entry.reading }
        }
        self.known = known
    }

    /// The credentials of the file at `path`: from the memo when the file is the one it read,
    /// else read now.
    func reading(of path: String) -> ContentCredentials.Reading {
        guard let identity = FileIdentity.of(path) else { return ContentCredentials.read(contentsOf: path) }
        let reading = known[identity] ?? ContentCredentials.read(contentsOf: path)
        // A file changed while it was read is not remembered.
        if known[identity] != nil || FileIdentity.of(path) == identity {
            used.withLockedValue { $0[identity] = reading }
        }
        return reading
    }

    /// Writes what this render asked for as the new memo, when it differs from what was loaded.
    func save() {
        let used = used.withLockedValue { $0 }
        guard used != known else { return }
        let sorted = used.map { Entry(file: $0.key, reading: $0.value) }.sorted {
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
