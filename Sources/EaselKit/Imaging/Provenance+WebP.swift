import Foundation

// WebP: "RIFF" [size: 4 bytes LE] "WEBP", then chunks [FourCC][size: 4 LE][payload][a pad byte if size is odd].
// A simple file holds one `VP8 ` (lossy) or `VP8L` (lossless) chunk. Metadata needs the extended format: a
// `VP8X` chunk first, whose flags say which optional chunks follow and which carries the canvas size, then
// the image, then `EXIF` and `XMP ` last.
extension Provenance {
    typealias RIFFChunk = (fourCC: String, payload: Data)

    private static let xmpFlag: UInt8 = 0x04
    private static let alphaFlag: UInt8 = 0x10

    /// `data` in the extended format with one `XMP ` chunk, last.
    func embedWebP(into data: Data, label: String) throws -> Data {
        var chunks = try Provenance.webPChunks(of: data, label: label)
        switch chunks[0].fourCC {
        case "VP8X":
            guard chunks[0].payload.count >= 10 else {
                throw Provenance.malformed("WebP", label: label, "VP8X chunk shorter than 10 bytes")
            }
            var header = Data(chunks[0].payload)
            header[0] |= Provenance.xmpFlag
            chunks[0].payload = header
        case "VP8 ", "VP8L":
            guard let canvas = Provenance.canvas(of: chunks[0]) else {
                throw Provenance.malformed("WebP", label: label, "no frame header in the \(chunks[0].fourCC) chunk")
            }
            var header = Data([Provenance.xmpFlag | (canvas.hasAlpha ? Provenance.alphaFlag : 0), 0, 0, 0])
            header.appendLittleEndian(canvas.width - 1, width: 3)
            header.appendLittleEndian(canvas.height - 1, width: 3)
            chunks.insert(("VP8X", header), at: 0)
        default:
            throw Provenance.malformed("WebP", label: label, "first chunk is \(chunks[0].fourCC), not an image")
        }
        chunks.removeAll { $0.fourCC == "XMP " }
        chunks.append(("XMP ", XMPPacket(self).data()!))

        let size = chunks.reduce(4) { $0 + 8 + $1.payload.count + $1.payload.count % 2 }
        var result = Data(capacity: size + 8)
        result.append(contentsOf: "RIFF".utf8)
        result.appendLittleEndian(size, width: 4)
        result.append(contentsOf: "WEBP".utf8)
        for chunk in chunks {
            result.append(contentsOf: chunk.fourCC.utf8)
            result.appendLittleEndian(chunk.payload.count, width: 4)
            result.append(chunk.payload)
            if chunk.payload.count % 2 == 1 { result.append(0) }
        }
        return result
    }

    /// The provenance in the `XMP ` chunk of a WebP.
    static func readWebP(from data: Data) -> Provenance? {
        guard let chunks = try? webPChunks(of: data, label: ""),
            let xmp = chunks.first(where: { $0.fourCC == "XMP " })
        else { return nil }
        return XMPPacket.parse(xmp.payload)
    }

    /// The chunks inside the RIFF container, without their pad bytes; anything after the container is dropped.
    static func webPChunks(of data: Data, label: String) throws -> [RIFFChunk] {
        try riffChunks(of: data, label: label).map { ($0.fourCC, data.bytes(at: $0.offset, count: $0.size)!) }
    }

    /// Where each chunk of a WebP's RIFF container is: its FourCC, and its payload's offset and size.
    static func riffChunks(
        of data: some ByteFields,
        label: String
    ) throws -> [(fourCC: String, offset: Int, size: Int)] {
        func malformed(_ reason: String) -> ImagingError { Provenance.malformed("WebP", label: label, reason) }
        guard data.hasBytes(Array("RIFF".utf8), at: 0), data.hasBytes(Array("WEBP".utf8), at: 8),
            let riffSize = data.littleEndian(at: 4, width: 4)
        else { throw malformed("no RIFF WEBP header") }
        guard riffSize >= 4, riffSize <= data.count - 8 else {
            throw malformed("RIFF size \(riffSize) runs past the end")
        }
        let end = 8 + riffSize
        var chunks: [(fourCC: String, offset: Int, size: Int)] = []
        var offset = 12
        while offset < end {
            guard let fourCC = data.bytes(at: offset, count: 4).flatMap({ String(bytes: $0, encoding: .ascii) }),
                let size = data.littleEndian(at: offset + 4, width: 4), size <= end - offset - 8
            else { throw malformed("chunk at byte \(offset) runs past the end") }
            chunks.append((fourCC, offset + 8, size))
            offset += 8 + size + size % 2
        }
        guard !chunks.isEmpty else { throw malformed("no chunks") }
        return chunks
    }

    /// The canvas size of a simple file, from the frame header of its `VP8 ` or `VP8L` bitstream.
    private static func canvas(of chunk: RIFFChunk) -> (width: Int, height: Int, hasAlpha: Bool)? {
        let bitstream = chunk.payload
        if chunk.fourCC == "VP8L" {
            // Signature 0x2F, then 14 bits width − 1, 14 bits height − 1, 1 bit alpha, 3 bits version (LSB first).
            guard bitstream.byte(at: 0) == 0x2F, let bits = bitstream.littleEndian(at: 1, width: 4) else { return nil }
            return ((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1, bits >> 28 & 1 == 1)
        }
        // A key frame: 3 bytes of frame tag, the start code 9D 01 2A, then 14 bits width and 14 bits height,
        // each followed by 2 bits of scaling that do not change the canvas.
        guard bitstream.hasBytes([0x9D, 0x01, 0x2A], at: 3),
            let width = bitstream.littleEndian(at: 6, width: 2), let height = bitstream.littleEndian(at: 8, width: 2)
        else { return nil }
        return (width & 0x3FFF, height & 0x3FFF, false)
    }
}
