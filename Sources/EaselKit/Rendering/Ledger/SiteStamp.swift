internal import Crypto
import Foundation

/// What a site was last rendered from, and the files that render left: a build whose renderer
/// inputs digest the same, and whose site files are all as that build left them, has nothing to
/// write and skips rendering (SPEC §8: a rebuild with nothing changed).
///
/// The digest covers everything a page is made from — the Easel binary, easel.yml, the theme,
/// every prompt file's bytes, each prompt's cache key, entry, failure and earlier versions — so
/// a change to any of them renders. The files are compared by size and modification time, so a
/// site file deleted or edited by hand is written again. Kept in `.easel/site-stamp` (local
/// state, never committed); a missing or unreadable stamp only means a full render.
struct SiteStamp: Equatable, Sendable {
    /// The site folder, as an absolute path.
    var output: String
    /// SHA-256 of the renderer's inputs, in hex.
    var inputs: String
    /// SHA-256 of what every page shares (the binary, easel.yml, the theme, the folders): a
    /// render whose digest differs from the stamp's renders every page.
    var global = "-"
    /// Every file of the site the render wrote or kept, with its size and modification time.
    var files: [File]
    /// What the render found of the originals' Content Credentials, reported again by a build
    /// that does not render.
    var credentials = CredentialsTally()

    struct File: Equatable, Sendable {
        var path: String
        var size: Int64
        var modified: Int64
        /// The digest of what the file was made from ("-" for a file whose name says what it
        /// holds, such as an image): a page whose inputs digest the same, and which is still as
        /// that render left it, is not rendered again.
        var inputs = "-"

        /// The same file: path, size and modification time (what a look at the folder sees).
        func isSame(as other: File) -> Bool {
            path == other.path && size == other.size && modified == other.modified
        }
    }

    static let header = "easel-site-stamp 3"

    /// The stamp's file in `project`.
    static func location(in project: Project) -> URL {
        project.stateFolder.appendingPathComponent("site-stamp")
    }

