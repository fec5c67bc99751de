import Foundation

/// The last build that had nothing to generate, kept with a fingerprint of every file it read
/// (`.easel/settled`): a build that finds the same fingerprint, and the site as that build left
/// it, has nothing to do, and answers with that build's report before reading a prompt, a cache
/// record or a template (SPEC §8, a rebuild with nothing changed). For 10,000 prompts, reading
/// everything to find that out took 2.3 s; looking at the files takes a tenth of it.
///
/// The fingerprint is every entry of `prompts/`, `templates/` and `cache/` (names starting with
/// a dot aside: no reader of those folders takes them), every input image a prompt reads, and the
/// failure log, each by path, type, permissions, device, inode, size, modification and change
/// time. Its context is the Easel binary, the project's folder, easel.yml's bytes, the site folder
/// and today's date (a model's shutdown date turns into a warning). A link inside `cache/`, or an
/// input image that is not a regular file, means no fingerprint, so such a build reads everything.
///
/// Local state, like the site stamp: safe to delete, never committed, and a clone's is never used
/// (its context names another binary and folder, and its files have other inodes).
struct SettledBuild: Sendable {
    /// What is kept beside the report.
    struct Facts: Codable, Sendable {
        /// The fingerprint of the folders, taken before the build read them.
        var folders: String
        /// The input images the prompts read, by path in the project, and their fingerprint.
        var inputs: [String]
        var inputsFingerprint: String
        /// The site stamp's digest of the renderer's inputs: the stamp this build left.
        var stamp: String
        /// True when the build drew placeholders because it had no API to ask: a build that has
        /// one would generate them.
        var placeholdersWithoutSource: Bool
    }

    /// 2: the prompts as `--json` prints them, kept beside their lines.
    static let format = "easel-settled 2"

    static func location(in project: Project) -> URL {
        project.stateFolder.appendingPathComponent("settled")
    }

    static func context(of project: Project, output: URL) -> String {
        StateRecordFile.context(
            project.root.path,
            project.config.source,
            output.standardizedFileURL.path,
            PromptValidator.today
        )
    }

    /// The fingerprint of `prompts/`, `templates/`, `cache/` and the failure log of `project`, and
    /// what was seen on the way; nil when `cache/` holds a link (what is behind it can change
    /// while the link does not).
    static func folders(of project: Project) -> FolderLooks? {
        var digest = InputDigest()
        var seen: [(folder: String, entries: [(path: String, look: FileLook)])] = []
        for folder in ["prompts", "templates", "cache"] {
            let url = project.root.appendingPathComponent(folder)
            // The folder's own times are left out: they change when a build empties `cache/.tmp`.
            digest.add("\(folder) \(FileKind.of(url.path))")
            let walked = FileLook.walk(url.path)
            for (path, look) in walked {
                if folder == "cache", look.kind == .symbolicLink || look.kind == .other { return nil }
                digest.add(path)
                digest.add(look)
            }
            if folder != "templates" { seen.append((folder, walked)) }
        }
        let failures = project.stateFolder.appendingPathComponent(FailureLog.fileName)
        digest.add(FileLook.of(failures.path))
        return FolderLooks(digest: digest.finalize(), seen: seen)
    }

    /// The fingerprint of the files at `paths` in `project`, in order, each looked at on every
    /// core; nil when `regularFilesOnly` and one is anything else.
    static func fingerprint(of paths: [String], in project: Project, regularFilesOnly: Bool) -> String? {
        let looks = FileLook.looks(at: paths, in: project.root.path)
        var digest = InputDigest()
        for (path, look) in zip(paths, looks) {
            if regularFilesOnly, look?.isRegularFile != true { return nil }
            digest.add(path)
            digest.add(look)
        }
        return digest.finalize()
    }

