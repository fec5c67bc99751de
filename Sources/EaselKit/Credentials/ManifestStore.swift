import Foundation

/// Where an image file keeps its C2PA manifest store (C2PA specification, "Embedding manifests
/// into assets"): a PNG `caBX` chunk, JPEG APP11 segments carrying JUMBF (ISO 19566-5, split
/// into packets), or a WebP `C2PA` chunk.
enum ManifestStore {
    /// The JUMBF bytes of the manifest store in `data`, nil when the file carries none.
    /// - Throws: ``ContentCredentials/Problem`` when the container itself cannot be walked, or
    ///   the manifest's pieces do not fit together.
    static func bytes(in data: some ByteFields, format: ImageFormat) throws -> Data? {
        do {
            switch format {
            case .png:
                let chunks = try Provenance.pngChunks(of: data, label: "image")
                guard let chunk = chunks.first(where: { $0.type == "caBX" }) else { return nil }
                return try payload(of: data, at: chunk.offset + 8, count: chunk.length)
            case .webp:
                guard
                    let chunk = try Provenance.riffChunks(of: data, label: "image").first(where: { $0.fourCC == "C2PA" }
                    )
                else { return nil }
                return try payload(of: data, at: chunk.offset, count: chunk.size)
            case .jpeg:
                return try jpegStore(in: data)
            }
        } catch let error as ImagingError {
            throw ContentCredentials.Problem(error.message)
        }
    }

    /// The bytes of a chunk holding the store: read only when they are not too many.
    private static func payload(of data: some ByteFields, at offset: Int, count: Int) throws -> Data {
        guard count <= ContentCredentials.maxManifestBytes else {
            throw ContentCredentials.Problem("a manifest of more than \(ContentCredentials.maxManifestBytes) bytes")
        }
        guard let bytes = data.bytes(at: offset, count: count) else {
            throw ContentCredentials.Problem("the manifest cannot be read")
        }
        return Data(bytes)
    }

    /// The C2PA box of a JPEG, put back together from its APP11 packets.
    ///
    /// Each APP11 segment holds `JP`, a box instance number (2 bytes), a packet sequence number
    /// (4 bytes), then a piece of the box; every packet after the first repeats the box header
    /// (LBox and TBox, and XLBox when LBox is 1), which is dropped when the pieces are joined.
    private static func jpegStore(in data: some ByteFields) throws -> Data? {
        let (segments, _) = try Provenance.jpegSegments(of: data, label: "image")
        var instances: [Int: [(sequence: Int, piece: Data)]] = [:]
        var order: [Int] = []
        var total = 0
        for segment in segments where segment.marker == 0xEB && segment.count > 12 {
            total += segment.count
            guard total <= ContentCredentials.maxManifestBytes else {
                throw ContentCredentials.Problem(
                    "APP11 segments of more than \(ContentCredentials.maxManifestBytes) bytes"
                )
            }
            guard let body = data.bytes(at: segment.offset + 4, count: segment.count - 4),
                body.starts(with: [0x4A, 0x50]),
                let instance = body.bigEndian(at: 2, width: 2), let sequence = body.bigEndian(at: 4, width: 4)
            else { continue }
            if instances[instance] == nil { order.append(instance) }
            instances[instance, default: []].append((sequence, Data(body.dropFirst(8))))
        }
        for instance in order {
            let packets = instances[instance]!.sorted { $0.sequence < $1.sequence }
            guard var box = packets.first?.piece, box.count >= 8 else { continue }
            // Only the C2PA manifest store: a JUMBF superbox whose description is of type 'c2pa'.
            guard box.bytes(at: 4, count: 4) == Data("jumb".utf8),
                box.bytes(at: 8 + 8, count: 4) == Data("c2pa".utf8)
                    || box.bytes(at: 16 + 8, count: 4) == Data("c2pa".utf8)
            else { continue }
            let header = box.bigEndian(at: 0, width: 4) == 1 ? 16 : 8
            for (expected, packet) in zip(packets.indices.dropFirst(), packets.dropFirst()) {
                guard packet.sequence == packets[0].sequence + expected else {
                    throw ContentCredentials.Problem("a JPEG APP11 packet of the manifest is missing")
                }
                guard packet.piece.count >= header else {
                    throw ContentCredentials.Problem("a JPEG APP11 packet of the manifest is cut short")
                }
                box.append(packet.piece.dropFirst(header))
                guard box.count <= ContentCredentials.maxManifestBytes else {
                    throw ContentCredentials.Problem(
                        "a manifest of more than \(ContentCredentials.maxManifestBytes) bytes"
                    )
                }
            }
            return box
        }
        return nil
    }
}
