// The libFuzzer target over Easel's parsers (FuzzTarget in EaselKit). `make fuzz` builds it with
// -DFUZZING, AddressSanitizer, libFuzzer's coverage counters and libFuzzer's runtime without its
// own `main` (the package's other executables, such as the theme plugin's tool, keep theirs):
// `main` then hands the arguments to libFuzzer. Built plainly, as `swift build` builds every
// target, it is a replayer: `EaselFuzz FILE...` runs each file as one input, to reproduce a crash
// the fuzzer saved, without the sanitizer.
import EaselKit
import Foundation

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

@main
struct EaselFuzz {
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(
            runDriver(&argc, &argv) { bytes, count in
                FuzzTarget.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
                return 0
            }
        )
        #else
        for path in CommandLine.arguments.dropFirst() {
            FuzzTarget.run(try Data(contentsOf: URL(fileURLWithPath: path)))
            print("ran \(path)")
        }
        #endif
    }
}
