import Foundation

/// Every prompt file as the last build read it (`.easel/parsed`), so that a build reads again
/// only the files that changed: reading 10,000 prompts (YAML, Markdown, validation) took 1.3 s.
///
/// A record is used only when its file has the same device, inode, size and modification time
/// as when it was read, every input image its request reads does too, and the record was made
/// by the same Easel binary from the same `easel.yml` defaults and models in the same folder;
/// anything else reads the file again. Prompts with errors are never recorded (what they are
/// missing may appear). Local state, like the site stamp: safe to delete, never committed, and
/// never trusted over the files.
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

    /// 3: entries and prompts as arrays (``PromptFile/Compact``).
    static let format = "easel-parsed 4"

    /// What the prompts were read with: Easel, the project's folder and its easel.yml.
    let context: String
    private(set) var entries: [String: Entry]
    /// Each entry's line as read, written back as it is when the entry is kept.
    private var lines: [String: Data] = [:]

    static func location(in project: Project) -> URL {
        project.stateFolder.appendingPathComponent("parsed")
    }

    /// What reading a prompt takes from easel.yml is its `defaults:` (values and where they are
    /// written) and its `models:`: a change to the title or the page size keeps the record.
    /// Models hold sets, whose description is in no fixed order, so with `models:` the whole file counts.
    static func context(of project: Project) -> String {
        let config = project.config
        let read =
            config.models.isEmpty ? "defaults " + String(reflecting: config.defaults) : "easel.yml " + config.source
        return StateRecordFile.context(project.root.path, read)
    }

    /// The record of `project`; empty when there is none, it cannot be read, or it was made in
    /// another context.
    static func load(for project: Project) -> ParseRecord {
        let context = context(of: project)
        let record = StateRecordFile.value(at: location(in: project), format: format, context: context) { body in
            var entries: [String: Entry] = [:]
            var kept: [String: Data] = [:]
            entries.reserveCapacity(body.count)
            kept.reserveCapacity(body.count)
            for case let (entry?, line) in zip(StateRecordFile.decode(Entry.self, body, with: JSONDecoder()), body) {
                entries[entry.prompt.path] = entry
                kept[entry.prompt.path] = line
            }
            return ParseRecord(context: context, entries: entries, lines: kept)
        }
        return record ?? ParseRecord(context: context, entries: [:], lines: [:])
    }

    /// The recorded prompt at `path` when neither its file nor its inputs changed since.
    func prompt(at path: String, identity: FileIdentity?, in project: Project) -> PromptFile? {
        guard let identity, let entry = entries[path], entry.file == identity,
            Set(Self.inputs(of: entry.prompt)) == Set(entry.inputs.keys)
        else { return nil }
        // A request reads only the files the entry names, at their plain paths inside the project
        // (each then a regular file, never a link: FileIdentity looks with lstat).
        for input in Self.inputImages(of: entry.prompt)
        where input.path.split(separator: "/").contains("..") || input.path.hasPrefix("/")
            || input.url.standardizedFileURL != project.root.appendingPathComponent(input.path).standardizedFileURL
        {
            return nil
        }
        for (input, recorded) in entry.inputs {
            guard FileIdentity.of(project.root.appendingPathComponent(input).path) == recorded else { return nil }
        }
        return entry.prompt
    }

    /// Records `prompts`, each read when its file had the identity given, and writes the record
    /// when it changed (atomically; a failure only costs reading the files next time).
    static func save(_ prompts: [Read], replacing old: ParseRecord, in project: Project) {
        var entries: [String: Entry] = [:]
        var kept: Set<String> = []
        var changed = false
        for read in prompts {
            let prompt = read.prompt
            guard let identity = read.identity, !prompt.diagnostics.hasErrors else { continue }
            if read.recorded, let entry = old.entries[prompt.path] {
                entries[prompt.path] = entry
                kept.insert(prompt.path)
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
        // Only new entries are encoded; a kept one is written back as it was read.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let (final, unchanged) = (entries, kept)
        let paths = final.keys.sorted()
        let lines = paths.concurrentMap { path -> Data? in
            unchanged.contains(path) ? old.lines[path] : try? encoder.encode(final[path]!)
        }
        var written: [String: Data] = [:]
        for case let (path, line?) in zip(paths, lines) { written[path] = line }
        StateRecordFile.write(
            lines,
            format: format,
            context: old.context,
            to: location(in: project),
            in: project,
            value: ParseRecord(context: old.context, entries: final, lines: written)
        )
    }

    /// The project paths of the files a prompt's request reads besides the prompt itself.
    static func inputs(of prompt: PromptFile) -> [String] {
        inputImages(of: prompt).map(\.path)
    }

    private static func inputImages(of prompt: PromptFile) -> [InputImage] {
        // The cells of a comparison share their inputs: `compare:` varies no input.
        guard let request = prompt.requests.first else { return [] }
        if case .image(let mask)? = request.mask { return request.images + [mask] }
        return request.images
    }
}

extension ParseRecord.Entry {
    // An array, as the prompt is (``PromptFile/Compact``).
    init(from decoder: any Decoder) throws {
        var fields = try decoder.unkeyedContainer()
        file = try fields.decode(FileIdentity.self)
        inputs = try fields.decode([String: FileIdentity].self)
        prompt = try fields.decode(PromptFile.Compact.self).prompt
        try fields.requireEnd(of: "an entry")
    }

    func encode(to encoder: any Encoder) throws {
        var fields = encoder.unkeyedContainer()
        try fields.encode(file)
        try fields.encode(inputs)
        try fields.encode(PromptFile.Compact(prompt))
    }
}
