public import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// `easel serve`: builds the site, serves it on 127.0.0.1, rebuilds when a prompt, template, input
/// or easel.yml changes, and makes open pages reload themselves.
///
/// Uncached prompts stay placeholders unless ``Options/generate`` is set: saving a file never
/// spends money unasked. A broken prompt is reported in the terminal and over the page; the server
/// keeps running.
public struct DevServer: Sendable {
    /// What `easel serve` was asked to do.
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port (tests).
        public var port = 8000
        /// Send uncached prompts to the API on each rebuild (otherwise: placeholders).
        public var generate = false

        /// Default options: 127.0.0.1:8000, placeholders.
        public init() {}
    }

    let root: URL
    let options: Options
    /// The image API used when `options.generate` is set.
    let source: (any ImageSource)?
    /// Where the server's messages go (the terminal).
    let report: @Sendable (String) -> Void
    let hub = ReloadHub()
    /// The site as the last build or patch made it.
    let snapshots = ServeSnapshotBox()

    /// Creates a server for the project at `root`.
    /// - Parameters:
    ///   - source: the image API, used only with `options.generate`.
    ///   - report: receives one line per event (build results, problems, the address).
    public init(
        root: URL,
        options: Options,
        source: (any ImageSource)?,
        report: @escaping @Sendable (String) -> Void
    ) {
        self.root = root
        self.options = options
        self.source = source
        self.report = report
    }

    /// Builds, then serves until the task is cancelled (or, with `handlingSignals`, until SIGINT or SIGTERM).
    /// - Parameter onReady: called with the port once the server listens.
    /// - Throws: ``ProjectError`` when the folder is not a project, errors of the HTTP server.
    public func run(handlingSignals: Bool = true, onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let project = try Project.open(at: root).0
        let lock = try BuildLock(project: project)
        defer { withExtendedLifetime(lock) {} }
        let watcher = ProjectWatcher(root: project.root)
        let first = watcher.snapshot()
        // Every rebuild would otherwise read and decode the state files the one before it wrote.
        StateFileMemory.enable()
        _ = await rebuild(changed: nil)
        let router = Router()
        router.get(RouterPath(stringLiteral: LiveReload.eventsPath)) { _, _ in events() }
        router.get("**") { request, _ in try file(at: request.uri.path, head: false) }
        router.head("**") { request, _ in try file(at: request.uri.path, head: true) }
        router.get("/") { request, _ in try file(at: request.uri.path, head: false) }
        let address = options.host
        var logger = Logger(label: "easel.serve")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address, port: options.port), serverName: "easel"),
            services: [WatchService(watcher: watcher, start: first, rebuild: rebuild(changed:giveWay:))],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                report("serving \(project.siteFolder.path) at http://\(address):\(port)/ (Ctrl-C to stop)")
                onReady(port)
            },
            logger: logger
        )
        if handlingSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }

    /// How long the files must stay unchanged after a patch before the full build that checks it.
    static let patience = Duration.seconds(1)

    /// Brings the site up to date with the project and tells the browsers; never throws: a broken
    /// project is reported and the previous site stays.
    ///
    /// When only prompts were saved (`changed`, paths inside the project) and the site is the one
    /// the last build or patch made, their part of the site is patched (``ServeSnapshot``), the
    /// browsers reload once its pages are written, and true is returned: a full build is owed, and
    /// the caller runs it (with `changed` nil) once the files stop changing. Otherwise the site is
    /// built, and the browsers reload as soon as its pages and data files are written
    /// (``BuildEvent/siteWritten(problems:)``), not after the build's bookkeeping; after a patch,
    /// only if the build made anything differently. The owed build gives way (``BuildOptions/giveWay``)
    /// when `giveWay` says a file changed: the next patch is not kept waiting, and the build is
    /// still owed.
    /// - Returns: whether a full build is owed.
    @Sendable func rebuild(changed: [String]?, giveWay: (@Sendable () -> Bool)? = nil) async -> Bool {
        // Taken out of the box, so that a patch changes it in place (a copy of 10,000 prompts' items
        // was a tenth of a patch).
        var last = snapshots.take()
        if let changed, last != nil {
            if await patch(&last!, changed) {
                snapshots.set(last)
                return true
            }
            last = nil  // half patched: the build's pages are sent
        }
        // What the browsers show, to compare the build's pages with; the snapshot itself goes back
        // in the box, where the build drops it once it is past giving way (two snapshots of 10,000
        // prompts at once were 60 MB of its peak).
        let shown = last.map { (inputs: $0.kept.inputs, problems: $0.problems) }
        snapshots.set(last)
        last = nil
        var problems: [String] = []
        let reloaded = NIOLockedValueBox(false)
        do {
            let (project, configDiagnostics) = try Project.open(at: root)
            problems += configDiagnostics.filter(\.isError).map(\.description)
            if problems.isEmpty {
                var buildOptions = BuildOptions()
                buildOptions.offline = !options.generate || source == nil
                buildOptions.snapshot = snapshots
                buildOptions.giveWay = changed == nil ? giveWay : nil
                let report = try await Builder(project: project, source: options.generate ? source : nil).build(
                    buildOptions
                ) { [hub, snapshots] event in
                    guard case .siteWritten(let found) = event else { return }
                    reloaded.withLockedValue { $0 = true }
                    // The build that checks a patch made the same site: the pages on screen are right.
                    if let shown, let built = snapshots.snapshot, built.kept.inputs == shown.inputs,
                        found == shown.problems
                    {
                        return
                    }
                    hub.rebuilt(problems: Self.json(found))
                }
                problems += report.problems
                self.report(Console.summary(of: report).split(separator: "\n").first.map(String.init) ?? "")
            }
        } catch is BuildGaveWay {
            // No page was written: the site is still the one the snapshot in the box describes.
            return true
        } catch {
            problems.append(String(describing: error))
            // Also after an early reload: the page shows what went wrong after it.
            reloaded.withLockedValue { $0 = false }
            snapshots.set(nil)
        }
        for problem in problems { report(problem) }
        if !reloaded.withLockedValue({ $0 }) { hub.rebuilt(problems: Self.json(problems)) }
        return false
    }

    /// Patches `snapshot` for `changed`, when they are only prompts; false otherwise, or when the
    /// patch cannot be made or fails (a build follows).
    private func patch(_ snapshot: inout ServeSnapshot, _ changed: [String]) async -> Bool {
        guard !changed.isEmpty,
            changed.allSatisfy({
                $0.hasPrefix("prompts/") && Project.isPromptName($0)
                    && FileKind.of(root.path + "/" + $0) == .regularFile
            })
        else { return false }
        // The build that would skip everything must not: the site is about to change.
        SettledBuild.forget(in: snapshot.renderer.project)
        let started = ContinuousClock.now
        let shown = NIOLockedValueBox<[String]>([])
        let patched = try? await snapshot.patch(changed, generating: options.generate && source != nil) {
            [hub] problems in
            hub.rebuilt(problems: Self.json(problems))
            shown.withLockedValue { $0 = problems }
        }
        guard patched == true else { return false }
        let what = changed.count == 1 ? changed[0] : "\(changed.count) prompts"
        report("patched \(what) in \(started.duration(to: .now).milliseconds) ms")
        // As after a build: the terminal lists what the page shows.
        for problem in shown.withLockedValue({ $0 }) { report(problem) }
        return true
    }

    /// `problems` as the JSON array the page's script shows.
    private static func json(_ problems: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(problems)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    private func events() -> Response {
        let stream = hub.connect()
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { [hub] writer in
                try await writer.write(ByteBuffer(string: ": connected\n\n"))
                // On SIGINT or SIGTERM every event stream ends: the HTTP server stops only once its
                // requests finish, and this one never would (the server then ignored Ctrl-C).
                try await withGracefulShutdownHandler {
                    for await event in stream { try await writer.write(ByteBuffer(string: event)) }
                } onGracefulShutdown: {
                    hub.close()
                }
                try await writer.finish(nil)
            }
        )
    }

    private func file(at path: String, head: Bool) throws -> Response {
        let site = root.standardizedFileURL.resolvingSymlinksInPath().appendingPathComponent("site")
        switch SiteFileResolver(root: site).resolve(path) {
        case .failure(.badRequest): throw HTTPError(.badRequest)
        case .failure(.notFound): return notFound(site)
        case .success(let url):
            var data = try Data(contentsOf: url)
            let type =
                MediaType.getMediaType(forExtension: url.pathExtension)?.description ?? "application/octet-stream"
            if url.pathExtension == "html" {
                data = Data(LiveReload.inject(into: String(decoding: data, as: UTF8.self)).utf8)
            }
            return Response(
                status: .ok,
                headers: [.contentType: type, .cacheControl: "no-store"],
                body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: data))
            )
        }
    }

    private func notFound(_ site: URL) -> Response {
        let page = LiveReload.inject(
            into: """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
                <body><h1>Not found</h1><p>No such page in <code>\(WordDiff.escape(site.path))</code>.
                <a href="/index.html">Back to the gallery</a></p></body></html>
                """
        )
        return Response(
            status: .notFound,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page))
        )
    }
}

/// Watches the project and rebuilds on change, for as long as the server runs; a patch is
/// followed by a full build once the files have not changed for ``DevServer/patience``.
private struct WatchService: Service {
    let watcher: ProjectWatcher
    let start: [String: ProjectWatcher.Stamp]
    let rebuild: @Sendable ([String]?, (@Sendable () -> Bool)?) async -> Bool

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var snapshot = start
            var owed = false
            while !Task.isCancelled {
                guard
                    let (next, changed) = try await watcher.nextChange(
                        after: snapshot,
                        patience: owed ? DevServer.patience : nil
                    )
                else {
                    // Gives way to a saved file: one the watcher has seen (an event) that its look finds.
                    let seen = snapshot
                    owed = await rebuild(nil) { [watcher] in
                        watcher.signal?.pending != false && watcher.snapshot() != seen
                    }
                    continue
                }
                snapshot = next
                owed = await rebuild(changed, nil)
            }
        }
    }
}