    /// The report of the last settled build of `project` into `output`, when nothing it read has
    /// changed since and its site is as it left it; nil for anything else.
    /// - Parameter sourceAvailable: whether this build could generate (an API, not offline).
    /// - Returns: also the folders' fingerprint when it was taken on the way, for the plan.
    static func report(
        for project: Project,
        output: URL,
        sourceAvailable: Bool
    ) -> (report: BuildReport?, folders: FolderLooks?) {
        guard
            let lines = StateRecordFile.lines(
                at: location(in: project),
                format: format,
                context: context(of: project, output: output)
            ), lines.count >= 3,
            let facts = try? JSONDecoder().decode(Facts.self, from: lines[0]),
            !(facts.placeholdersWithoutSource && sourceAvailable),
            // Only plain paths inside the project, as a build's prompts name them.
            facts.inputs.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..") })
        else { return (nil, nil) }
        let folders = folders(of: project)
        Trace.mark("settled: folders looked at")
        guard folders?.digest == facts.folders,
            fingerprint(of: facts.inputs, in: project, regularFilesOnly: true) == facts.inputsFingerprint
        else { return (nil, folders) }
        Trace.mark("settled: nothing read has changed")
        guard let stamp = SiteStamp.load(from: SiteStamp.location(in: project)), stamp.inputs == facts.stamp,
            stamp.output == output.standardizedFileURL.path, stamp.siteIsIntact(),
            var report = try? JSONDecoder().decode(BuildReport.self, from: lines[1])
        else { return (nil, folders) }
        Trace.mark("settled: the site is as it was left")
        // The printed prompts are "-" or base64, never an empty line or an item's: a file whose
        // lines are not where they were written is no settled build.
        let none = lines[2].elementsEqual("-".utf8)
        let printed = none ? nil : Data(base64Encoded: lines[2])
        guard none || printed != nil,
            let items = StateRecordFile.decodedChunks(
                BuildReport.Item.self,
                Array(lines.dropFirst(3)),
                with: JSONDecoder()
            )
        else { return (nil, folders) }
        // The counts are the prompts', not what the file says.
        report.prompts = items
        // Printing 10,000 prompts again was a sixth of a build with nothing to do.
        report.encodedPrompts = printed
        report.countPrompts()
        return (report, folders)
    }

    /// Keeps `report` as settled: a build with nothing left to do, whose site is the stamp's.
    /// - Parameters:
    ///   - folders: the folders' fingerprint, taken before the build read them.
    ///   - inputs: the input images the prompts read, by path in the project.
    /// - Returns: ``BuildReport/promptsJSON()``, kept with it, for the build to print.
    @discardableResult
    static func save(
        _ report: BuildReport,
        folders: String,
        inputs: [String],
        stamp: String,
        output: URL,
        in project: Project
    ) -> Data? {
        let inputs = Array(Set(inputs)).sorted()
        guard let inputsFingerprint = fingerprint(of: inputs, in: project, regularFilesOnly: true) else { return nil }
        let facts = Facts(
            folders: folders,
            inputs: inputs,
            inputsFingerprint: inputsFingerprint,
            stamp: stamp,
            placeholdersWithoutSource: report.placeholders > 0
        )
        // What a build that renders nothing reports.
        var settled = report
        settled.prompts = []
        settled.siteUnchanged = true
        settled.pagesRendered = 0
        settled.wallSeconds = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let printed = report.encodedPrompts ?? (try? report.promptsJSON())
        let lines: [Data?] =
            [try? encoder.encode(facts), try? encoder.encode(settled), printed?.base64EncodedData() ?? Data("-".utf8)]
            + StateRecordFile.encodedInChunks(report.prompts, with: encoder)
        StateRecordFile.write(
            lines,
            format: format,
            context: context(of: project, output: output),
            to: location(in: project),
            in: project
        )
        return printed
    }

    /// Forgets the settled build (a build that writes is under way).
    static func forget(in project: Project) {
        try? FileManager.default.removeItem(at: location(in: project))
    }
}
