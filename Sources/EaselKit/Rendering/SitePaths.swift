import Foundation

/// Where each prompt's page goes: `prompts/<album>/<slug>.html`, names made URL-safe and unique.
struct SitePaths {
    private var taken: Set<String> = []

    /// The page path for `prompt`, unique among the pages assigned so far.
    mutating func page(for prompt: PromptFile) -> String {
        let folders = (prompt.album ?? "").split(separator: "/").map { Self.slug(String($0)) }
        let base = (["prompts"] + folders).joined(separator: "/") + "/" + Self.slug(prompt.name)
        var path = base + ".html"
        var suffix = 2
        while taken.contains(path) {
            path = "\(base)-\(suffix).html"
            suffix += 1
        }
        taken.insert(path)
        return path
    }

    /// Lower-case ASCII letters, digits, `-` and `_`; anything else becomes `-`.
    static func slug(_ name: String) -> String {
        var slug = ""
        for character in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(character) || ("0"..."9").contains(character) || character == "_" {
                slug.unicodeScalars.append(character)
            } else if !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        while slug.hasPrefix("-") { slug.removeFirst() }
        return slug.isEmpty ? "prompt" : slug
    }

    /// "../" once per folder of `path`: the way from a page back to the site root.
    static func root(of path: String) -> String {
        String(repeating: "../", count: path.split(separator: "/").count - 1)
    }

    /// `text` with the project's and the site's absolute paths made relative: no page or message
    /// shows where the project lies on the machine that built it.
    static func relative(_ text: String, output: URL, project: Project) -> String {
        text.replacingOccurrences(of: output.standardizedFileURL.path + "/", with: "site/")
            .replacingOccurrences(of: project.root.path + "/", with: "")
    }
}
