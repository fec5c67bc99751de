import Foundation

// JPEG: SOI, then marker segments [FF marker][length: 2 bytes BE, counting itself][payload], up to SOS, after
// which the entropy-coded image data runs to EOI. XMP is an APP1 segment whose payload starts with the XMP
// namespace; it must fit one segment, so the packet is limited to 65,502 bytes (Adobe's XMP spec, part 3).
extension Provenance {
    typealias JPEGSegment = (marker: UInt8, offset: Int, count: Int)

    private static let xmpNamespace = Data("http://ns.adobe.com/xap/1.0/\0".utf8)
    // Extended XMP continues a main packet across segments; it would dangle once the main packet is replaced.
    private static let extendedXMPNamespace = Data("http://ns.adobe.com/xmp/extension/\0".utf8)
    private static let exifHeader = Data("Exif\0\0".utf8)
    private static let xmpLimit = 65_502

    /// `data` with one XMP `APP1` segment after `SOI` and any leading JFIF `APP0` or Exif `APP1` segments.
    func embedJPEG(into data: Data, label: String) throws -> Data {
        let (segments, scanStart) = try Provenance.jpegSegments(of: data, label: label)
        guard let packet = XMPPacket(self).data(limit: Provenance.xmpLimit) else {
            throw ImagingError.cannotMake(
                "XMP for \(label)",
                message: "the title and settings take more than the \(Provenance.xmpLimit) bytes of a JPEG segment"
            )
        }
        let kept = segments.filter { !Provenance.isXMP($0, in: data) }
        let leading = kept.prefix {
            $0.marker == 0xE0 || Provenance.isSegment($0, in: data, startingWith: Provenance.exifHeader)
        }
        var result = Data(capacity: data.count + packet.count + 64)
        result.append(contentsOf: [0xFF, 0xD8])
        for segment in leading { result.append(data.bytes(at: segment.offset, count: segment.count)!) }
        result.append(contentsOf: [0xFF, 0xE1])
        result.appendBigEndian(2 + Provenance.xmpNamespace.count + packet.count, width: 2)
        result.append(Provenance.xmpNamespace)
        result.append(packet)
        for segment in kept.dropFirst(leading.count) {
            result.append(data.bytes(at: segment.offset, count: segment.count)!)
        }
        result.append(data.bytes(at: scanStart, count: data.count - scanStart)!)
        return result
    }

    /// The provenance in the XMP `APP1` segment of a JPEG.
    static func readJPEG(from data: Data) -> Provenance? {
        guard let (segments, _) = try? jpegSegments(of: data, label: ""),
            let segment = segments.first(where: { isSegment($0, in: data, startingWith: xmpNamespace) }),
            let packet = data.bytes(
                at: segment.offset + 4 + xmpNamespace.count,
                count: segment.count - 4 - xmpNamespace.count
            )
        else { return nil }
        return XMPPacket.parse(packet)
    }

    /// The marker segments between `SOI` and `SOS`, and the offset of `SOS`, where the image data starts.
    static func jpegSegments(of data: some ByteFields, label: String) throws -> ([JPEGSegment], scanStart: Int) {
        func malformed(_ reason: String) -> ImagingError { Provenance.malformed("JPEG", label: label, reason) }
        guard data.hasBytes([0xFF, 0xD8], at: 0) else { throw malformed("no SOI marker") }
        var segments: [JPEGSegment] = []
        var offset = 2
        while true {
            guard data.byte(at: offset) == 0xFF else { throw malformed("no marker at byte \(offset)") }
            while data.byte(at: offset + 1) == 0xFF { offset += 1 }  // fill bytes before a marker
            guard let marker = data.byte(at: offset + 1) else { throw malformed("no image data") }
            switch marker {
            case 0xDA:
                return (segments, offset)
            case 0xD9:
                throw malformed("EOI before any image data")
            case 0x01, 0xD0...0xD7:  // standalone markers, no length
                segments.append((marker, offset, 2))
            default:
                guard let length = data.bigEndian(at: offset + 2, width: 2), length >= 2,
                    data.count - offset - 2 >= length
                else { throw malformed("segment at byte \(offset) runs past the end") }
                segments.append((marker, offset, 2 + length))
            }
            offset += segments[segments.count - 1].count
        }
    }

    /// Whether `segment` holds XMP: a main packet or an extended one.
    private static func isXMP(_ segment: JPEGSegment, in data: Data) -> Bool {
        isSegment(segment, in: data, startingWith: xmpNamespace)
            || isSegment(segment, in: data, startingWith: extendedXMPNamespace)
    }

    /// Whether `segment` is an `APP1` whose payload starts with `header`.
    private static func isSegment(_ segment: JPEGSegment, in data: Data, startingWith header: Data) -> Bool {
        segment.marker == 0xE1 && segment.count >= 4 + header.count && data.hasBytes(header, at: segment.offset + 4)
    }
}
