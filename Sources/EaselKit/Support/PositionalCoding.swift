/// Reading a value kept as a JSON array of its fields, in a fixed order (the state files' form:
/// ``FileIdentity``, ``CacheRecord/Compact``, ``PromptFile/Compact``): decoding an object looks
/// every key of it up, and an array of the same fields decodes in a third of the time.
extension UnkeyedDecodingContainer {
    /// A field that may be null, but must be there: `decodeIfPresent` takes a list that ends early
    /// for one whose last fields are null.
    mutating func decodeOptional<T: Decodable>(_ type: T.Type) throws -> T? {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                .init(codingPath: codingPath, debugDescription: "a field is missing at \(currentIndex)")
            )
        }
        return try decodeNil() ? nil : try decode(type)
    }

    /// Throws unless every field was read: a list with more fields than `what` has is not one.
    func requireEnd(of what: String) throws {
        guard isAtEnd else {
            throw DecodingError.dataCorruptedError(in: self, debugDescription: "more fields than \(what) has")
        }
    }
}
