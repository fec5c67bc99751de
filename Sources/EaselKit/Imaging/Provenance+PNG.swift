import Foundation

// PNG: a signature, then chunks of [length: 4 bytes BE][type: 4][data: length][CRC-32 of type + data: 4],
// from IHDR to IEND. Text chunks may sit anywhere between them; ours go right after IHDR, where readers that
// stop at the first IDAT still find them.
extension Provenance {
    typealias PNGChunk = (type: String, offset: Int, length: Int)

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let jsonKeyword = "easel"
    private static let xmpKeyword = "XML:com.adobe.xmp"

    /// `data` with an `easel` and an XMP `iTXt` chunk after `IHDR`, and without any earlier ones.
    func embedPNG(into data: Data, label: String) throws -> Data {
        let chunks = try Provenance.pngChunks(of: data, label: label)
        let header = chunks[0]
        var result = Data(capacity: data.count + 4096)
        result.append(contentsOf: Provenance.pngSignature)
        result.append(data.bytes(at: header.offset, count: 12 + header.length)!)
        result.append(Provenance.textChunk(keyword: Provenance.jsonKeyword, text: Data(json.utf8)))
        result.append(Provenance.textChunk(keyword: Provenance.xmpKeyword, text: XMPPacket(self).data()!))
        var copied = header.offset + 12 + header.length
        for chunk in chunks.dropFirst() where Provenance.isOurs(chunk, in: data) {
            // Copy whole runs of other chunks at once: a large image has hundreds of IDAT chunks.
            result.append(data.bytes(at: copied, count: chunk.offset - copied)!)
            copied = chunk.offset + 12 + chunk.length
        }
        result.append(data.bytes(at: copied, count: data.count - copied)!)
        return result
    }

    /// The provenance in the `easel` chunk, else in the XMP chunk, of a PNG.
    static func readPNG(from data: Data) -> Provenance? {
        guard let chunks = try? pngChunks(of: data, label: "") else { return nil }
        let texts = chunks.filter { $0.type == "iTXt" }.compactMap { internationalText(of: $0, in: data) }
        if let json = texts.first(where: { $0.keyword == jsonKeyword }) {
            return String(data: json.text, encoding: .utf8).flatMap(Provenance.init(json:))
        }
        return texts.first { $0.keyword == xmpKeyword }.flatMap { XMPPacket.parse($0.text) }
    }

    /// The chunks of a PNG, from `IHDR` to `IEND`; any bytes after `IEND` are not looked at.
    static func pngChunks(of data: some ByteFields, label: String) throws -> [PNGChunk] {
        func malformed(_ reason: String) -> ImagingError { Provenance.malformed("PNG", label: label, reason) }
        guard data.hasBytes(pngSignature, at: 0) else { throw malformed("no PNG signature") }
        var chunks: [PNGChunk] = []
        var offset = pngSignature.count
        while chunks.last?.type != "IEND" {
            guard let length = data.bigEndian(at: offset, width: 4), let type = data.bytes(at: offset + 4, count: 4)
            else { throw malformed("no IEND chunk") }
            guard length < 1 << 31, data.count - offset - 12 >= length,
                let name = String(bytes: type, encoding: .ascii)
            else { throw malformed("chunk at byte \(offset) runs past the end") }
            chunks.append((name, offset, length))
            offset += 12 + length
        }
        guard chunks[0].type == "IHDR", chunks[0].length == 13 else { throw malformed("no IHDR chunk first") }
        return chunks
    }

    /// Whether `chunk` is a text chunk with one of the keywords that embedding writes.
    private static func isOurs(_ chunk: PNGChunk, in data: Data) -> Bool {
        guard ["iTXt", "tEXt", "zTXt"].contains(chunk.type),
            let body = data.bytes(at: chunk.offset + 8, count: chunk.length)
        else { return false }
        let keyword = body.prefix { $0 != 0 }
        return keyword.elementsEqual(jsonKeyword.utf8) || keyword.elementsEqual(xmpKeyword.utf8)
    }

    /// The keyword and text of an uncompressed `iTXt` chunk: `keyword\0 flag method language\0 translated\0 text`.
    private static func internationalText(of chunk: PNGChunk, in data: Data) -> (keyword: String, text: Data)? {
        guard let body = data.bytes(at: chunk.offset + 8, count: chunk.length),
            let keywordEnd = body.firstIndex(of: 0), body.index(keywordEnd, offsetBy: 3) <= body.endIndex,
            body[keywordEnd + 1] == 0,  // not compressed
            let languageEnd = body[(keywordEnd + 3)...].firstIndex(of: 0),
            let translatedEnd = body[(languageEnd + 1)...].firstIndex(of: 0),
            let keyword = String(bytes: body[..<keywordEnd], encoding: .isoLatin1)
        else { return nil }
        return (keyword, Data(body[(translatedEnd + 1)...]))
    }

    /// An uncompressed `iTXt` chunk with no language tag.
    private static func textChunk(keyword: String, text: some DataProtocol) -> Data {
        var body = Data("iTXt".utf8)
        body.append(contentsOf: keyword.utf8)
        body.append(contentsOf: [0, 0, 0, 0, 0])  // keyword end, not compressed, method 0, no language, no translation
        body.append(contentsOf: text)
        var chunk = Data(capacity: body.count + 8)
        chunk.appendBigEndian(body.count - 4, width: 4)
        chunk.append(body)
        chunk.appendBigEndian(Int(CRC32.checksum(body)), width: 4)
        return chunk
    }
}
