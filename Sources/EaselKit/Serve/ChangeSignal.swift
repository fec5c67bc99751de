import Dispatch
import Foundation
internal import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// Tells ``ProjectWatcher`` that something changed in the folders it watches, as the kernel reports
/// it (Linux inotify): no event is read for what it says, only as a reason to look now. Nil where
/// inotify cannot be had (another system, or no instance left); a folder that cannot be watched
/// (the watch limit) is simply left to polling.
///
/// Unchecked: `source` is set once and only cancelled in `deinit`; a dispatch source may be used
/// from any thread, and the rest is behind a lock.
final class ChangeSignal: @unchecked Sendable {
    private let descriptor: Int32
    private let source: any DispatchSourceRead
    /// Whether an event came since the last look, and who waits for the next: the watcher alone.
    private struct State {
        var changed = false
        var waiter: CheckedContinuation<Void, Never>?
        /// The wait was cancelled before its continuation was put here.
        var cancelled = false

        /// Resumes the waiter; with none, sets `flag`, so that the next wait returns at once.
        mutating func wake(marking flag: WritableKeyPath<State, Bool>) {
            if let waiter {
                self.waiter = nil
                waiter.resume()
            } else {
                self[keyPath: flag] = true
            }
        }
    }

    private let state = NIOLockedValueBox(State())

    init?() {
        #if canImport(Glibc)
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: DispatchQueue(label: "easel.watch"))
        let state = state
        source.setEventHandler {
            // The events are drained, not parsed: the snapshot says what changed.
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
            state.withLockedValue { $0.wake(marking: \.changed) }
        }
        source.setCancelHandler { close(descriptor) }
        source.resume()
        #else
        return nil
        #endif
    }

    deinit {
        source.cancel()
    }

    /// Watches each of `folders`; a link is never followed. Asked again for every folder at every
    /// look: the kernel keeps one watch per folder, and a folder deleted and made again under the
    /// same name needs a new one.
    func watch(_ folders: [String]) {
        #if canImport(Glibc)
        let events =
            IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_ONLYDIR
        for folder in folders { _ = inotify_add_watch(descriptor, folder, UInt32(events)) }
        #endif
    }

    /// Returns once an event has come since the last call (at once if one is waiting), or after
    /// `timeout`; nothing wakes an idle server in between.
    /// - Returns: true when an event came, false at the timeout.
    @discardableResult
    func wait(upTo timeout: Duration) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.nextEvent()
                return !Task.isCancelled
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
    }

    /// Returns at the next event (or at once when one came since the last look), or when cancelled.
    private func nextEvent() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let now = state.withLockedValue { state -> Bool in
                    if state.changed || state.cancelled {
                        (state.changed, state.cancelled) = (false, false)
                        return true
                    }
                    state.waiter = waiter
                    return false
                }
                if now { waiter.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.wake(marking: \.cancelled) }
        }
    }

    /// Returns after a spell of `quiet` without any event, or after `limit`.
    func settle(for quiet: Duration, atMost limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        _ = take()
        repeat {
            try await Task.sleep(for: quiet)
        } while take() && ContinuousClock.now < deadline
    }

    /// Whether an event came since the last look, which this is not.
    var pending: Bool { state.withLockedValue { $0.changed } }

    /// Whether an event came since the last call (or the last wait or settle).
    func take() -> Bool {
        state.withLockedValue { state in
            defer { state.changed = false }
            return state.changed
        }
    }
}
