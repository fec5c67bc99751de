import Foundation

extension CacheRecord {
    /// A record as the cache memo keeps it (``CacheMemo``): a JSON array of its fields in a fixed
    /// order, nested records as arrays too, times as seconds since 2001 (`Date`'s own number, so
    /// that a time comes back to the bit). Decoding an object looks every key of it up; decoding
    /// 10,000 records as objects, with ISO 8601 times, was a seventh of a one-prompt build of
    /// 10,000 prompts, and an array of the same fields decodes in a third of the time.
    ///
    /// `entry.json` stays an object: this form is local state, made and read by one Easel binary
    /// (the memo's context names it), and a record from it is held to the same checks as one read
    /// from its folder (``CacheRecord/problem(inFolder:)``).
    struct Compact: Codable, Sendable {
        var record: CacheRecord

        init(_ record: CacheRecord) { self.record = record }

        init(from decoder: any Decoder) throws {
            var fields = try decoder.unkeyedContainer()
            let version = try fields.decode(Int.self)
            let key = try fields.decode(CacheKey.self)
            var request = try fields.nestedUnkeyedContainer()
            let decodedRequest = try Self.request(from: &request)
            let created = Date(timeIntervalSinceReferenceDate: try fields.decode(Double.self))
            let latencyMS = try fields.decode(Int.self)
            let totalMS = try fields.decode(Int.self)
            let attempts = try fields.decode(Int.self)
            let requestID = try fields.decodeOptional(String.self)
            var usage: Usage?
            if try !fields.decodeNil() {
                var counts = try fields.nestedUnkeyedContainer()
                usage = Usage(
                    inputTokens: try counts.decode(Int.self),
                    inputTextTokens: try counts.decodeOptional(Int.self),
                    inputImageTokens: try counts.decodeOptional(Int.self),
                    outputTokens: try counts.decode(Int.self),
                    totalTokens: try counts.decode(Int.self)
                )
                try counts.requireEnd(of: "a usage")
            }
            let costUSD = try fields.decodeOptional(Double.self)
            let model = try fields.decode(String.self)
            let size = try fields.decodeOptional(String.self)
            let quality = try fields.decodeOptional(String.self)
            let background = try fields.decodeOptional(String.self)
            let format = try fields.decode(String.self)
            var images: [Image] = []
            var list = try fields.nestedUnkeyedContainer()
            while !list.isAtEnd {
                var image = try list.nestedUnkeyedContainer()
                images.append(
                    Image(
                        file: try image.decode(String.self),
                        sha256: try image.decode(String.self),
                        bytes: try image.decode(Int.self),
                        width: try image.decodeOptional(Int.self),
                        height: try image.decodeOptional(Int.self)
                    )
                )
                try image.requireEnd(of: "an image")
            }
            let promptFile = try fields.decode(String.self)
            let storedAt = Date(timeIntervalSinceReferenceDate: try fields.decode(Double.self))
            let revisedPrompt = try fields.decodeOptional(String.self)
            var batch: Batch?
            if try !fields.decodeNil() {
                var parts = try fields.nestedUnkeyedContainer()
                batch = Batch(
                    id: try parts.decode(String.self),
                    customID: try parts.decode(String.self),
                    submittedAt: Date(timeIntervalSinceReferenceDate: try parts.decode(Double.self)),
                    completedAt: Date(timeIntervalSinceReferenceDate: try parts.decode(Double.self))
                )
                try parts.requireEnd(of: "a batch")
            }
            try fields.requireEnd(of: "a record")
            record = CacheRecord(
                version: version,
                key: key,
                request: decodedRequest,
                created: created,
                latencyMS: latencyMS,
                totalMS: totalMS,
                attempts: attempts,
                requestID: requestID,
                usage: usage,
                costUSD: costUSD,
                model: model,
                size: size,
                quality: quality,
                background: background,
                format: format,
                images: images,
                promptFile: promptFile,
                storedAt: storedAt,
                revisedPrompt: revisedPrompt,
                batch: batch
            )
        }

        func encode(to encoder: any Encoder) throws {
            var fields = encoder.unkeyedContainer()
            try fields.encode(record.version)
            try fields.encode(record.key)
            var request = fields.nestedUnkeyedContainer()
            try Self.encode(record.request, into: &request)
            try fields.encode(record.created.timeIntervalSinceReferenceDate)
            try fields.encode(record.latencyMS)
            try fields.encode(record.totalMS)
            try fields.encode(record.attempts)
            try fields.encode(record.requestID)
            if let usage = record.usage {
                var counts = fields.nestedUnkeyedContainer()
                try counts.encode(usage.inputTokens)
                try counts.encode(usage.inputTextTokens)
                try counts.encode(usage.inputImageTokens)
                try counts.encode(usage.outputTokens)
                try counts.encode(usage.totalTokens)
            } else {
                try fields.encodeNil()
            }
            try fields.encode(record.costUSD)
            try fields.encode(record.model)
            try fields.encode(record.size)
            try fields.encode(record.quality)
            try fields.encode(record.background)
            try fields.encode(record.format)
            var list = fields.nestedUnkeyedContainer()
            for image in record.images {
                var fields = list.nestedUnkeyedContainer()
                try fields.encode(image.file)
                try fields.encode(image.sha256)
                try fields.encode(image.bytes)
                try fields.encode(image.width)
                try fields.encode(image.height)
            }
            try fields.encode(record.promptFile)
            try fields.encode(record.storedAt.timeIntervalSinceReferenceDate)
            try fields.encode(record.revisedPrompt)
            if let batch = record.batch {
                var parts = fields.nestedUnkeyedContainer()
                try parts.encode(batch.id)
                try parts.encode(batch.customID)
                try parts.encode(batch.submittedAt.timeIntervalSinceReferenceDate)
                try parts.encode(batch.completedAt.timeIntervalSinceReferenceDate)
            } else {
                try fields.encodeNil()
            }
        }

