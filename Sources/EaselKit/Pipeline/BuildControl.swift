import NIOConcurrencyHelpers

/// Lets the command line stop a running build: the first ``interrupt()`` stops new requests and
/// lets those in flight finish within the grace period; the second cancels them.
public final class BuildControl: Sendable {
    /// What an interruption asks for.
    public enum Event: Sendable {
        /// Start nothing new; let requests in flight finish.
        case stop
        /// Cancel the requests in flight too.
        case cancel
    }

    /// How long requests in flight may take to finish after a stop.
    public let gracePeriod: Duration
    private let stream: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let count = ManagedCounter()

    /// A control whose stop waits `gracePeriod` for requests in flight.
    public init(gracePeriod: Duration = .seconds(30)) {
        self.gracePeriod = gracePeriod
        (stream, continuation) = AsyncStream.makeStream(of: Event.self)
    }

    /// Asks the build to stop (the first time) or to cancel what is in flight (after that).
    /// - Returns: how many times it has been interrupted, this time included.
    @discardableResult
    public func interrupt() -> Int {
        let seen = count.increment()
        continuation.yield(seen == 1 ? .stop : .cancel)
        return seen
    }

    /// The next interruption, or nil when the waiting task is cancelled.
    func next() async -> Event? {
        for await event in stream { return event }
        return nil
    }
}

/// A thread-safe counter.
private final class ManagedCounter: Sendable {
    private let value = NIOLockedValueBox(0)

    func increment() -> Int {
        value.withLockedValue { value in
            value += 1
            return value
        }
    }
}
