package import Foundation

/// Every parser Easel runs on bytes it did not write, one call away, for the libFuzzer target
/// (`make fuzz`, Sources/EaselFuzz) and the bounded fuzz test in `swift test`.
///
/// An input's first byte picks the parser; the rest is what it reads. Each run also checks what
/// must hold whatever the input (a valid prompt's request is within the limits, a record Easel
/// accepts names only its own images): a broken invariant stops the process, which is what a
/// fuzzer reports.
package enum FuzzTarget {
    /// What an input's first byte selects (its value modulo the number of cases).
    package enum Kind: UInt8, CaseIterable, Sendable {
        /// A prompt file: UTF-8 check, front matter, YAML gate, Yams, settings, cmark, validation.
        case prompt
        /// easel.yml: the same YAML path, site settings and the model table.
        case config
        /// A cache entry's entry.json: JSON decoding and the record's checks.
        case cacheRecord
        /// An Images API answer, as it streams in: the scanner, then the JSON of what is not image.
        case answer
        /// An image file's C2PA Content Credentials: container, JUMBF, CBOR, COSE, X.509, time
        /// stamp, data hash. The format comes from the bytes, as when Easel reads a file.
        case credentials
        /// CBOR alone, as libcbor's events build it into a tree.
        case cbor
    }

    /// Runs one input.
    package static func run(_ data: Data) {
        guard let first = data.first else { return }
        let body = data.dropFirst()
        switch Kind(rawValue: first % UInt8(Kind.allCases.count))! {
        case .prompt: prompt(Data(body))
        case .config: config(Data(body))
        case .cacheRecord: cacheRecord(Data(body))
        case .answer: answer(Data(body), pieceSize: Int(first / 4) + 1)
        case .credentials: credentials(Data(body))
        case .cbor: _ = try? CBOR.decode(Data(body))
        }
    }

    /// The input for `kind` made of `body`: what the seed corpus files hold.
    package static func input(_ kind: Kind, _ body: Data) -> Data {
        Data([kind.rawValue]) + body
    }

    /// A project to validate prompts in, whose folder does not exist: nothing is written, and
    /// every file an edit names is missing.
    private static let project = Project(root: URL(fileURLWithPath: "/nonexistent/easel-fuzz"), config: SiteConfig())

    private static func prompt(_ bytes: Data) {
        let prompt: PromptFile
        switch TextFile.decode(bytes, path: "prompts/fuzz.md") {
        case .failure(let diagnostic):
            check(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "a binary file's location")
            return
        case .success(let file):
            guard file.text.utf8.count <= Limits.promptFileBytes else { return }
            prompt = PromptLoader(project: project).load(file)
        }
        for diagnostic in prompt.diagnostics {
            check(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "a diagnostic's location")
            _ = Console.printable(diagnostic.description)
        }
        check((prompt.compare?.cells.count ?? 1) <= Limits.compareCells, "a comparison's cells")
        for request in prompt.requests {
            check(request.prompt.count <= Limits.promptCharacters, "a valid prompt's text is within the limit")
            check((1...10).contains(request.n), "a valid prompt's n")
            check(prompt.tags.count <= Limits.tags, "a valid prompt's tags")
            if let size = request.size, size != "auto" { check(ImageSize(size) != nil, "a valid prompt's size") }
            _ = CacheKey(request)
        }
    }

    private static func config(_ bytes: Data) {
        guard case .success(let file) = TextFile.decode(bytes, path: SiteConfig.fileName) else { return }
        let (config, diagnostics) = ConfigLoader.parse(file.text)
        for diagnostic in diagnostics { check(diagnostic.location.line >= 1, "a diagnostic's line") }
        for model in config.models {
            check(model.maxPromptLength <= Limits.promptCharacters, "a model row's prompt length")
            if let rules = model.flexibleSizes {
                _ = rules.problem(with: ImageSize(width: ImageSize.maxSide, height: 1))
                _ = rules.nearest(to: ImageSize(width: ImageSize.maxSide, height: ImageSize.maxSide))
            }
        }
    }

    private static func cacheRecord(_ bytes: Data) {
        guard let record = try? CacheEntry.decoder.decode(CacheRecord.self, from: bytes),
            record.problem(inFolder: record.key.hex) == nil
        else { return }
        for (offset, image) in record.images.enumerated() {
            check(OutputFolder.isPlainPath(image.file) && !image.file.contains("/"), "an accepted record's file name")
            check(image.file.hasPrefix("\(offset + 1)."), "an accepted record's image order")
        }
        // What pages make of an accepted record: dates, durations, money, provenance.
        _ = Display.time(record.created)
        _ = Display.duration(milliseconds: record.latencyMS)
        _ = Display.dollars(record.costUSD ?? 0)
        let page = PromptLoader(project: project).load(TextFile(path: "prompts/fuzz.md", text: record.request.prompt))
        _ = SitePublisher.provenance(of: record, prompt: page).fingerprint
    }

    private static func answer(_ bytes: Data, pieceSize: Int) {
        var scanner = ImagesResponseScanner(skeletonLimit: 64 << 10)
        var images = 0
        var base64 = 0
        var inImage = false
        let complete: Bool = bytes.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            var start = 0
            do {
                while start < all.count {
                    let end = min(all.count, start + pieceSize)
                    try scanner.feed(UnsafeBufferPointer(rebasing: all[start..<end])) { event in
                        switch event {
                        case .imageStart:
                            check(!inImage, "images do not nest")
                            inImage = true
                            images += 1
                        case .imageText(let text):
                            check(inImage, "image text only inside an image")
                            base64 += text.count
                        case .imageEnd:
                            check(inImage, "an image ends once")
                            inImage = false
                        }
                    }
                    start = end
                }
                try scanner.finish()
                return true
            } catch {
                return false
            }
        }
        check(scanner.skeleton.count <= 64 << 10, "the skeleton stays within its limit")
        check(base64 <= bytes.count, "no more image text than bytes")
        guard complete else { return }
        check(!inImage, "a complete answer ends outside an image")
        if let response = try? JSONDecoder().decode(ImagesResponse.self, from: Data(scanner.skeleton)) {
            _ = response.usage?.usage
            _ = response.size.flatMap { ImageSize($0) }
            let redactor = Redactor(secrets: ["sk-fuzz-secret-key"])
            for item in response.data { _ = item.revisedPrompt.map { redactor.serverText($0) } }
        }
        if let error = try? JSONDecoder().decode(ErrorResponse.self, from: bytes) {
            let text = Redactor(secrets: ["sk-fuzz-secret-key"]).serverText(error.error.message ?? "")
            check(!text.contains("sk-fuzz-secret-key"), "a redacted message holds no key")
        }
    }

    private static func credentials(_ bytes: Data) {
        guard let format = ImageFormat(sniffing: bytes) else { return }
        switch ContentCredentials.read(bytes, format: format) {
        case .absent: check(!bytes.isEmpty, "a file without credentials")
        case .unreadable(let problem): check(!problem.description.isEmpty, "a manifest problem says what")
        case .present(let credentials):
            check(credentials.binding != .unchecked || credentials.bindingNote != nil, "an unchecked binding says why")
            _ = credentials.signed.map(Display.iso)
        }
    }

    /// Stops the process when `condition` fails: what a fuzzer reports as a crash.
    private static func check(_ condition: Bool, _ what: @autoclosure () -> String) {
        if !condition { fatalError("fuzz invariant broken: \(what())") }
    }
}
