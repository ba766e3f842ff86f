/// Every node type by name: the one table that workflows, the CLI and (later) the server look tasks up in.
public struct NodeRegistry: Sendable {
    private var types: [String: any NodeType] = [:]

    /// A registry holding `types`.
    public init(_ types: [any NodeType] = []) {
        for type in types { register(type) }
    }

    /// Adds a node type; a later registration of the same name replaces the earlier one.
    public mutating func register(_ type: any NodeType) {
        types[type.name] = type
    }

    /// The node type called `name`, or nil.
    public func type(named name: String) -> (any NodeType)? { types[name] }

    /// Every node type, sorted by name.
    public var all: [any NodeType] { types.values.sorted { $0.name < $1.name } }

    /// The registered name closest to `name` (by edit distance), when one is close enough to be a likely typo.
    public func suggestion(for name: String) -> String? {
        let scored = types.keys.map { ($0, editDistance($0, name)) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        guard let (best, distance) = scored else { return nil }
        // Also suggest when the unknown name is the last part of a registered one ("transcribe").
        if distance <= max(2, name.count / 3) || best.hasSuffix("." + name) { return best }
        return types.keys.sorted().first { $0.hasSuffix("." + name) }
    }
}

/// Levenshtein distance between two strings, by characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
