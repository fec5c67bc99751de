/// A size in pixels written `WIDTHxHEIGHT`, as the Images API takes it.
public struct ImageSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    /// The longest side Easel accepts anywhere, written or received (SPEC §3): 16,384 pixels.
    ///
    /// Every size parsed from text is held to it, so that `pixels`, ratios and the sums of
    /// rectangles drawn on an image stay far from `Int`'s limits, and no placeholder or mask is
    /// ever drawn past it.
    public static let maxSide = 16_384

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses "1536x1024"; nil for anything else, "auto" included, and for a side over ``maxSide``.
    public init?(_ text: String) {
        guard case .size(let size) = Self.parse(text) else { return nil }
        self = size
    }

    /// What a `WIDTHxHEIGHT` text holds.
    enum Parsed: Equatable {
        case size(ImageSize)
        /// Not two whole numbers above 0 joined by `x`.
        case malformed
        /// Well formed, but a side is over ``maxSide``.
        case tooLarge
    }

    /// Parses `text` without ever converting a number that could overflow.
    static func parse(_ text: String) -> Parsed {
        let parts = text.utf8.split(separator: UInt8(ascii: "x"), omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { (48...57).contains($0) } }) else {
            return .malformed
        }
        // Leading zeros aside, six digits already exceed the limit: never parse more.
        let sides = parts.map { digits -> Int? in
            let significant = digits.drop { $0 == UInt8(ascii: "0") }
            return significant.count > 6 ? nil : significant.reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard let width = sides[0], let height = sides[1] else { return .tooLarge }
        guard width > 0, height > 0 else { return .malformed }
        guard width <= maxSide, height <= maxSide else { return .tooLarge }
        return .size(ImageSize(width: width, height: height))
    }

    public var description: String { "\(width)x\(height)" }

    var pixels: Int { width * height }
    var longEdge: Int { max(width, height) }
    var shortEdge: Int { min(width, height) }
}