    /// Reads the stamp; nil when there is none or it cannot be read.
    static func load(from url: URL) -> SiteStamp? {
        guard let data = try? BoundedRead.data(at: url.path, limit: Limits.stateFileBytes).get() else { return nil }
        // Read as bytes: a build with nothing to do reads the 50,000 lines of a 10,000-prompt
        // site, and taking them as strings and numbers field by field was a seventh of it.
        return data.withUnsafeBytes { raw -> SiteStamp? in
            var lines = raw.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)[...]
            let text = { (bytes: Slice<UnsafeRawBufferPointer>) in String(validating: bytes, as: UTF8.self) }
            guard let first = lines.popFirst(), text(first) == header,
                let output = lines.popFirst().flatMap(text), let inputs = lines.popFirst().flatMap(text),
                let global = lines.popFirst().flatMap(text), let tally = lines.popFirst()
            else { return nil }
            let counts = tally.split(separator: UInt8(ascii: " ")).compactMap { Self.integer($0) }
            guard counts.count == 4, counts.allSatisfy({ (0...Int64(Int32.max)).contains($0) }) else { return nil }
            var credentials = CredentialsTally()
            (credentials.with, credentials.without, credentials.altered, credentials.unreadable) =
                (Int(counts[0]), Int(counts[1]), Int(counts[2]), Int(counts[3]))
            var files: [File] = []
            files.reserveCapacity(lines.count)
            for line in lines where !line.isEmpty {
                let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 3, omittingEmptySubsequences: false)
                guard fields.count == 4, let size = Self.integer(fields[0]), let modified = Self.integer(fields[1]),
                    let digest = text(fields[2]), let path = text(fields[3])
                else { return nil }
                files.append(File(path: path, size: size, modified: modified, inputs: digest))
            }
            return SiteStamp(output: output, inputs: inputs, global: global, files: files, credentials: credentials)
        }
    }

    /// The decimal integer `bytes` spell (an optional "-", then digits), when an Int64 holds it.
    static func integer(_ bytes: Slice<UnsafeRawBufferPointer>) -> Int64? {
        var digits = bytes[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (times, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (sum, over) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflowed, !over else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    /// Writes the stamp atomically (without a flush: losing it only costs one full render).
    func save(to url: URL) throws {
        let tally = [credentials.with, credentials.without, credentials.altered, credentials.unreadable]
        let head =
            "\(Self.header)\n\(output)\n\(inputs)\n\(global)\n" + tally.map(String.init).joined(separator: " ") + "\n"
        // Put together as bytes: 50,000 lines interpolated one by one were most of saving it.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(head.utf8.count + files.count * 120)
        bytes += head.utf8
        for file in files {
            bytes += String(file.size).utf8
            bytes.append(UInt8(ascii: "\t"))
            bytes += String(file.modified).utf8
            bytes.append(UInt8(ascii: "\t"))
            bytes += file.inputs.utf8
            bytes.append(UInt8(ascii: "\t"))
            bytes += file.path.utf8
            bytes.append(UInt8(ascii: "\n"))
        }
        try AtomicFile.write(Data(bytes), to: url, durable: false)
    }

    /// Takes the size and modification time of `paths` inside `folder`.
    /// - Returns: nil when a file is missing.
    static func files(_ paths: [String], in folder: URL) -> [File]? {
        var files: [File] = []
        files.reserveCapacity(paths.count)
        for file in look(at: paths, in: folder) {
            guard let file else { return nil }
            files.append(file)
        }
        return files
    }

    /// The size and modification time of each of `paths` inside `folder`, looked at on every
    /// core; nil for one that is missing.
    static func look(at paths: [String], in folder: URL) -> [File?] {
        zip(paths, FileLook.looks(at: paths, in: folder.path)).map { path, look in
            guard let look, look.isRegularFile else { return nil }
            return File(path: path, size: look.size, modified: look.modified)
        }
    }

    /// True when every file of the stamp is still as the render left it.
    func siteIsIntact() -> Bool {
        guard let found = Self.files(files.map(\.path), in: URL(fileURLWithPath: output)) else { return false }
        return zip(found, files).allSatisfy { $0.isSame(as: $1) }
    }
}

/// Feeds the renderer's inputs to SHA-256, each value length-prefixed so that no two different
/// sequences of values digest alike.
struct InputDigest {
    private var hasher = SHA256()

    mutating func add(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            var count = UInt64(bytes.count).littleEndian
            withUnsafeBytes(of: &count) { hasher.update(bufferPointer: $0) }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
    }

    mutating func add(_ data: some DataProtocol) {
        var count = UInt64(data.count).littleEndian
        withUnsafeBytes(of: &count) { hasher.update(bufferPointer: $0) }
        hasher.update(data: data)
    }

    /// A file's look (or that nothing is there), as fixed-size fields.
    mutating func add(_ look: FileLook?) {
        guard let look else { return add("none") }
        var fields = (
            UInt64(look.mode), look.device, look.inode, UInt64(bitPattern: look.size),
            UInt64(bitPattern: look.modified), UInt64(bitPattern: look.changed)
        )
        withUnsafeBytes(of: &fields) { hasher.update(bufferPointer: $0) }
    }

    consuming func finalize() -> String {
        CacheKey.hexDigits(hasher.finalize())
    }
}

extension SiteRenderer {
    /// The digest of everything `render(outcomes)` makes the site from. A prompt generated by this
    /// build digests as cached: its page is the same either way.
    func inputDigest(_ outcomes: [PromptOutcome]) -> String {
        var digest = InputDigest()
        digest.add(globalDigest())
        // Each prompt's part digested on every core, then taken in order (one core took 100 ms of
        // every build of 10,000 prompts).
        for part in outcomes.concurrentMap(promptDigest) { digest.add(part) }
        return digest.finalize()
    }

    /// What ``inputDigest(_:)`` takes of one prompt: its file, status, key, failures, entries.
    private func promptDigest(_ outcome: PromptOutcome) -> String {
        var digest = InputDigest()
        let prompt = outcome.prompt
        digest.add(prompt.path)
        digest.add(prompt.source)
        digest.add(outcome.status == .generated ? PromptStatus.cached.rawValue : outcome.status.rawValue)
        digest.add(outcome.key?.hex ?? "-")
        digest.add(outcome.failure ?? "-")
        digest.add(outcome.failedAt.map { "\($0.timeIntervalSince1970)" } ?? "-")
        digest.add(outcome.previousFailure.map { "\($0.message) \($0.time.timeIntervalSince1970)" } ?? "-")
        let versions = history.entries(firstMadeFor: prompt.path, except: outcome.key)
        for entry in (outcome.entry.map { [$0] } ?? []) + versions {
            let record = entry.record
            digest.add("\(record.key.hex) \(record.created.timeIntervalSince1970) \(record.requestID ?? "-")")
            digest.add(entry.recordDigest)
            for image in record.images { digest.add("\(image.file) \(image.sha256)") }
        }
        digest.add("end")
        return digest.finalize()
    }

    /// The digest of what every page is made from besides the prompts and the cache: Easel
    /// itself, the folders, easel.yml and the theme.
    func globalDigest() -> String {
        var digest = InputDigest()
        digest.add("easel \(EaselVersion.current)")
        digest.add(Self.executableIdentity)
        digest.add(output.standardizedFileURL.path)
        digest.add(project.root.path)
        digest.add(project.config.source)
        for (name, text) in theme.templates.sorted(by: { $0.key < $1.key }) {
            digest.add(name)
            digest.add(text)
        }
        for (name, data) in theme.assets.sorted(by: { $0.key < $1.key }) {
            digest.add(name)
            digest.add(data)
        }
        return digest.finalize()
    }

    /// The running binary's path, size and modification time: another build of Easel may render
    /// the same inputs differently.
    static let executableIdentity: String = {
        let named = Bundle.main.executablePath ?? CommandLine.arguments.first ?? "easel"
        let path = URL(fileURLWithPath: named).resolvingSymlinksInPath().path
        guard let file = SiteStamp.files([path], in: URL(fileURLWithPath: "/"))?.first else { return path }
        return "\(path) \(file.size) \(file.modified)"
    }()
}
