import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes read on demand with `pread`, through a window of 64 KiB: walking the chunk
/// headers of a 3 MB PNG reads a few kilobytes, not the image. Made by
/// ``BoundedRead/withBytes(at:limit:_:)``, which owns the descriptor.
final class FileBytes: ByteFields {
    let count: Int
    private let fd: Int32
    private var window = Data()
    private var windowStart = 0

    static let windowSize = 64 << 10

    init(fd: Int32, count: Int) {
        self.fd = fd
        self.count = count
    }

    /// The `count` bytes at `offset`; nil past the end, or when the file was cut short since.
    func bytes(at offset: Int, count wanted: Int) -> Data? {
        guard offset >= 0, wanted >= 0, offset <= count - wanted else { return nil }
        if offset >= windowStart, offset + wanted <= windowStart + window.count {
            let start = window.startIndex + (offset - windowStart)
            return window[start..<(start + wanted)]
        }
        guard wanted <= Self.windowSize else { return read(at: offset, count: wanted) }
        guard let fresh = read(at: offset, count: min(Self.windowSize, count - offset)) else { return nil }
        (window, windowStart) = (fresh, offset)
        return fresh.prefix(wanted)
    }

    private func read(at offset: Int, count wanted: Int) -> Data? {
        var data = Data(count: wanted)
        var done = 0
        let complete = data.withUnsafeMutableBytes { buffer -> Bool in
            while done < wanted {
                let got = pread(fd, buffer.baseAddress! + done, wanted - done, off_t(offset + done))
                if got < 0, errno == EINTR { continue }
                guard got > 0 else { return false }
                done += got
            }
            return true
        }
        return complete ? data : nil
    }
}
