import NIOConcurrencyHelpers

/// Admits API attempts: at most `limit` in flight; after a 429 the limit drops to the number of
/// other attempts the server was taking at that moment, and once the server has been calm for a
/// while it rises again one step a second. Closed at once by a failure that ends the run or by an
/// interruption, after which no attempt starts.
///
/// The builder owns the gate; an ``ImageSource`` asks it before every attempt, retries included,
/// and tells it how the attempt went.
public final class RequestGate: Sendable {
    /// Why an attempt was not started.
    public struct Closed: Error, Sendable, CustomStringConvertible {
        public var reason: String
        /// True when the user interrupted the build (the prompt is not a failure, only not done).
        public var interrupted: Bool
        public var description: String { reason }
    }

    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var limit: Int
        var inFlight = 0
        var waiters: [Waiter] = []
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var closed: Closed?
        var calmUntil: ContinuousClock.Instant?
        var rateLimited = 0
        var peak = 0
    }

    /// The most attempts in flight, when the server does not push back.
    public let maximum: Int
    /// How long after a 429 the limit stays down before it starts to rise again.
    let calmPeriod: Duration
    private let state: NIOLockedValueBox<State>

    /// A gate letting up to `maximum` attempts run at once.
    public init(maximum: Int, calmPeriod: Duration = .seconds(5)) {
        self.maximum = max(1, maximum)
        self.calmPeriod = calmPeriod
        self.state = NIOLockedValueBox(State(limit: max(1, maximum)))
    }

    /// The current limit, attempts in flight, 429s seen and the most attempts ever in flight together.
    public var snapshot: (limit: Int, inFlight: Int, rateLimited: Int, peak: Int) {
        state.withLockedValue { ($0.limit, $0.inFlight, $0.rateLimited, $0.peak) }
    }

    /// Waits for a free slot.
    /// - Throws: ``Closed`` when the gate is closed, `CancellationError` when the task is cancelled.
    public func acquire() async throws {
        let id = state.withLockedValue { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Decision {
                    case acquired, waiting
                    case failed(any Error)
                }
                let decision: Decision = state.withLockedValue { state in
                    if let closed = state.closed { return .failed(closed) }
                    if state.cancelled.remove(id) != nil { return .failed(CancellationError()) }
                    if state.waiters.isEmpty, state.inFlight < state.limit {
                        state.inFlight += 1
                        state.peak = max(state.peak, state.inFlight)
                        return .acquired
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .waiting
                }
                switch decision {
                case .acquired: continuation.resume()
                case .failed(let error): continuation.resume(throwing: error)
                case .waiting: break  // release(), close() or cancellation resumes it
                }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLockedValue { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Frees a slot. A rate-limited attempt lowers the limit to the attempts still in flight (what
    /// the server was evidently able to take); a successful one raises it by one, once the calm
    /// period after the last 429 is over, and at most once a second.
    public func release(rateLimited: Bool = false) {
        let now = ContinuousClock.now
        let ready: [Waiter] = state.withLockedValue { state in
            if rateLimited {
                state.rateLimited += 1
                state.limit = max(1, min(state.limit, state.inFlight - 1))
                state.calmUntil = now.advanced(by: calmPeriod)
            } else if state.limit < maximum, state.calmUntil.map({ now >= $0 }) ?? true {
                state.limit += 1
                state.calmUntil = now.advanced(by: .seconds(1))
            }
            state.inFlight -= 1
            var ready: [Waiter] = []
            while state.inFlight < state.limit, !state.waiters.isEmpty {
                ready.append(state.waiters.removeFirst())
                state.inFlight += 1
                state.peak = max(state.peak, state.inFlight)
            }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Closes the gate: every waiting attempt fails with `reason`, and no attempt starts again.
    public func close(_ reason: String, interrupted: Bool = false) {
        let (waiting, closed): ([Waiter], Closed) = state.withLockedValue { state in
            let closed = state.closed ?? Closed(reason: reason, interrupted: interrupted)
            state.closed = closed
            defer { state.waiters = [] }
            return (state.waiters, closed)
        }
        for waiter in waiting { waiter.continuation.resume(throwing: closed) }
    }

    /// Whether the gate is closed, and why.
    public var closedReason: Closed? { state.withLockedValue { $0.closed } }
}
