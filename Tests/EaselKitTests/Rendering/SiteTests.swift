import Foundation
import Testing

@testable import EaselKit

struct SiteTests {
    private static let hostile = #"<script>alert("x")</script> & 'quotes'"#

    private func build(
        _ project: TemporaryProject,
        source: (any ImageSource)? = RecordingSource()
    ) async throws -> BuildReport {
        try await Builder(project: try project.open(), source: source).build(BuildOptions())
    }

    /// Every file of the site with its content.
    private func pages(_ project: TemporaryProject) throws -> [String: String] {
        let site = project.root.appendingPathComponent("site")
        var pages: [String: String] = [:]
        for case let url as URL in FileManager.default.enumerator(at: site, includingPropertiesForKeys: nil)!
        where url.pathExtension == "html" {
            pages[String(url.path.dropFirst(site.path.count + 1))] = try String(contentsOf: url, encoding: .utf8)
        }
        return pages
    }

    @Test func everyFieldIsHTMLEscaped() async throws {
        try await TemporaryProject.with { project in
            let quoted = "\"" + Self.hostile.replacingOccurrences(of: "\"", with: "\\\"") + "\""
            try project.write("easel.yml", "title: \(quoted)\ndescription: \(quoted)\n")
            try project.write(
                "prompts/x.md",
                """
                ---
                title: \(quoted)
                tags: [\(quoted)]
                ---
                \(Self.hostile.replacingOccurrences(of: "<script>", with: "").replacingOccurrences(of: "</script>", with: ""))
                """
            )
            _ = try await build(project)
            let all = try pages(project)
            #expect(all.keys.sorted() == ["index.html", "prompts/x.html", "stats.html"])
            for (name, html) in all {
                #expect(!html.contains("<script>alert"), "unescaped markup in \(name)")
                #expect(
                    html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;"),
                    "\(name)"
                )
            }
        }
    }

    @Test func rawHTMLInMarkdownIsOmitted() async throws {
        try await TemporaryProject.with { project in
            try project.write(
                "prompts/x.md",
                "A cat <img src=x onerror=alert(1)> on a mat.\n\n<iframe src=evil></iframe>\n"
            )
            _ = try await build(project)
            let page = try project.read("site/prompts/x.html")
            #expect(!page.contains("onerror") && !page.contains("<iframe"))
            #expect(page.contains("A cat <!-- raw HTML omitted --> on a mat."))
        }
    }

    @Test func everyLinkIsRelative() async throws {
        try await TemporaryProject.with { project in
            try project.writeImage("inputs/in.png")
            try project.write("prompts/deep/er/x.md", "---\nedit: inputs/in.png\n---\nA cat.")
            try project.write("prompts/y.md", "A dog.")
            _ = try await build(project)
            for (name, html) in try pages(project) {
                for attribute in ["href=\"", "src=\""] {
                    for part in html.components(separatedBy: attribute).dropFirst() {
                        let target = String(part.prefix { $0 != "\"" })
                        // The one outgoing link: the Content Credentials verifier, never loaded.
                        if attribute == "href=\"" && target == PageModelBuilder.verifierURL
                            && part.prefix(while: { $0 != ">" }).contains(#"rel="external noopener""#)
                        {
                            continue
                        }
                        #expect(!target.hasPrefix("/") && !target.contains("://"), "\(name): \(attribute)\(target)")
                        if target.hasPrefix("#") || target.hasPrefix("data:") || target.isEmpty { continue }
                        let resolved = project.root.appendingPathComponent("site")
                            .appendingPathComponent(name).deletingLastPathComponent()
                            .appendingPathComponent(String(target.prefix { $0 != "#" })).standardizedFileURL
                        #expect(
                            FileManager.default.fileExists(atPath: resolved.path),
                            "\(name) links to missing \(target)"
                        )
                    }
                }
            }
        }
    }

    @Test func placeholdersAreMarkedAndTimesAreMachineReadable() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/generated.md", "A cat.")
            _ = try await build(project)
            try project.write("prompts/missing.md", "A dog.")
            _ = try await build(project, source: nil)
            let index = try project.read("site/index.html")
            #expect(index.contains("placeholder"))
            #expect(index.contains(#"<time datetime="2025-11-24T16:00:00Z">24 Nov 2025, 16:00 UTC</time>"#))
            let missing = try project.read("site/prompts/missing.html")
            #expect(missing.lowercased().contains("placeholder"))
            let generated = try project.read("site/prompts/generated.html")
            for detail in ["gpt-image-2", "6.2 s", "req_123", "50 in · 4,160 out", "$0.13"] {
                #expect(generated.contains(detail), "\(detail)")
            }
        }
    }

    @Test func rebuildingWithNothingChangedRewritesNoFile() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            try project.write("prompts/b.md", "A dog.")
            _ = try await build(project)
            let before = try snapshot(project)
            _ = try await build(project)
            let after = try snapshot(project)
            #expect(after == before, "\(after.filter { before[$0.key] != $0.value }.keys.sorted())")
        }
    }

    @Test func filesOfRemovedPromptsAreRemovedAndOthersKept() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "A cat.")
            try project.write("prompts/album/b.md", "A dog.")
            _ = try await build(project)
            try project.write("site/CNAME", "gallery.example.com")
            try FileManager.default.removeItem(at: project.root.appendingPathComponent("prompts/album/b.md"))
            _ = try await build(project)
            #expect(!project.exists("site/prompts/album/b.html") && !project.exists("site/prompts/album"))
            #expect(project.exists("site/prompts/a.html"))
            #expect(
                try project.read("site/CNAME") == "gallery.example.com",
                "a file Easel did not write is never removed"
            )
        }
    }

    @Test func aProjectTemplateOverridesTheBuiltInFileByFile() async throws {
        try await TemporaryProject.with { project in
            try project.write("templates/prompt.mustache", "<p>custom {{title}}</p>")
            try project.write("templates/assets/extra.css", "body{}")
            try project.write("prompts/a.md", "# A & B\n\nA cat.")
            _ = try await build(project)
            #expect(try project.read("site/prompts/a.html") == "<p>custom A &amp; B</p>")
            #expect(
                try project.read("site/index.html").contains("<!doctype html>")
                    || project.read("site/index.html").contains("<!DOCTYPE html>")
            )
            #expect(project.exists("site/assets/extra.css") && project.exists("site/assets/style.css"))
        }
    }

    @Test func aBrokenTemplateIsReportedWithItsPosition() async throws {
        try await TemporaryProject.with { project in
            try project.write("templates/card.mustache", "line one\n{{#section}}never closed")
            try project.write("prompts/a.md", "A cat.")
            await #expect(throws: ThemeError.self) { _ = try await build(project) }
            do {
                _ = try await build(project)
            } catch let error as ThemeError {
                #expect(error.template == "templates/card.mustache")
            }
            #expect(!project.exists("site"))
        }
    }

    @Test func publishedOriginalsCarryTheirPromptAndTheCacheKeepsTheAPIsBytes() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/cat.md", "---\ntitle: Café <cat>\nsize: 1024x1024\n---\nA cat on a mat.")
            _ = try await build(project)
            let images = try FileManager.default.contentsOfDirectory(
                atPath: project.root.appendingPathComponent("site/images").path
            )
            let original = try #require(images.first)
            let data = try Data(contentsOf: project.root.appendingPathComponent("site/images/\(original)"))
            let provenance = try #require(Provenance.read(from: data, format: "png"))
            #expect(provenance.title == "Café <cat>" && provenance.prompt == "A cat on a mat.")
            #expect(provenance.settings.contains(.init(key: "prompt_file", value: "prompts/cat.md")))
            #expect(provenance.settings.contains(.init(key: "model", value: "gpt-image-2")))

            let entry = try #require(try project.open().cache.allEntries().first)
            let cached = try Data(contentsOf: try #require(entry.imageURLs.first))
            #expect(CacheKey.sha256(cached) == entry.record.images.first?.sha256, "the cache keeps the API's bytes")
            #expect(Provenance.read(from: cached, format: "png") == nil)

            try project.write("prompts/cat.md", "---\ntitle: Renamed cat\nsize: 1024x1024\n---\nA cat on a mat.")
            _ = try await build(project)
            let renamed = try FileManager.default.contentsOfDirectory(
                atPath: project.root.appendingPathComponent("site/images").path
            )
            #expect(renamed.count == 1 && renamed != images, "a new title rewrites the original's metadata")
        }
    }

    /// Path → inode and modification time of every file in site/.
    private func snapshot(_ project: TemporaryProject) throws -> [String: String] {
        let site = project.root.appendingPathComponent("site")
        var result: [String: String] = [:]
        for case let url as URL in FileManager.default.enumerator(at: site, includingPropertiesForKeys: nil)! {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            result[url.path] = "\(attributes[.systemFileNumber] ?? 0) \(attributes[.modificationDate] ?? 0)"
        }
        return result
    }
}
