import Dispatch
import Foundation
internal import NIOConcurrencyHelpers

/// Writes pages in order on a serial queue of its own, keeping the first error. At most
/// ``pending`` pages wait: renderers faster than the disk wait for it rather than hold every page
/// of a 10,000-prompt site in memory.
final class PageWrites: Sendable {
    /// How many rendered pages may wait for the writer.
    static let pending = 128
    private let folder: SiteWriter.Folder
    private let queue = DispatchQueue(label: "easel.page-writes")
    /// Where the pages replaced are removed, beside the writing: on a file system mounted with
    /// `discard`, removing a file whose blocks are on disk waits for the disk to discard them (10,000
    /// such waits were 0.5–1 s of a site-wide render of 10,000 prompts after `sync`, the writer idle
    /// and the renderers waiting for it).
    private let removals = DispatchQueue(label: "easel.page-removals")
    private let failure = NIOLockedValueBox<(any Error)?>(nil)
    // The renderers wait on it from their tasks; the writer, on a queue of its own, never does,
    // so a full queue always drains.
    private let room = DispatchSemaphore(value: PageWrites.pending)

    init(folder writer: SiteWriter) {
        self.folder = writer.destination
    }

    func write(_ data: Data, to path: String) {
        room.wait()
        queue.async { [folder, failure, room, removals] in
            defer { room.signal() }
            guard failure.withLockedValue({ $0 == nil }) else { return }
            do {
                try AtomicFile.writeIfChanged(parts: [data], to: folder.url(path), durable: false) { old in
                    removals.async { _ = unlink(old) }
                }
            } catch {
                failure.withLockedValue { $0 = $0 ?? error }
            }
        }
    }

    /// Waits for every write, without blocking a thread.
    /// - Throws: the first write's error.
    func finish() async throws {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in queue.async { done.resume() } }
        // Every removal was queued by a write: none is left once they are done.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in removals.async { done.resume() } }
        if let error = failure.withLockedValue({ $0 }) { throw error }
    }

}
