import ArgumentParser
import Testing

/// The exit status `type` ends with, parsed from `arguments` and run in-process.
func status<Command: AsyncParsableCommand>(_ type: Command.Type, _ arguments: [String]) async -> Int32 {
    do {
        var command = try Command.parse(arguments)
        try await command.run()
        return 0
    } catch let exit as ExitCode {
        return exit.rawValue
    } catch {
        Issue.record("unexpected error \(error)")
        return -1
    }
}
