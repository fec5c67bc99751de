import Foundation
import Testing

@testable import easel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What only the commands show of issue 11: exit statuses for a refused output folder, and a
/// `serve` that stops on SIGINT while a browser holds its event stream (holes 6 and 8).
struct HostileCommandTests {
    /// On 1d745f2 these replaced the project's own files and exited 0.
    @Test(arguments: [".", "..", "prompts", "docs"])
    func aRefusedOutputFolderExitsTwoAndWritesNothing(_ out: String) async throws {
        try await withTemporaryProject(["prompts/a.md": "A cat.", "docs/index.html": "<p>mine</p>"]) { root in
            let before = try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted()
            let target = out == "." ? root.path : root.appendingPathComponent(out).path
            #expect(await status(Easel.Build.self, [root.path, "--offline", "--out", target]) == 2)
            #expect(try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted() == before)
            #expect(
                try String(contentsOf: root.appendingPathComponent("docs/index.html"), encoding: .utf8) == "<p>mine</p>"
            )
        }
    }

    /// On 1d745f2, SIGINT (three times) and SIGTERM were ignored for as long as a page held
    /// `/_easel/events`, and the build lock stayed held.
    @Test(.timeLimit(.minutes(1)), arguments: [SIGINT, SIGTERM])
    func serveStopsOnASignalWhileABrowserListensAndReleasesTheLock(_ signal: Int32) async throws {
        try await withTemporaryProject(["prompts/a.md": "A cat."]) { root in
            let process = Process()
            process.executableURL = try #require(EaselBinary.url, "easel binary not found")
            process.arguments = ["serve", root.path, "--port", "0"]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

            // The address line says the port: "serving … at http://127.0.0.1:PORT/".
            var output = ""
            var port: Int?
            while port == nil, !output.contains("error") {
                let chunk = err.fileHandleForReading.availableData
                guard !chunk.isEmpty else { break }
                output += String(decoding: chunk, as: UTF8.self)
                port = output.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression).flatMap {
                    Int(output[$0].dropFirst("127.0.0.1:".count).dropLast())
                }
            }
            let listening = try #require(port, "serve did not start: \(output)")

            // A browser: connected to the event stream, and reading its first event.
            let browser = try EventStreamClient(port: listening)
            defer { browser.close() }
            #expect(browser.readsSomething())

            kill(process.processIdentifier, signal)
            let stopped = Date()
            while process.isRunning, Date().timeIntervalSince(stopped) < 10 {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(!process.isRunning, "serve still running 10 s after the signal")
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)

            // The lock is free: a build can take it.
            #expect(await status(Easel.Build.self, [root.path, "--offline"]) == 0)
        }
    }
}

/// A minimal client of `/_easel/events` over a blocking socket: connects, sends the request, and
/// keeps the connection open as a browser's EventSource does.
private final class EventStreamClient {
    private let fd: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = "GET /_easel/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    /// Whether the server sent something (the stream's first bytes).
    func readsSomething() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        return recv(fd, &buffer, buffer.count, 0) > 0
    }

    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }
}
