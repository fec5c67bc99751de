import Foundation

/// Removes secrets from text before it can reach a log, the terminal, the cache or the site.
///
/// OpenAI's own 401 message echoes the key it was given ("Incorrect API key provided: sk-…"), so
/// every message from the API passes through here: the configured key, and anything shaped like
/// an OpenAI key, become `sk-…REDACTED`.
struct Redactor: Sendable {
    static let replacement = "sk-…REDACTED"

    private let secrets: [String]

    /// A redactor for `secrets` (empty strings are ignored) and every key-shaped word.
    init(secrets: [String]) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// Text a server sent (a body field, a header), made safe to keep and show: secrets removed,
    /// control characters and line breaks made spaces, cut to `limit` characters.
    ///
    /// Applied once, where the answer is decoded, to every string Easel keeps from it.
    func serverText(_ text: String, limit: Int = 2_000) -> String {
        // Cut first (generously) so that a 60 MB field is never searched whole; the key may
        // straddle the cut, so the cut is redacted again below.
        var flat = String(
            String.UnicodeScalarView(
                text.unicodeScalars.prefix(limit + 256).map {
                    $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0
                }
            )
        )
        flat = redact(flat)
        guard flat.count > limit else { return flat }
        return redact(String(flat.prefix(limit))) + "…"
    }

    func redact(_ text: String) -> String {
        var text = text
        for secret in secrets { text = text.replacingOccurrences(of: secret, with: Self.replacement) }
        // sk-…, sk-proj-…, sk-svcacct-…: the key shapes OpenAI issues, also partly masked ("sk-abc***xyz").
        text = text.replacingOccurrences(
            of: #"sk-(?!…REDACTED)[A-Za-z0-9_*\-]{6,}"#,
            with: Self.replacement,
            options: .regularExpression
        )
        return text
    }
}
