import Foundation

/// Every prompt file as the last build read it (`.easel/parsed`), so that a build reads again
/// only the files that changed: reading 10,000 prompts (YAML, Markdown, validation) took 1.3 s.
///
/// A record is used only when its file has the same device, inode, size and modification time
/// as when it was read, every input image its request reads does too, and the record was made
/// by the same Easel binary from the same `easel.yml` in the same folder; anything else reads the
/// file again. Prompts with errors are never recorded (what they are missing may appear). Local
/// state, like the site stamp: safe to delete, never committed, and never trusted over the files.
struct ParseRecord: Sendable {
    struct Entry: Codable, Sendable {
        /// The prompt file when it was read.
        var file: FileIdentity
        /// The input images and mask the request reads, by path in the project, when it was read.
        var inputs: [String: FileIdentity]
        var prompt: PromptFile
    }

    /// A prompt as a build has it: read now, or `recorded`; its file's identity before reading.
    struct Read: Sendable {
        var prompt: PromptFile
        var identity: FileIdentity?
        var recorded: Bool
    }

    private struct Header: Codable {
        var format: String
        var context: String
    }

    static let format = "easel-parsed 1"

    /// What the prompts were read with: Easel, the project's folder and its easel.yml.
    let context: String
    private(set) var entries: [String: Entry]
    /// Each entry's line as read, written back as it is when the entry is kept.
    private var lines: [String: Data] = [:]

    static func location(in project: Project) -> URL {
        project.stateFolder.appendingPathComponent("parsed")
    }

    static func context(of project: Project) -> String {
        var digest = InputDigest()
        digest.add("easel \(EaselVersion.current)")
        digest.add(SiteRenderer.executableIdentity)
        digest.add(project.root.path)
        digest.add(project.config.source)
        return digest.finalize()
    }

    /// The record of `project`; empty when there is none, it cannot be read, or it was made in
    /// another context. One JSON document per line, decoded on every core.
    static func load(for project: Project) -> ParseRecord {
        let context = context(of: project)
        let empty = ParseRecord(context: context, entries: [:], lines: [:])
        guard
            let data = try? BoundedRead.data(at: location(in: project).path, limit: Limits.parseRecordBytes).get()
        else { return empty }
        let lines = data.lines()
        guard let first = lines.first,
            let header = try? JSONDecoder().decode(Header.self, from: Data(first)),
            header.format == format, header.context == context
        else { return empty }
        let body = Array(lines.dropFirst())
        let decoded = body.concurrentMap { line in try? JSONDecoder().decode(Entry.self, from: line) }
        var entries: [String: Entry] = [:]
        var kept: [String: Data] = [:]
        for case let (entry?, line) in zip(decoded, body) {
            entries[entry.prompt.path] = entry
            kept[entry.prompt.path] = line
        }
        return ParseRecord(context: context, entries: entries, lines: kept)
    }

    /// The recorded prompt at `path` when neither its file nor its inputs changed since.
    func prompt(at path: String, identity: FileIdentity?, in project: Project) -> PromptFile? {
        guard let identity, let entry = entries[path], entry.file == identity else { return nil }
        for (input, recorded) in entry.inputs {
            guard FileIdentity.of(project.root.appendingPathComponent(input).path) == recorded else { return nil }
        }
        return entry.prompt
    }

    /// Records `prompts`, each read when its file had the identity given, and writes the record
    /// when it changed (atomically; a failure only costs reading the files next time).
    static func save(_ prompts: [Read], replacing old: ParseRecord, in project: Project) {
        var entries: [String: Entry] = [:]
        var changed = false
        for read in prompts {
            let prompt = read.prompt
            guard let identity = read.identity, !prompt.diagnostics.hasErrors else { continue }
            if read.recorded, let kept = old.entries[prompt.path] {
                entries[prompt.path] = kept
                continue
            }
            changed = true
            var inputs: [String: FileIdentity] = [:]
            var complete = true
            for input in Self.inputs(of: prompt) {
                guard let found = FileIdentity.of(project.root.appendingPathComponent(input).path) else {
                    complete = false
                    break
                }
                inputs[input] = found
            }
            if complete { entries[prompt.path] = Entry(file: identity, inputs: inputs, prompt: prompt) }
        }
        guard changed || entries.count != old.entries.count else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(Header(format: format, context: old.context)) else { return }
        // Only new entries are encoded; a kept one is written back as it was read.
        let final = entries
        let lines = final.keys.sorted().concurrentMap { path -> Data? in
            if let line = old.lines[path], old.entries[path]?.file == final[path]?.file,
                old.entries[path]?.inputs == final[path]?.inputs
            {
                return line
            }
            return try? encoder.encode(final[path]!)
        }
        for line in lines {
            guard let line else { return }
            data.append(UInt8(ascii: "\n"))
            data.append(line)
        }
        data.append(UInt8(ascii: "\n"))
        try? FileManager.default.createDirectory(at: project.stateFolder, withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: location(in: project), durable: false)
    }

    /// The project paths of the files a prompt's request reads besides the prompt itself.
    private static func inputs(of prompt: PromptFile) -> [String] {
        guard let request = prompt.request else { return [] }
        var paths = request.images.map(\.path)
        if case .image(let mask)? = request.mask { paths.append(mask.path) }
        return paths
    }
}
