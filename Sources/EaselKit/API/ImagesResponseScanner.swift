/// Splits an Images API answer as it arrives, so that no image is ever held in memory whole.
///
/// The base64 text of each `data[i].b64_json` is handed to the caller run by run, as it streams
/// in; everything else (`created`, `usage`, `size`, `url`, `revised_prompt`…) is copied into a
/// small JSON document, the *skeleton*, in which those strings are empty, for `JSONDecoder` to
/// read. An answer of ten 64 MB images thus costs a few buffers, not 850 MB of text.
///
/// The scanner only tracks strings, nesting and keys; it does not validate JSON, which
/// `JSONDecoder` does on the skeleton. Whatever the bytes, it keeps bounded state: nesting at
/// most ``maxDepth``, keys at most ``maxKeyLength``, a skeleton at most `skeletonLimit` bytes.
struct ImagesResponseScanner {
    /// What the scanner reports about the images it finds.
    enum Event {
        /// `data[index].b64_json` begins.
        case imageStart(index: Int)
        /// Base64 text of the current image (escapes such as `\/` already undone).
        case imageText(UnsafeBufferPointer<UInt8>)
        /// The current image's string ended.
        case imageEnd
    }

    /// Why the answer cannot be read.
    struct Failure: Error, Equatable, Sendable {
        var message: String
    }

    static let maxDepth = 32
    static let maxKeyLength = 64

    private struct Frame {
        var isObject: Bool
        /// In an object: the next string is a key (before `:`), not a value.
        var expectingKey: Bool
        /// In an object: the key whose value is being read.
        var key: [UInt8]?
    }

    private enum Lexer {
        case structure
        /// Inside a string; `role` says where its bytes go.
        case string(Role, escaped: Bool)
    }

    private enum Role {
        case key([UInt8])
        case value
        case image
    }

    let skeletonLimit: Int
    /// The keys of the objects around the answer: none for an answer of the Images API, `response`
    /// and `body` for a line of a batch's output file, whose answer is `response.body`.
    let path: [[UInt8]]
    /// The answer without the images' base64: valid JSON when the answer was.
    private(set) var skeleton: [UInt8] = []
    private var stack: [Frame] = []
    private var lexer = Lexer.structure
    /// Items of the top-level `data` array opened so far.
    private var items = 0

    init(skeletonLimit: Int = 1 << 20, path: [String] = []) {
        self.skeletonLimit = skeletonLimit
        self.path = path.map { Array($0.utf8) }
        skeleton.reserveCapacity(4096)
    }

    /// Reads the next bytes of the answer.
    /// - Throws: ``Failure`` when the skeleton outgrows its limit or the nesting is too deep;
    ///   whatever `handle` throws.
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, _ handle: (Event) throws -> Void) throws {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch lexer {
            case .string(.image, let escaped):
                if escaped {
                    // Base64 has no escapes but `\/` (some encoders write it); line breaks are skipped.
                    switch bytes[index] {
                    case UInt8(ascii: "/"):
                        var slash = UInt8(ascii: "/")
                        try withUnsafePointer(to: &slash) {
                            try handle(.imageText(UnsafeBufferPointer(start: $0, count: 1)))
                        }
                    case UInt8(ascii: "n"), UInt8(ascii: "r"):
                        break
                    default:
                        throw Failure(message: "an image's base64 holds an escape sequence base64 never needs")
                    }
                    lexer = .string(.image, escaped: false)
                    index += 1
                    continue
                }
                // The hot path: hand over the run up to the next quote or backslash in one piece.
                var end = index
                while end < bytes.endIndex, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") {
                    end += 1
                }
                if end > index { try handle(.imageText(UnsafeBufferPointer(rebasing: bytes[index..<end]))) }
                guard end < bytes.endIndex else { return }
                if bytes[end] == UInt8(ascii: "\\") {
                    lexer = .string(.image, escaped: true)
                } else {
                    try handle(.imageEnd)
                    try append(UInt8(ascii: "\""))
                    lexer = .structure
                }
                index = end + 1
            case .string(let role, let escaped):
                let byte = bytes[index]
                index += 1
                try append(byte)
                if escaped {
                    lexer = .string(role, escaped: false)
                    continue
                }
                switch byte {
                case UInt8(ascii: "\\"):
                    lexer = .string(role, escaped: true)
                case UInt8(ascii: "\""):
                    lexer = .structure
                    if case .key(let key) = role, let last = stack.indices.last { stack[last].key = key }
                default:
                    if case .key(var key) = role {
                        // A key longer than any Easel reads is kept cut: it will match none.
                        if key.count <= Self.maxKeyLength { key.append(byte) }
                        lexer = .string(.key(key), escaped: false)
                    }
                }
            case .structure:
                let byte = bytes[index]
                index += 1
                try structure(byte, handle)
            }
        }
    }

    /// The answer ended: the skeleton is complete when the JSON was.
    /// - Throws: ``Failure`` when the answer ended inside a string or a container.
    func finish() throws {
        guard case .structure = lexer, stack.isEmpty, !skeleton.isEmpty else {
            throw Failure(message: "the answer ended before its JSON did")
        }
    }

    private mutating func structure(_ byte: UInt8, _ handle: (Event) throws -> Void) throws {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
            return  // the skeleton needs no white space
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard stack.count < Self.maxDepth else {
                throw Failure(message: "the answer is nested more than \(Self.maxDepth) levels deep")
            }
            if byte == UInt8(ascii: "{"), isDataItem(depth: stack.count) { items += 1 }
            stack.append(Frame(isObject: byte == UInt8(ascii: "{"), expectingKey: byte == UInt8(ascii: "{")))
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            guard !stack.isEmpty else { throw Failure(message: "the answer closes more than it opens") }
            stack.removeLast()
        case UInt8(ascii: ":"):
            if let last = stack.indices.last { stack[last].expectingKey = false }
        case UInt8(ascii: ","):
            if let last = stack.indices.last, stack[last].isObject { stack[last].expectingKey = true }
        case UInt8(ascii: "\""):
            if let last = stack.indices.last, stack[last].isObject, stack[last].expectingKey {
                lexer = .string(.key([]), escaped: false)
            } else if isImageValue() {
                try append(byte)
                lexer = .string(.image, escaped: false)
                try handle(.imageStart(index: items - 1))
                return
            } else {
                lexer = .string(.value, escaped: false)
            }
        default:
            break  // numbers, true, false, null: copied as they are
        }
        try append(byte)
    }

    /// Whether an object opening at `depth` is an item of the answer's `data` array (the answer
    /// being the value at ``path``).
    private func isDataItem(depth: Int) -> Bool {
        let answer = path.count
        guard depth == answer + 2 else { return false }
        for (level, key) in path.enumerated() where !stack[level].isObject || stack[level].key != key {
            return false
        }
        return stack[answer].isObject && stack[answer].key == Array("data".utf8) && !stack[answer + 1].isObject
    }

    /// Whether the string starting now is the answer's `data[i].b64_json`.
    private func isImageValue() -> Bool {
        let item = path.count + 2
        return stack.count == item + 1 && isDataItem(depth: item) && stack[item].isObject
            && !stack[item].expectingKey && stack[item].key == Array("b64_json".utf8)
    }

    private mutating func append(_ byte: UInt8) throws {
        guard skeleton.count < skeletonLimit else {
            throw Failure(message: "the answer's text besides its images is over \(skeletonLimit >> 10) KiB")
        }
        skeleton.append(byte)
    }
}
