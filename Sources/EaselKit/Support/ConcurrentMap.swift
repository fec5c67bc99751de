import Dispatch
import Foundation
import NIOConcurrencyHelpers

extension Array where Element: Sendable {
    /// `map` spread over every core, for CPU-bound work on many small items (parsing prompt files,
    /// decoding cache records). Results keep the input order.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        let chunks = Swift.min(count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let size = (count + chunks - 1) / chunks
        let results = NIOLockedValueBox([[T]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * size
            guard start < count else { return }
            let part = self[start..<Swift.min(count, start + size)].map(transform)
            results.withLockedValue { $0[chunk] = part }
        }
        return results.withLockedValue { $0.flatMap { $0 } }
    }
}
