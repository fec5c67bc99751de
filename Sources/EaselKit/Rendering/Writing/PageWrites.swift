import Dispatch
import Foundation
internal import NIOConcurrencyHelpers

/// Writes pages in order on a serial queue of its own, keeping the first error.
final class PageWrites: Sendable {
    private let folder: SiteWriter.Folder
    private let queue = DispatchQueue(label: "easel.page-writes")
    private let failure = NIOLockedValueBox<(any Error)?>(nil)

    init(folder writer: SiteWriter) {
        self.folder = writer.destination
    }

    func write(_ data: Data, to path: String) {
        queue.async { [folder, failure] in
            guard failure.withLockedValue({ $0 == nil }) else { return }
            do {
                try AtomicFile.writeIfChanged(data, to: folder.url(path), durable: false)
            } catch {
                failure.withLockedValue { $0 = $0 ?? error }
            }
        }
    }

    /// Waits for every write, without blocking a thread.
    /// - Throws: the first write's error.
    func finish() async throws {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in queue.async { done.resume() } }
        if let error = failure.withLockedValue({ $0 }) { throw error }
    }

}
