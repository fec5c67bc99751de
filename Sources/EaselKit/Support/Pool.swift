import NIOConcurrencyHelpers

/// Values lent to one task at a time: a task takes one (or makes its own when none is free) and
/// gives it back when done, so that as many are made as run at once, not one per task.
final class Pool<Value: Sendable>: Sendable {
    private let free: NIOLockedValueBox<[Value]>

    init(_ values: [Value] = []) {
        free = NIOLockedValueBox(values)
    }

    /// A free value, which is the caller's until ``give(_:)``; nil when every one is lent.
    func take() -> Value? {
        free.withLockedValue { $0.popLast() }
    }

    /// Returns `value` for another task to take.
    func give(_ value: Value) {
        free.withLockedValue { $0.append(value) }
    }
}
