import Foundation

extension CacheRecord {
    /// The latest time a record may hold: far in the future, but one whose seconds no formatter traps on.
    static let latestDate = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
    static let earliestDate = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01

    /// Why this record, read from `folder` (its key's folder name), cannot be trusted; nil when it can.
    ///
    /// A cache comes with a cloned repository: every field that names a file or feeds arithmetic is
    /// held to what Easel itself writes. Image files are `1.png`, `2.png`… in the record's format:
    /// a record cannot point at `../../private.png` or publish an `.svg`.
    func problem(inFolder folder: String) -> String? {
        guard version == 1 else { return "record version \(version) is not one this Easel reads" }
        guard key.hex == folder, CacheKey.isValidHex(folder) else {
            return "the record's key does not match its folder \(folder)"
        }
        guard let format = ImageFormat(rawValue: format) else {
            return "format '\(Self.excerpt(format))' is not png, jpeg or webp"
        }
        guard (1...10).contains(images.count) else { return "it lists \(images.count) images; an entry holds 1 to 10" }
        for (offset, image) in images.enumerated() {
            let expected = "\(offset + 1).\(format.fileExtension)"
            guard image.file == expected else {
                return "image \(offset + 1) is named '\(Self.excerpt(image.file))'; Easel names it \(expected)"
            }
            guard CacheKey.isValidHex(image.sha256), (1...(1 << 30)).contains(image.bytes) else {
                return "image \(offset + 1) has no valid hash or size"
            }
            for side in [image.width, image.height] {
                if let side, !(1...ImageSize.maxSide).contains(side) { return "image \(offset + 1) has a bad size" }
            }
        }
        let counts =
            [latencyMS, totalMS] + [usage?.inputTokens, usage?.outputTokens, usage?.totalTokens].compactMap { $0 }
        let tokenDetails = [usage?.inputTextTokens, usage?.inputImageTokens].compactMap { $0 }
        guard (counts + tokenDetails).allSatisfy({ (0...1_000_000_000).contains($0) }), (1...100).contains(attempts)
        else { return "a time, count or token number is out of range" }
        if let costUSD, !(costUSD.isFinite && (0...1_000_000).contains(costUSD)) { return "the cost is out of range" }
        for date in [created, storedAt] where !(Self.earliestDate...Self.latestDate).contains(date) {
            return "a date is out of range"
        }
        if let batch {
            guard (try? BatchClient.checked(batch.id)) != nil, batch.customID == key.hex else {
                return "its batch id or custom_id is not one Easel sends"
            }
            guard (Self.earliestDate...Self.latestDate).contains(batch.submittedAt),
                (batch.submittedAt...Self.latestDate).contains(batch.completedAt)
            else { return "its batch's times are out of range" }
        }
        let texts = [request.prompt, revisedPrompt ?? "", promptFile, model, request.model]
        guard texts.allSatisfy({ $0.utf8.count <= 4 * Limits.promptCharacters }) else { return "a text is too long" }
        return nil
    }

    private static func excerpt(_ text: String) -> String {
        let flat = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(40))
        return text.count > 40 ? flat + "…" : flat
    }
}

extension CacheKey {
    /// Whether `text` is 64 lowercase hex digits, as every key and image hash is.
    static func isValidHex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
