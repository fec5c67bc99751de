public import Foundation

/// One prompt file, read and checked: what the page shows and, when it is valid, the request to make.
public struct PromptFile: Sendable, Codable {
    /// Path inside the project, e.g. `prompts/space/death-star.md`.
    public var path: String
    /// Title from the front matter, else the leading heading, else the file name.
    public var title: String
    public var tags: [String]
    /// The display and sort date from the front matter.
    public var date: Date?
    public var isDraft: Bool
    /// The body rendered by cmark, raw HTML omitted.
    public var html: String
    /// The body as plain text: what the API receives.
    public var text: String
    /// The model the prompt names (or the default), for display even when the prompt is invalid.
    public var model: String
    /// What the prompt asks for.
    public var kind: Kind
    /// The request, or nil when the prompt has errors.
    public var request: ImageRequest?
    /// Errors and warnings, in file order.
    public var diagnostics: [Diagnostic]
    /// The file's text as read (empty when it could not be read): the page is made from it.
    var source = ""
    /// The requests of a `compare:` prompt; ``request`` is then its picked cell's.
    public var compare: Comparison? = nil

    /// A new image, a change to given images, or a variation of one.
    public enum Kind: String, Sendable, Codable {
        case generation, edit, variation
    }

    /// True when the prompt can be generated: for a `compare:` prompt, at least one of its cells.
    public var isValid: Bool { !requests.isEmpty }

    /// Every request the prompt makes: its own, or each valid cell's of a `compare:` prompt.
    public var requests: [ImageRequest] {
        guard let compare else { return request.map { [$0] } ?? [] }
        return compare.cells.compactMap(\.request)
    }

    /// The album: the folders between prompts/ and the file ("space/stations"), or nil at the top;
    /// at most ``Limits/albumDepth`` of them (the first).
    public var album: String? {
        // Asked of every card of every list page: the text between the first and the last "/",
        // without splitting the path; one with an empty folder name ("a//b.md", "/a.md") is split.
        guard !path.hasPrefix("/"), !path.hasSuffix("/"), !path.contains("//") else {
            let parts = path.split(separator: "/").dropFirst().dropLast().prefix(Limits.albumDepth)
            return parts.isEmpty ? nil : parts.joined(separator: "/")
        }
        let slash = UInt8(ascii: "/")
        guard let first = path.utf8.firstIndex(of: slash), let last = path.utf8.lastIndex(of: slash), first < last
        else { return nil }
        let folders = path.utf8[path.utf8.index(after: first)..<last]
        var end = last
        var count = 0
        for index in folders.indices where folders[index] == slash {
            count += 1
            if count == Limits.albumDepth {
                end = index
                break
            }
        }
        return String(path[path.index(after: first)..<end])
    }

    /// How many folders inside prompts/ the file at `path` ("prompts/a/b.md": 1) is in.
    static func folderDepth(of path: String) -> Int {
        max(0, path.utf8.lazy.filter { $0 == UInt8(ascii: "/") }.count - 1)
    }

    /// The file name without its extension.
    public var name: String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
