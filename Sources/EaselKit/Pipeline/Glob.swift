#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style patterns for `--only`: `*`, `?` and `[…]`, where `*` also crosses folders.
///
/// A pattern matches a prompt's path inside prompts/ (`space/death-star.md`) or inside the
/// project (`prompts/space/death-star.md`); a pattern without an extension also matches the path
/// without `.md`, so `--only 'space/*'` and `--only death-star` both work.
enum Glob {
    static func matches(_ pattern: String, path: String) -> Bool {
        var forms = [path]
        if path.hasPrefix("prompts/") { forms.append(String(path.dropFirst("prompts/".count))) }
        if let name = path.split(separator: "/").last { forms.append(String(name)) }
        for form in forms {
            if fnmatch(pattern, form, 0) == 0 { return true }
            if let dot = form.lastIndex(of: "."), fnmatch(pattern, String(form[..<dot]), 0) == 0 { return true }
        }
        return false
    }
}
