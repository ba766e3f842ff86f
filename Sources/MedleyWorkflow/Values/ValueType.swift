import Foundation

/// The type of a node input or output (a port), and of a workflow parameter.
///
/// Media travels between nodes as files (`Audio`, `Video`, `Image` and `File` values are paths), so any node
/// can stream it and the cache can hash it; structured results (`Segments`, `Transcript`, `Detections`,
/// `Table`) travel as JSON. In workflow files a type is written by its name (`"Audio"`), a list as
/// `"List<Audio>"`; `"Images"` is `List<Image>`.
public indirect enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case audio, video, image, text, segments, transcript, detections, table, file, number, string, bool
    case list(ValueType)

    /// `Images`: a list of images.
    public static let images = ValueType.list(.image)

    private static let names: [(String, ValueType)] = [
        ("Audio", .audio), ("Video", .video), ("Image", .image), ("Text", .text), ("Segments", .segments),
        ("Transcript", .transcript), ("Detections", .detections), ("Table", .table), ("File", .file),
        ("Number", .number), ("String", .string), ("Bool", .bool),
    ]

    /// Every type name a workflow file may use (lists aside).
    public static var allNames: [String] { names.map(\.0) + ["Images"] }

    /// The type written as `name` ("Audio", "List<Text>", "Images"), or nil.
    public init?(name: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed == "Images" { self = .images; return }
        if trimmed.hasPrefix("List<"), trimmed.hasSuffix(">") {
            guard let element = ValueType(name: String(trimmed.dropFirst(5).dropLast())) else { return nil }
            self = .list(element)
            return
        }
        guard let match = Self.names.first(where: { $0.0 == trimmed }) else { return nil }
        self = match.1
    }

    public var description: String {
        if self == .images { return "Images" }
        if case .list(let element) = self { return "List<\(element)>" }
        return Self.names.first { $0.1 == self }?.0 ?? "?"
    }

    /// True for the types whose values are files on disk.
    public var isFile: Bool {
        switch self {
        case .audio, .video, .image, .file: return true
        default: return false
        }
    }

    /// True for the types whose values are JSON documents.
    public var isStructured: Bool {
        switch self {
        case .segments, .transcript, .detections, .table: return true
        default: return false
        }
    }

    /// The element type of a list, or nil.
    public var element: ValueType? {
        if case .list(let element) = self { return element }
        return nil
    }

    /// Whether an input of this type accepts a value of type `other`.
    ///
    /// Besides equal types: `Audio` accepts `Video` (its audio track is used) and `File`; `Video` and `Image`
    /// accept `File`; `File` accepts any file type; `Text` and `String` accept each other; lists accept lists
    /// of acceptable elements.
    public func accepts(_ other: ValueType) -> Bool {
        if self == other { return true }
        switch (self, other) {
        case (.audio, .video), (.audio, .file), (.video, .file), (.image, .file): return true
        case (.file, let o) where o.isFile: return true
        case (.text, .string), (.string, .text): return true
        case (.list(let a), .list(let b)): return a.accepts(b)
        default: return false
        }
    }
}
