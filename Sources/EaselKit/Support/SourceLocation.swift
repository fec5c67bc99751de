/// A position in a project file, 1-based, as compilers print it.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file's path inside the project, e.g. `prompts/space/death-star.md`.
    public var path: String
    public var line: Int
    public var column: Int

    /// Creates a location; `line` and `column` start at 1.
    public init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }
}

/// A value read from a file, with where it was written.
struct Located<Value: Sendable>: Sendable {
    var value: Value
    var location: SourceLocation

    init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
