import Foundation
internal import NIOConcurrencyHelpers

/// The local state files of `.easel/` this process wrote or read last, kept decoded, for a process that builds
/// again and again (`easel serve`): the next build takes a file's content from here instead of reading and
/// decoding it (10,000 prompts' parse record and cache memo took 1.7 s to decode, on every saved edit).
///
/// A kept value is used only while the file is exactly the one written — same device, inode, size,
/// modification and change time (an atomic write makes a new inode) — and only for the same context;
/// anything else reads the file as usual. Off unless ``enable()`` is called: a one-shot build would only
/// hold memory it no longer needs.
enum StateFileMemory {
    private struct Kept: @unchecked Sendable {
        // `value` is one of the state types below, all Sendable; `any Sendable` cannot be cast back to them
        // without this wrapper's help on Linux's runtime.
        var look: FileLook
        var context: String
        var value: any Sendable
    }

    /// Nil while off.
    private static let kept = NIOLockedValueBox<[String: Kept]?>(nil)

    /// Keeps what this process writes and reads from now on.
    static func enable() {
        kept.withLockedValue { if $0 == nil { $0 = [:] } }
    }

    /// Keeps `value` as the content of the file at `url`, just written in `context`.
    static func remember(_ value: any Sendable, at url: URL, context: String) {
        remember(value, at: url, context: context, readAs: FileLook.of(url.path))
    }

    /// Keeps `value` as the content of the file at `url` in `context`, read when the file looked as
    /// `look`: only while it still does (a file replaced while it was read is read again next time).
    /// A state file that does not change is never written again, and was decoded on every rebuild.
    static func remember(_ value: any Sendable, at url: URL, context: String, readAs look: FileLook?) {
        kept.withLockedValue { kept in
            guard kept != nil else { return }
            guard let look, look.kind == .regularFile, FileLook.of(url.path) == look else {
                kept?[url.path] = nil
                return
            }
            kept?[url.path] = Kept(look: look, context: context, value: value)
        }
    }

    /// The value kept for the file at `url` in `context`, when the file is still the one written.
    static func recall<T: Sendable>(_ type: T.Type, at url: URL, context: String) -> T? {
        guard let entry = kept.withLockedValue({ $0?[url.path] }), entry.context == context,
            FileLook.of(url.path) == entry.look
        else { return nil }
        return entry.value as? T
    }
}
