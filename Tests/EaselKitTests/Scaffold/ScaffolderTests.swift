import Foundation
import Testing

@testable import EaselKit

struct ScaffolderTests {
    /// Runs `body` with a UUID folder that does not exist yet, removed afterwards.
    private func withFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("easel-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        return try await body(root)
    }

    /// Every file under `root`, hidden ones included, as paths inside it → (bytes, modification date).
    private func snapshot(_ root: URL) throws -> [String: (Data, Date)] {
        let root = root.resolvingSymlinksInPath()
        var files: [String: (Data, Date)] = [:]
        let walker = try #require(
            FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        )
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile! {
            let path = String(url.resolvingSymlinksInPath().path.dropFirst(root.path.count + 1))
            let modified = try #require(
                try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date
            )
            files[path] = (try Data(contentsOf: url), modified)
        }
        return files
    }

    @Test func initInAMissingFolderCreatesExactlyThePlannedFiles() async throws {
        try await withFolder { folder in
            let root = folder.appendingPathComponent("nested/gallery")
            let scaffolder = Scaffolder(root: root)
            #expect(scaffolder.existing().isEmpty)
            let created = try scaffolder.create()
            #expect(created == scaffolder.plannedFiles())
            #expect(Set(try snapshot(root).keys) == Set(scaffolder.plannedFiles()))
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("inputs").path))
            for file in ProjectTemplate.files {
                let text = try String(contentsOf: root.appendingPathComponent(file.path), encoding: .utf8)
                #expect(text == file.text)
                #expect(text.hasSuffix("\n") && !text.contains("\t"), "\(file.path)")
            }
        }
    }

    @Test func theNewProjectChecksCleanAndBuildsOffline() async throws {
        try await withFolder { root in
            _ = try Scaffolder(root: root).create()
            let (project, diagnostics) = try Project.open(at: root)
            #expect(diagnostics.isEmpty, "\(diagnostics)")
            let report = try Checker(project: project).check()
            #expect(report.prompts.map(\.file) == ["prompts/first.md"])
            #expect(report.errors == 0 && report.warnings == 0, "\(report.prompts.flatMap(\.diagnostics))")
            #expect(report.prompts.first?.title == Scaffolder.examplePromptTitle)
            #expect(project.config.concurrency == 4 && project.config.maxCost == 5 && project.config.confirmAbove == 1)
            #expect(project.config.baseURL == nil)

            var options = BuildOptions()
            options.offline = true
            let build = try await Builder(project: project, source: nil).build(options)
            #expect(build.exitStatus == 0)
            let index = try String(contentsOf: root.appendingPathComponent("site/index.html"), encoding: .utf8)
            #expect(index.contains(Scaffolder.examplePromptTitle))
        }
    }

    @Test func aSecondInitRefusesAndChangesNothing() async throws {
        try await withFolder { root in
            let scaffolder = Scaffolder(root: root)
            _ = try scaffolder.create()
            let before = try snapshot(root)
            #expect(scaffolder.existing() == scaffolder.plannedFiles())
            #expect(throws: ScaffoldError.existingFiles(scaffolder.plannedFiles(), in: root.standardizedFileURL.path)) {
                try scaffolder.create()
            }
            let after = try snapshot(root)
            #expect(Set(after.keys) == Set(before.keys))
            for (path, (data, modified)) in before {
                #expect(after[path]?.0 == data, "\(path)")
                #expect(after[path]?.1 == modified, "\(path)")
            }
        }
    }

    @Test func oneExistingFileStopsEveryOther() async throws {
        try await withFolder { root in
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            let old = Data("# my own\n*.log\n".utf8)
            try old.write(to: root.appendingPathComponent(".gitignore"))
            let scaffolder = Scaffolder(root: root)
            #expect(scaffolder.existing() == [".gitignore"])
            let error = try #require(throws: ScaffoldError.self) { try scaffolder.create() }
            #expect(error.existing == [".gitignore"])
            #expect(error.description.contains("remove them or choose another folder"))
            #expect(Set(try snapshot(root).keys) == [".gitignore"])
            #expect(try Data(contentsOf: root.appendingPathComponent(".gitignore")) == old)
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == [".gitignore"])
        }
    }

    @Test func aFileWhereAFolderGoesIsTaken() async throws {
        try await withFolder { root in
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try Data("not a folder\n".utf8).write(to: root.appendingPathComponent("prompts"))
            #expect(Scaffolder(root: root).existing() == ["prompts"])
            #expect(throws: ScaffoldError.self) { try Scaffolder(root: root).create() }
        }
    }

    @Test func aFileAsTheProjectFolderIsRefused() async throws {
        try await withFolder { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("gallery")
            try Data().write(to: file)
            #expect(throws: ScaffoldError.notAFolder(file.standardizedFileURL.path)) {
                try Scaffolder(root: file).create()
            }
        }
    }

    @Test func theWorkflowPublishesTheCommittedCache() throws {
        let workflow = ProjectTemplate.publishWorkflow
        for needle in [
            "actions/checkout@v4", "actions/configure-pages@v5", "actions/upload-pages-artifact@v3",
            "actions/deploy-pages@v4", "actions/cache@v4", "path: site", "easel build --offline",
            "pages: write", "id-token: write", "contents: read", "group: pages", "EASEL_REPOSITORY:",
            "swift build -c release --product easel", "pkg-config libcmark-dev libvips-dev",
        ] {
            #expect(workflow.contains(needle), "\(needle)")
        }
        #expect(!workflow.contains("\t"))
        #expect(!workflow.contains("OPENAI_API_KEY"))
        // Block YAML: every line is indented by an even number of spaces.
        for line in workflow.split(separator: "\n") {
            #expect(line.prefix { $0 == " " }.count % 2 == 0, "\(line)")
        }
    }

    @Test func theIgnoreFileKeepsTheCache() {
        let lines = ProjectTemplate.gitignore.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(lines == ["site/", ".env", ".easel/", ".DS_Store"])
    }

    @Test func theEnvironmentExampleSetsOnlyThePlaceholderKey() {
        #expect(DotEnv.parse(ProjectTemplate.envExample) == ["OPENAI_API_KEY": "sk-..."])
        for name in [
            "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY",
            "OPENAI_API_VERSION",
        ] {
            #expect(ProjectTemplate.envExample.contains("# \(name)="), "\(name)")
        }
    }
}
