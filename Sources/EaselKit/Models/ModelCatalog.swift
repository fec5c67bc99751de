/// The model table: the built-in rows plus those a project adds in easel.yml (`models:`).
public struct ModelCatalog: Sendable {
    /// The model a prompt uses when neither it nor easel.yml names one.
    public static let defaultModel = "gpt-image-2"

    private var byName: [String: ModelSpec]
    /// Names in table order, for listings and suggestions.
    public private(set) var names: [String]

    /// Creates a catalog; a later row replaces an earlier one of the same name.
    public init(models: [ModelSpec]) {
        byName = [:]
        names = []
        for model in models { add(model) }
    }

    /// The row for `name`, or nil for a model Easel does not know (it is then sent as written).
    public subscript(name: String) -> ModelSpec? { byName[name] }

    /// Adds or replaces a row.
    public mutating func add(_ model: ModelSpec) {
        if byName.updateValue(model, forKey: model.name) == nil { names.append(model.name) }
    }
}
