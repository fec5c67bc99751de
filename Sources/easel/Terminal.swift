import EaselKit
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `easel` needs of the terminal: whether there is one, questions, and Ctrl-C.
enum Terminal {
    /// Standard input and standard error are both a terminal: a person can answer.
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    static var isErrorTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Asks a yes/no question on standard error; anything but y or yes is no.
    static func ask(_ question: String) -> Bool {
        FileHandle.standardError.write(Data(question.utf8))
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }

    /// Runs `body` with SIGINT and SIGTERM turned into `control.interrupt()`: the first stops new
    /// requests, the second cancels those in flight. Default handling is restored afterwards.
    static func whileInterruptible<T>(_ control: BuildControl, _ body: () async throws -> T) async rethrows -> T {
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let seen = control.interrupt()
                printError(
                    seen == 1
                        ? "\ninterrupted: no new requests; waiting for those in flight (again to cancel them)"
                        : "\ncancelling the requests in flight"
                )
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        return try await body()
    }
}
