/// `easel check`: reads every prompt and reports what is wrong, without network or writes.
public struct Checker: Sendable {
    public let project: Project

    /// Creates a checker for `project`.
    public init(project: Project) {
        self.project = project
    }

    /// Checks the prompts whose paths match one of `only` (all when empty).
    /// - Throws: ``FileError`` when prompts/ cannot be listed; problems in prompts are in the report.
    public func check(only: [String] = []) throws -> CheckReport {
        let loader = PromptLoader(project: project)
        let paths = try project.promptPaths().filter { path in
            only.isEmpty || only.contains { Glob.matches($0, path: path) }
        }
        return CheckReport(prompts: paths.map(loader.load))
    }
}

/// What `easel check` found (`--json` prints it).
public struct CheckReport: Sendable, Codable {
    /// One prompt's result.
    public struct Item: Sendable, Codable {
        public var file: String
        public var title: String
        public var valid: Bool
        public var draft: Bool
        public var model: String
        public var key: String?
        public var diagnostics: [Diagnostic]
    }

    public var prompts: [Item]
    public var errors: Int
    public var warnings: Int
    public var drafts: Int

    /// 0 when every prompt is valid, 1 otherwise.
    public var exitStatus: Int32 { errors > 0 ? 1 : 0 }

    init(prompts files: [PromptFile]) {
        prompts = files.map { file in
            Item(
                file: file.path,
                title: file.title,
                valid: file.isValid,
                draft: file.isDraft,
                model: file.model,
                key: file.request.map { CacheKey($0).hex },
                diagnostics: file.diagnostics
            )
        }
        let all = files.flatMap(\.diagnostics)
        errors = all.filter(\.isError).count
        warnings = all.count - errors
        drafts = files.filter(\.isDraft).count
    }
}