        private static func request(from fields: inout any UnkeyedDecodingContainer) throws -> Request {
            let endpoint = try fields.decode(ImageRequest.Endpoint.self)
            let model = try fields.decode(String.self)
            let prompt = try fields.decode(String.self)
            let size = try fields.decodeOptional(String.self)
            let quality = try fields.decodeOptional(String.self)
            let n = try fields.decode(Int.self)
            let background = try fields.decodeOptional(String.self)
            let format = try fields.decodeOptional(String.self)
            let compression = try fields.decodeOptional(Int.self)
            let moderation = try fields.decodeOptional(String.self)
            let inputFidelity = try fields.decodeOptional(String.self)
            var images: [FileReference] = []
            var list = try fields.nestedUnkeyedContainer()
            while !list.isAtEnd { images.append(try reference(from: &list)) }
            let mask = try fields.decodeNil() ? nil : try reference(from: &fields)
            var maskRect: PixelRect?
            if try !fields.decodeNil() {
                let (x, y, width, height) = try pixels(from: &fields)
                maskRect = PixelRect(x: x, y: y, width: width, height: height)
            }
            var maskEllipse: PixelEllipse?
            if try !fields.decodeNil() {
                let (x, y, width, height) = try pixels(from: &fields)
                maskEllipse = PixelEllipse(centerX: x, centerY: y, radiusX: width, radiusY: height)
            }
            let seed = try fields.decodeOptional(String.self)
            try fields.requireEnd(of: "a request")
            return Request(
                endpoint: endpoint,
                model: model,
                prompt: prompt,
                size: size,
                quality: quality,
                n: n,
                background: background,
                format: format,
                compression: compression,
                moderation: moderation,
                inputFidelity: inputFidelity,
                images: images,
                mask: mask,
                maskRect: maskRect,
                maskEllipse: maskEllipse,
                seed: seed
            )
        }

        private static func encode(_ request: Request, into fields: inout any UnkeyedEncodingContainer) throws {
            try fields.encode(request.endpoint)
            try fields.encode(request.model)
            try fields.encode(request.prompt)
            try fields.encode(request.size)
            try fields.encode(request.quality)
            try fields.encode(request.n)
            try fields.encode(request.background)
            try fields.encode(request.format)
            try fields.encode(request.compression)
            try fields.encode(request.moderation)
            try fields.encode(request.inputFidelity)
            var list = fields.nestedUnkeyedContainer()
            for image in request.images { try encode(image, into: &list) }
            if let mask = request.mask { try encode(mask, into: &fields) } else { try fields.encodeNil() }
            if let rect = request.maskRect {
                try encode((rect.x, rect.y, rect.width, rect.height), into: &fields)
            } else {
                try fields.encodeNil()
            }
            if let ellipse = request.maskEllipse {
                try encode((ellipse.centerX, ellipse.centerY, ellipse.radiusX, ellipse.radiusY), into: &fields)
            } else {
                try fields.encodeNil()
            }
            try fields.encode(request.seed)
        }

        private static func reference(from fields: inout any UnkeyedDecodingContainer) throws -> FileReference {
            var pair = try fields.nestedUnkeyedContainer()
            let reference = FileReference(path: try pair.decode(String.self), sha256: try pair.decode(String.self))
            try pair.requireEnd(of: "a file reference")
            return reference
        }

        private static func encode(_ reference: FileReference, into fields: inout any UnkeyedEncodingContainer) throws {
            var pair = fields.nestedUnkeyedContainer()
            try pair.encode(reference.path)
            try pair.encode(reference.sha256)
        }

        private static func pixels(from fields: inout any UnkeyedDecodingContainer) throws -> (Int, Int, Int, Int) {
            var four = try fields.nestedUnkeyedContainer()
            let values = (
                try four.decode(Int.self), try four.decode(Int.self), try four.decode(Int.self),
                try four.decode(Int.self)
            )
            try four.requireEnd(of: "a mask shape")
            return values
        }

        private static func encode(
            _ values: (Int, Int, Int, Int),
            into fields: inout any UnkeyedEncodingContainer
        ) throws {
            var four = fields.nestedUnkeyedContainer()
            try four.encode(values.0)
            try four.encode(values.1)
            try four.encode(values.2)
            try four.encode(values.3)
        }
    }
}
