import Foundation
import NIOConcurrencyHelpers

/// The browsers connected to `/_easel/events`, and the last build's status sent to each newcomer.
final class ReloadHub: Sendable {
    private struct State {
        var clients: [Int: AsyncStream<String>.Continuation] = [:]
        var nextID = 0
        /// The server is stopping: every stream is finished, and new ones end at once.
        var closed = false
        /// The event every new connection gets first: the problems of the last build.
        var status = ReloadHub.event("status", data: "[]")
    }

    private let state = NIOLockedValueBox(State())

    /// A stream of server-sent events for one browser; finishing it (the browser leaving) unregisters it.
    func connect() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let id = state.withLockedValue { state -> Int? in
            guard !state.closed else { return nil }
            state.nextID += 1
            state.clients[state.nextID] = continuation
            continuation.yield(state.status)
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLockedValue { $0.clients.removeValue(forKey: id) }
        }
        return stream
    }

    /// Tells every browser the site was rebuilt, with the problems found (`problems` is a JSON array).
    func rebuilt(problems: String) {
        let clients = state.withLockedValue { state in
            state.status = Self.event("status", data: problems)
            return Array(state.clients.values)
        }
        for client in clients { client.yield(Self.event("reload", data: problems)) }
    }

    /// Ends every browser's stream, and any opened later: the server is stopping, and an open
    /// stream would keep it waiting for that request to finish (SIGINT was ignored for as long
    /// as a page stayed open).
    func close() {
        let clients = state.withLockedValue { state in
            state.closed = true
            defer { state.clients = [:] }
            return Array(state.clients.values)
        }
        for client in clients { client.finish() }
    }

    var connections: Int { state.withLockedValue { $0.clients.count } }

    /// One server-sent event.
    static func event(_ name: String, data: String) -> String {
        "event: \(name)\ndata: \(data.replacingOccurrences(of: "\n", with: "\ndata: "))\n\n"
    }
}
