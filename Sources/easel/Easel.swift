import ArgumentParser
import EaselKit
import Foundation

#if canImport(Glibc)
import Glibc
#endif

@main
struct Easel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "easel",
        abstract: "Turn a folder of Markdown prompt files into a static gallery of AI-generated images.",
        discussion: """
            Only prompts never generated before go to the image API; everything else comes from cache/, \
            which you commit like source. Exit status: 0 all prompts built, 1 a prompt failed or is invalid, \
            2 bad invocation or configuration.
            """,
        version: EaselVersion.current,
        subcommands: [Init.self, Build.self, Check.self, Serve.self, Prune.self, Batch.self]
    )

    /// Runs the command, mapping ArgumentParser's usage errors to exit status 2 (SPEC §5).
    static func main() async {
        #if canImport(Glibc)
        // glibc raises its mmap threshold each time a large block is freed (up to 32 MB); from then
        // on a build's big buffers (state files, the data files of 10,000 prompts) come from the
        // heap and stay resident once freed. Held at 1 MB, they are given back: a one-prompt
        // rebuild of 10,000 prompts peaked at 269 MB instead of 305.
        // <malloc.h> is not part of Swift's Glibc module: mallopt is looked up, M_MMAP_THRESHOLD is -3.
        if let mallopt = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            _ = unsafeBitCast(mallopt, to: Mallopt.self)(-3, 1 << 20)
        }
        #endif
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? ExitCode.invalidConfiguration.rawValue : code.rawValue)
        }
    }
}

extension ExitCode {
    /// Bad invocation or configuration: nothing was built.
    static let invalidConfiguration = ExitCode(2)
}
