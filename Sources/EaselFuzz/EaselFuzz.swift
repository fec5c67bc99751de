// The libFuzzer target over Easel's parsers (FuzzTarget in EaselKit): `make fuzz` builds it with
// `swift build --sanitize fuzzer` and -DFUZZING, and libFuzzer provides `main`. Built normally
// (as `swift build` does with every target), it is a replayer: `EaselFuzz FILE...` runs each file
// as one input, to reproduce a crash the fuzzer saved without the sanitizer.
import EaselKit
import Foundation

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    FuzzTarget.run(data)
    return 0
}
#else
@main
struct EaselFuzz {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            FuzzTarget.run(try Data(contentsOf: URL(fileURLWithPath: path)))
            print("ran \(path)")
        }
    }
}
#endif
