import Foundation

/// Reads an Images API answer as it arrives (a call's body, or a line of a batch's output file):
/// each image's base64 is decoded into a file of its own under `spool`, the rest is kept as a
/// small JSON skeleton to decode. Memory stays at a few buffers whatever the answer's size.
struct AnswerReader {
    let maxImages: Int
    let spool: URL
    let maxBytesPerImage: Int
    let requestID: String?
    /// Base64 is 4/3 of the bytes; the rest of the JSON is bounded by the scanner's skeleton.
    let byteLimit: Int
    private var scanner: ImagesResponseScanner
    private var spooled: [Int: ImageSpoolFile] = [:]
    private var current: ImageSpoolFile?
    private(set) var received = 0

    /// - Parameter path: where the answer is in what is read (``ImagesResponseScanner/path``).
    init(maxImages: Int, spool: URL, maxBytesPerImage: Int, path: [String] = [], requestID: String?) {
        scanner = ImagesResponseScanner(path: path)
        (self.maxImages, self.spool, self.maxBytesPerImage, self.requestID) =
            (maxImages, spool, maxBytesPerImage, requestID)
        byteLimit = maxImages * (maxBytesPerImage / 3 * 4 + 4) + scanner.skeletonLimit
    }

    /// Reads the next bytes.
    /// - Throws: ``APIError``: `.unusableAnswer` for images too large or too many, or bad base64;
    ///   `.transport` for bytes that are not the JSON expected.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
        received += bytes.count
        guard received <= byteLimit else {
            throw APIError(
                kind: .unusableAnswer,
                message: "the answer is over \(byteLimit >> 20) MB, more than \(maxImages) image(s) can take",
                requestID: requestID
            )
        }
        do {
            try scanner.feed(bytes.bindMemory(to: UInt8.self)) { event in
                switch event {
                case .imageStart(let index):
                    guard index < maxImages else {
                        throw APIError(
                            kind: .unusableAnswer,
                            message: "the answer holds more than the \(maxImages) image(s) asked for",
                            requestID: requestID
                        )
                    }
                    let file = try ImageSpoolFile(in: spool, limit: maxBytesPerImage)
                    spooled[index] = file
                    current = file
                case .imageText(let text):
                    try current?.append(base64: text)
                case .imageEnd:
                    try current?.endBase64()
                    current = nil
                }
            }
        } catch let failure as ImagesResponseScanner.Failure {
            throw APIError(kind: .transport, message: failure.message, requestID: requestID)
        }
    }

    /// The answer ended: what it says besides its images, as JSON.
    /// - Throws: ``APIError`` (`.transport`) when it ended early.
    func finish() throws -> Data {
        do {
            try scanner.finish()
        } catch let failure as ImagesResponseScanner.Failure {
            throw APIError(kind: .transport, message: failure.message, requestID: requestID)
        }
        return Data(scanner.skeleton)
    }

    /// The answer ended: what it says besides its images, decoded as `type`.
    /// - Throws: ``APIError`` (`.transport`) when it ended early or is not that JSON.
    func finish<Answer: Decodable>(as type: Answer.Type) throws -> Answer {
        let skeleton = try finish()
        do {
            return try JSONDecoder().decode(Answer.self, from: skeleton)
        } catch {
            throw APIError(
                kind: .transport,
                message: "the answer is not the Images API's JSON (\(received) bytes)",
                requestID: requestID
            )
        }
    }

    /// The result of `response`, its images the files read for it; a `url` item (legacy servers)
    /// is fetched with `download`. Every string kept from the answer passes `redactor` here, once.
    func result(
        of response: ImagesResponse,
        redactor: Redactor,
        download: (_ url: String, _ index: Int) async throws -> ReceivedImage
    ) async throws -> ImageResult {
        guard !response.data.isEmpty else {
            throw APIError(kind: .transport, message: "the answer holds no image", requestID: requestID)
        }
        guard response.data.count <= maxImages else {
            throw APIError(
                kind: .unusableAnswer,
                message: "the answer holds \(response.data.count) images; \(maxImages) were asked for",
                requestID: requestID
            )
        }
        var images: [ReceivedImage] = []
        for (index, item) in response.data.enumerated() {
            if let file = spooled[index] {
                images.append(file.finish())
            } else if let url = item.url {
                images.append(try await download(url, index))
            } else {
                for image in images { image.discard() }
                throw APIError(
                    kind: .transport,
                    message: "image \(index + 1) has neither b64_json nor url",
                    requestID: requestID
                )
            }
        }
        return ImageResult(
            images: images,
            created: ImagesClient.created(response.created),
            latency: .zero,
            requestID: requestID,
            usage: response.usage?.usage,
            size: response.size.map { redactor.serverText($0, limit: 40) }.flatMap { ImageSize($0)?.description },
            quality: response.quality.map { redactor.serverText($0, limit: 40) },
            background: response.background.map { redactor.serverText($0, limit: 40) },
            revisedPrompt: response.data.first?.revisedPrompt.map {
                redactor.serverText($0, limit: Limits.promptCharacters)
            }
        )
    }
}
