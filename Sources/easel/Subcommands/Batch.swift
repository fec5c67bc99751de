import ArgumentParser
import EaselKit
import Foundation

extension Easel {
    struct Batch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The batches `easel build --batch` sent to OpenAI's Batch API.",
            discussion: """
                Each of these first collects the batches that ended, as every build does: their images \
                into the cache, their failures into the plan's count of failed requests.
                """,
            subcommands: [Status.self, Wait.self, Cancel.self]
        )

        /// Opens the project and the API settings, and runs `body` with a builder and a batch client.
        static func withBatches<T: Sendable>(
            _ directory: String,
            _ body: @escaping @Sendable (Builder, BatchClient) async throws -> T
        ) async throws -> T {
            let options = try ProjectOptions.parse([directory])
            let project = try options.openProject()
            guard let api = APISettings.resolve(projectRoot: project.root) else {
                printError("error: OPENAI_API_KEY is not set: the Batch API cannot be asked")
                throw ExitCode.invalidConfiguration
            }
            let lock = try lockProject(project)
            defer { withExtendedLifetime(lock) {} }
            do {
                return try await ImagesClient.withHTTPClient(for: api) { http in
                    try await body(Builder(project: project, source: nil), BatchClient(settings: api, httpClient: http))
                }
            } catch let error as ExitCode {
                throw error
            } catch {
                printError("error: \(error)")
                throw ExitCode.failure
            }
        }

        /// Runs `action` and prints what the batches came to.
        static func report(
            _ directory: String,
            _ action: @escaping @Sendable (Builder, BatchClient) async throws -> BatchCollection
        ) async throws {
            let collection = try await withBatches(directory, action)
            for line in describe(collection) { printOutput(line) }
        }

        /// "batch_abc  in_progress  7 of 9 done, 1 failed".
        static func describe(_ collection: BatchCollection) -> [String] {
            var lines = Console.line(for: collection).map { [$0] } ?? ["no batch is open"]
            for batch in collection.open {
                lines.append(
                    "\(batch.id)  \(batch.status)  \(batch.completed) of \(batch.total) done"
                        + (batch.failed > 0 ? ", \(batch.failed) failed" : "")
                )
            }
            return lines
        }

        struct Status: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Collect the batches that ended, and list those still running."
            )

            @Argument(help: "The project folder (holding prompts/).", completion: .directory)
            var directory: String = "."

            func run() async throws {
                try await Batch.report(directory) { try await $0.collectBatches(with: $1) }
            }
        }

        struct Wait: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Wait for every open batch to end, collecting each as it does."
            )

            @Argument(help: "The project folder (holding prompts/).", completion: .directory)
            var directory: String = "."

            @Option(name: .long, help: ArgumentHelp("Seconds between the first looks (default 30).", valueName: "s"))
            var interval: Int = 30

            func validate() throws {
                if !(1...3600).contains(interval) { throw ValidationError("--interval must be from 1 to 3600 seconds") }
            }

            func run() async throws {
                let interval = interval
                try await Batch.withBatches(directory) { builder, client in
                    let started = ContinuousClock.now
                    // Backoff from `interval` to 10 minutes: a batch takes up to 24 hours.
                    var wait = Double(interval)
                    while true {
                        let collection = try await builder.collectBatches(with: client)
                        if let line = Console.line(for: collection) { printError(line) }
                        guard !collection.open.isEmpty else { break }
                        let done = collection.open.reduce(0) { $0 + $1.completed }
                        let total = collection.open.reduce(0) { $0 + $1.total }
                        let elapsed = Int(started.duration(to: .now).components.seconds)
                        printError(
                            "waiting for \(collection.open.count) batch(es): \(done) of \(total) requests done,"
                                + " \(elapsed / 60) min so far; next look in \(Int(wait)) s"
                        )
                        try await Task.sleep(for: .seconds(wait))
                        wait = min(wait * 1.5, 600)
                    }
                }
            }
        }

        struct Cancel: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Cancel every open batch, keeping what each finished; the rest goes back to the plan."
            )

            @Argument(help: "The project folder (holding prompts/).", completion: .directory)
            var directory: String = "."

            func run() async throws {
                try await Batch.report(directory) { try await $0.cancelBatches(with: $1) }
            }
        }
    }
}
