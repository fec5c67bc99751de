import Foundation
import Testing

@testable import EaselKit

/// `compare:` (issue 14): one prompt, a request per combination of its values, each cached under
/// the key a plain prompt with the same settings has; built against a server on 127.0.0.1.
struct CompareTests {
    static let sixCells = """
        ---
        compare:
          model: [gpt-image-2, gpt-image-2.5-flare, gpt-image-2.6-sunburst]
          quality: [low, high]
        tags: [security]
        ---
        # RESTfull API security

        An isometric REST API gateway guarded by a padlock.
        """

    private func build(_ project: TemporaryProject, against baseURL: String) async throws -> BuildReport {
        let settings = APISettings(baseURL: baseURL, apiKey: "sk-test-compare")
        return try await ImagesClient.withHTTPClient(for: settings) { http in
            let client = ImagesClient(settings: settings, httpClient: http)
            return try await Builder(project: try project.open(), source: client).build(BuildOptions())
        }
    }

    /// What the server was asked: each request's model and quality.
    private func asked(_ server: FakeImagesServer) -> [String] {
        server.received.compactMap { $0.json }.map {
            "\($0["model"] as? String ?? "-") \($0["quality"] as? String ?? "-")"
        }
    }

    @Test func aComparisonIsARequestPerCellOnceAndAPlainTwinMakesNone() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/api.md", Self.sixCells)
            let server = FakeImagesServer { received, index in
                FakeImagesServer.success(requestID: "req_\(index)", format: FakeImagesServer.askedFormat(received))
            }
            try await server.run { baseURL in
                let first = try await build(project, against: baseURL)
                #expect(first.generated == 6 && first.failed == 0, "\(first.prompts.compactMap(\.failure))")
                #expect(
                    Set(asked(server)) == [
                        "gpt-image-2 low", "gpt-image-2 high", "gpt-image-2.5-flare low", "gpt-image-2.5-flare high",
                        "gpt-image-2.6-sunburst low", "gpt-image-2.6-sunburst high",
                    ]
                )
                #expect(server.received.count == 6)
                #expect(
                    first.prompts.map(\.cell) == [
                        "gpt-image-2, low", "gpt-image-2, high", "gpt-image-2.5-flare, low",
                        "gpt-image-2.5-flare, high",
                        "gpt-image-2.6-sunburst, low", "gpt-image-2.6-sunburst, high",
                    ]
                )

                let second = try await build(project, against: baseURL)
                #expect(second.cached == 6 && server.received.count == 6, "a rebuild makes no request")

                try project.write(
                    "prompts/api.md",
                    Self.sixCells.replacingOccurrences(
                        of: "gpt-image-2.6-sunburst]",
                        with: "gpt-image-2.6-sunburst, gpt-image-2.5-sunburst]"
                    )
                )
                let third = try await build(project, against: baseURL)
                #expect(third.generated == 2 && third.cached == 6 && server.received.count == 8)
                #expect(Set(asked(server).suffix(2)) == ["gpt-image-2.5-sunburst low", "gpt-image-2.5-sunburst high"])

                // A plain prompt with one cell's settings is that cell's request: nothing to make.
                try project.write(
                    "prompts/twin.md",
                    "---\nmodel: gpt-image-2.5-flare\nquality: high\n---\n# Twin\n\n"
                        + "An isometric REST API gateway guarded by a padlock.\n"
                )
                let fourth = try await build(project, against: baseURL)
                #expect(fourth.generated == 0 && fourth.failed == 0 && server.received.count == 8)
                let twin = try #require(fourth.prompts.first { $0.file == "prompts/twin.md" })
                let cell = try #require(fourth.prompts.first { $0.cell == "gpt-image-2.5-flare, high" })
                #expect(twin.status == .cached && twin.key == cell.key)
            }
        }
    }

    @Test func anInvalidCellIsReportedAtItsValueAndTheOthersBuild() async throws {
        try await TemporaryProject.with { project in
            // gpt-image-2.6 takes fixed sizes only: 1792x1008 is a cell error for it alone.
            try project.write(
                "prompts/wide.md",
                "---\nsize: auto\ncompare:\n  size: [1024x1024, 1792x1008]\n  model: [gpt-image-2, gpt-image-2.6-flare]\n"
                    + "---\nA wide harbour at dawn.\n"
            )
            let prompt = try project.load("prompts/wide.md")
            let errors = prompt.diagnostics.filter(\.isError)
            #expect(errors.count == 1, "\(prompt.diagnostics)")
            let error = try #require(errors.first)
            #expect((error.location.line, error.location.column) == (4, 21), "\(error)")
            #expect(error.message.contains("gpt-image-2.6-flare does not take size 1792x1008"))
            let compare = try #require(prompt.compare)
            #expect(compare.cells.map { $0.request != nil } == [true, true, true, false])
            #expect(prompt.isValid)

            let server = FakeImagesServer { received, _ in
                FakeImagesServer.success(format: FakeImagesServer.askedFormat(received))
            }
            try await server.run { baseURL in
                let report = try await build(project, against: baseURL)
                #expect(report.generated == 3 && report.failed == 1 && report.exitStatus == 1)
                #expect(server.received.count == 3)
                let failed = try #require(report.prompts.first { $0.status == .failed })
                #expect(failed.cell == "1792x1008, gpt-image-2.6-flare")
                #expect(failed.failure?.contains("prompts/wide.md:4:21") == true)
                #expect(report.diagnostics.filter(\.isError).count == 1, "the prompt's error is listed once")
                let page = try project.read("site/prompts/wide.html")
                #expect(page.contains("does not take size 1792x1008"))
                #expect(page.components(separatedBy: "class=\"comparison-cell ").count - 1 == 4)
            }
        }
    }

    @Test(arguments: [
        ("a key compare cannot vary", "compare:\n  tags: [a, b]\n", 3, 3, "unknown key 'tags'"),
        ("a value that is no list", "compare:\n  quality: high\n", 3, 12, "must be a list"),
        ("a bad value", "compare:\n  quality: [low, 7x]\n", 3, 18, "does not take quality '7x'"),
        ("a bad type", "compare:\n  compression: [50, lots]\n", 3, 21, "whole number"),
        (
            "too many cells", "compare:\n  seed: [1, 2, 3, 4, 5]\n  quality: [low, medium, high, auto, xhigh]\n", 3, 3,
            "makes 25 requests",
        ),
        (
            "a pick that matches nothing", "compare:\n  quality: [low, high]\npick: {quality: medium}\n", 4, 17,
            "not one of"
        ),
        ("a pick without compare", "pick: {quality: low}\n", 2, 7, "compares nothing"),
    ])
    func aBadComparisonIsAnErrorAtItsPlace(
        name: String,
        frontMatter: String,
        line: Int,
        column: Int,
        fragment: String
    ) async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/a.md", "---\n\(frontMatter)---\nA lighthouse.\n")
            let prompt = try project.load("prompts/a.md")
            let errors = prompt.diagnostics.filter(\.isError)
            let error = try #require(errors.first, "\(name): \(prompt.diagnostics)")
            #expect(errors.count == 1, "\(name): \(prompt.diagnostics)")
            #expect((error.location.line, error.location.column) == (line, column), "\(name): \(error)")
            #expect(error.message.contains(fragment), "\(name): \(error)")
        }
    }

    @Test func pickChoosesTheCardAndTheIndexFiltersByEveryModel() async throws {
        try await TemporaryProject.with { project in
            try project.write(
                "prompts/api.md",
                Self.sixCells.replacingOccurrences(
                    of: "tags: [security]",
                    with: "tags: [security]\npick: {model: gpt-image-2.5-flare, quality: high}"
                )
            )
            let prompt = try project.load("prompts/api.md")
            let compare = try #require(prompt.compare)
            #expect(compare.label(of: compare.pick) == "gpt-image-2.5-flare, high")
            #expect(prompt.model == "gpt-image-2.5-flare" && prompt.request?.quality == "high")

            let report = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
            #expect(report.placeholders == 6)
            let index = try project.read("site/index.html")
            #expect(index.components(separatedBy: "<li class=\"card ").count - 1 == 1, "one card")
            #expect(index.contains("data-model=\"gpt-image-2|gpt-image-2.5-flare|gpt-image-2.6-sunburst\""))
            #expect(index.contains("6 compared"))
            // Each model's filter counts the prompt once.
            for model in ["gpt-image-2", "gpt-image-2.5-flare", "gpt-image-2.6-sunburst"] {
                #expect(index.contains("data-value=\"\(model)\""), "\(model) has a filter")
            }

            let page = try project.read("site/prompts/api.html")
            let pick = try #require(page.range(of: "is-pick"))
            #expect(page[pick.lowerBound...].contains("gpt-image-2.5-flare, high"))
            #expect(page.components(separatedBy: "is-pick").count - 1 == 1)
            #expect(page.contains("<th scope=\"col\">low</th>") && page.contains("<th scope=\"row\">gpt-image-2</th>"))
            // The lightbox steps through the cells in grid order: the order of their links.
            let labels = page.components(separatedBy: "<span class=\"shot-label\">").dropFirst().map {
                String($0.prefix { $0 != "<" })
            }
            #expect(
                labels == [
                    "gpt-image-2, low", "gpt-image-2, high", "gpt-image-2.5-flare, low", "gpt-image-2.5-flare, high",
                    "gpt-image-2.6-sunburst, low", "gpt-image-2.6-sunburst, high",
                ]
            )

            let json = try JSONSerialization.jsonObject(with: Data(project.read("site/gallery.json").utf8))
            let prompts = try #require((json as? [String: Any])?["prompts"] as? [[String: Any]])
            let entry = try #require(prompts.first)
            let comparison = try #require(entry["compare"] as? [String: Any])
            #expect((comparison["cells"] as? [Any])?.count == 6 && comparison["pick"] as? Int == 3)
            let axes = try #require(comparison["axes"] as? [[String: Any]])
            #expect(axes.map { $0["key"] as? String } == ["model", "quality"])
        }
    }

    @Test func earlierVersionsOfAComparisonAreNotItsOtherCells() async throws {
        try await TemporaryProject.with { project in
            try project.write("prompts/api.md", Self.sixCells)
            let source = RecordingSource()
            let build = { _ = try await Builder(project: try project.open(), source: source).build(BuildOptions()) }
            // The second build reads the six entries the first made, all first made for this file.
            try await build()
            try await build()
            var page = try project.read("site/prompts/api.html")
            #expect(!page.contains("Earlier versions"), "the cells are not each other's versions")
            try project.write(
                "prompts/api.md",
                Self.sixCells.replacingOccurrences(of: "guarded by a padlock", with: "guarded by two padlocks")
            )
            try await build()
            try await build()
            page = try project.read("site/prompts/api.html")
            #expect(page.contains("Earlier versions <span class=\"versions-count\">6</span>"))
            #expect(source.received.count == 12)
        }
    }

    @Test func theStatsPageHasEveryCellByModelAndQualityWithItsFailures() async throws {
        try await TemporaryProject.with { project in
            try project.write(
                "prompts/grid.md",
                "---\ncompare:\n  model: [gpt-image-2, gpt-image-2.5-flare]\n  quality: [low, high]\n---\nA kite.\n"
            )
            let server = FakeImagesServer { received, _ in
                let json = received.json ?? [:]
                let quality = json["quality"] as? String ?? "auto"
                if json["model"] as? String == "gpt-image-2.5-flare", quality == "high" {
                    return FakeImagesServer.failure(400, type: "invalid_request_error", code: nil, message: "no kites")
                }
                return FakeImagesServer.success(
                    extra:
                        #","quality":"\#(quality)","usage":{"input_tokens":10,"output_tokens":4000,"total_tokens":4010}"#
                )
            }
            try await server.run { baseURL in
                let report = try await build(project, against: baseURL)
                #expect(report.generated == 3 && report.failed == 1)
            }
            let stats = try project.read("site/stats.html")
            func row(_ model: String, _ quality: String) -> String? {
                let start = #"<tr><th scope="row" class="mono">\#(model)</th><td class="mono">\#(quality)</td>"#
                guard let range = stats.range(of: start) else { return nil }
                return String(stats[range.upperBound...].prefix { $0 != "\n" })
            }
            for (model, quality) in [("gpt-image-2", "low"), ("gpt-image-2", "high"), ("gpt-image-2.5-flare", "low")] {
                let cells = try #require(row(model, quality), "\(model) \(quality)")
                #expect(cells.hasPrefix(#"<td class="num">1</td>"#) && cells.contains("$"), "\(cells)")
                #expect(cells.hasSuffix(#"<td class="num">0</td></tr>"#), "\(cells)")
            }
            let failed = try #require(row("gpt-image-2.5-flare", "high"))
            #expect(failed.hasPrefix(#"<td class="num">0</td>"#) && failed.hasSuffix(#"<td class="num">1</td></tr>"#))
            // A build without the server shows the failure from the failure log.
            _ = try await Builder(project: try project.open(), source: nil).build(BuildOptions())
            let offline = try project.read("site/stats.html")
            #expect(offline == stats)
        }
    }

    /// A comparison read from local state (the parse record) is checked before any index of it is
    /// used: a cell out of its axes, a pick out of its cells, an axis of a million values.
    @Test(arguments: [
        #"{"axes":[{"key":"quality","values":["low"]}],"cells":[{"choices":[5]}],"pick":0}"#,
        #"{"axes":[{"key":"quality","values":["low"]}],"cells":[{"choices":[0]}],"pick":3}"#,
        #"{"axes":[{"key":"quality","values":["low","high"]}],"cells":[{"choices":[0]}],"pick":0}"#,
        #"{"axes":[],"cells":[],"pick":0}"#,
        #"{"axes":[{"key":"seed","values":[\#((0..<100_000).map { "\"\($0)\"" }.joined(separator: ","))]}],"cells":[],"pick":0}"#,
        #"{"axes":[{"key":"q","values":["a","b"]},{"key":"s","values":["c","d"]}],"cells":[{"choices":[0,0]},{"choices":[1,0]},{"choices":[0,1]},{"choices":[1,1]}],"pick":0}"#,
    ])
    func aComparisonFromStateIsCheckedBeforeItIsUsed(json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Comparison.self, from: Data(json.utf8)) }
    }

    @Test func aComparisonGoesToStateAndBack() throws {
        let made = Comparison(
            axes: [.init(key: "q", values: ["a", "b"]), .init(key: "s", values: ["c", "d"])],
            cells: Comparison.combinations([2, 2]).map { .init(choices: $0, request: nil, problem: nil) },
            pick: 3
        )
        let back = try JSONDecoder().decode(Comparison.self, from: JSONEncoder().encode(made))
        #expect(back == made && back.label(of: 3) == "b, d" && back.label(of: 1) == "a, d")
    }
}
