import Foundation
import Testing

@testable import EaselKit

/// The fuzzer's little sibling, inside `swift test`: thousands of seeded mutations of the seed
/// corpus (Fuzz/seeds, made by scripts/make-fuzz-seeds.py from the test fixtures) run through
/// every parser of ``FuzzTarget``. The same inputs every run; a crash, a hang or a broken
/// invariant (FuzzTarget stops the process) fails the test run. `make fuzz` explores further.
struct BoundedFuzzTests {
    private static let seedFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/seeds")

    /// Pieces that matter to the parsers: YAML and JSON syntax, anchors, huge numbers, escapes.
    private static let tokens: [[UInt8]] = [
        "---\n", "...\n", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!binary ", "? ", "|\n  ", ">-\n",
        "\"", "'", "\\", "\\/", "\\u0000", "#", "\t", "\r\n", "\u{FEFF}", "99999999999999999999",
        "9223372036854775807", "-1", "16384x16384", "0x0", "b64_json", "\"data\":[{", "edit:\n  image: ",
        "mask: {rect: [", "size: ", "tags: [", "model: ", "\u{202E}", "\u{1B}]52;c;", "\0",
    ].map { Array($0.utf8) }

    @Test(.timeLimit(.minutes(5))) func thousandsOfMutatedInputsBreakNoParser() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.seedFolder.path).sorted()
        let seeds = try names.map { try Array(Data(contentsOf: Self.seedFolder.appendingPathComponent($0))) }
        #expect(seeds.count >= 50, "the seed corpus is missing: run scripts/make-fuzz-seeds.py")
        var random = SeededGenerator(seed: 11)
        var runs: [FuzzTarget.Kind: Int] = [:]
        for seed in seeds {
            FuzzTarget.run(Data(seed))
            for _ in 0..<150 {
                var input = seed
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    mutate(&input, seeds: seeds, using: &random)
                }
                FuzzTarget.run(Data(input))
                if let first = input.first {
                    runs[FuzzTarget.Kind(rawValue: first % UInt8(FuzzTarget.Kind.allCases.count))!, default: 0] += 1
                }
            }
        }
        #expect(runs.values.reduce(0, +) >= 10_000)
        #expect(Set(runs.keys) == Set(FuzzTarget.Kind.allCases), "every parser was reached: \(runs)")
    }

    /// One mutation: a byte changed, a token inserted, a range removed or repeated, or a splice.
    private func mutate(_ input: inout [UInt8], seeds: [[UInt8]], using random: inout SeededGenerator) {
        // The first byte picks the parser: mostly keep it, so each parser gets its share.
        let body = 1..<max(1, input.count)
        let at = body.isEmpty ? input.count : Int.random(in: body.lowerBound...body.upperBound, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0 where at < input.count:
            input[at] = UInt8.random(in: 0...255, using: &random)
        case 1:
            input.insert(contentsOf: Self.tokens.randomElement(using: &random)!, at: at)
        case 2 where at < input.count:
            input.removeSubrange(at..<min(input.count, at + Int.random(in: 1...64, using: &random)))
        case 3 where at < input.count:
            let piece = input[at..<min(input.count, at + Int.random(in: 1...256, using: &random))]
            input.insert(contentsOf: Array(repeating: Array(piece), count: 8).joined(), at: at)
        case 4:
            let other = seeds.randomElement(using: &random)!.dropFirst()
            let start = other.isEmpty ? other.startIndex : Int.random(in: other.indices, using: &random)
            input.insert(contentsOf: other[start...].prefix(512), at: at)
        default:
            input.insert(
                contentsOf: Array(repeating: Self.tokens.randomElement(using: &random)!, count: 40).joined(),
                at: at
            )
        }
    }
}

/// A small seeded generator (SplitMix64): the same inputs on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
