import Foundation
import MedleyCore
import MedleyModels

/// A file flowing through a workflow: where it is, and the name it should have when it is written out.
public struct FileValue: Sendable, Hashable {
    /// An absolute path.
    public var path: String
    /// The file name it carries (an input's own name, or the name a node gave its output).
    public var name: String

    /// A file value for `path`, named after its last component unless `name` is given.
    public init(path: String, name: String? = nil) {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        self.path = absolute
        self.name = name ?? URL(fileURLWithPath: absolute).lastPathComponent
    }

    /// A value holding `path` exactly as given (a path relative to the artifact store, in the cache index).
    init(rawPath: String, name: String) {
        self.path = rawPath
        self.name = name
    }
}

/// A value on a port: a node's input or output, a workflow parameter or a workflow output.
public indirect enum WorkflowValue: Sendable, Hashable {
    case file(FileValue)
    case text(String)
    case number(Double)
    case bool(Bool)
    case json(JSONValue)
    case list([WorkflowValue])

    /// The elements of a list value, or nil.
    public var elements: [WorkflowValue]? {
        if case .list(let elements) = self { return elements }
        return nil
    }

    /// Every file inside this value (itself, or the elements of a list, recursively).
    public var files: [FileValue] {
        switch self {
        case .file(let file): return [file]
        case .list(let elements): return elements.flatMap(\.files)
        default: return []
        }
    }

    /// The value as tagged JSON, the form kept in the cache index and in run records:
    /// `{"file": path, "name": name}`, `{"text": ...}`, `{"number": ...}`, `{"bool": ...}`, `{"json": ...}`,
    /// `{"list": [...]}`.
    public var tagged: JSONValue {
        switch self {
        case .file(let file): return .object(["file": .string(file.path), "name": .string(file.name)])
        case .text(let text): return .object(["text": .string(text)])
        case .number(let number): return .object(["number": .number(number)])
        case .bool(let flag): return .object(["bool": .bool(flag)])
        case .json(let json): return .object(["json": json])
        case .list(let elements): return .object(["list": .array(elements.map(\.tagged))])
        }
    }

    /// Reads the tagged form written by ``tagged``.
    public init(tagged json: JSONValue) throws {
        guard case .object(let members) = json, members.count <= 2, let (tag, content) = members.first(where: { $0.key != "name" })
        else { throw MedleyError.internal("not a tagged workflow value: \(json.canonicalText.prefix(80))") }
        switch (tag, content) {
        case ("file", .string(let path)):
            self = .file(FileValue(rawPath: path, name: members["name"]?.stringValue ?? URL(fileURLWithPath: path).lastPathComponent))
        case ("text", .string(let text)): self = .text(text)
        case ("number", .number(let number)): self = .number(number)
        case ("bool", .bool(let flag)): self = .bool(flag)
        case ("json", let value): self = .json(value)
        case ("list", .array(let elements)): self = .list(try elements.map { try WorkflowValue(tagged: $0) })
        default: throw MedleyError.internal("not a tagged workflow value: \(json.canonicalText.prefix(80))")
        }
    }

    /// The value as plain JSON for people and exports: files as their paths, lists as arrays.
    public var plain: JSONValue {
        switch self {
        case .file(let file): return .string(file.path)
        case .text(let text): return .string(text)
        case .number(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .json(let json): return json
        case .list(let elements): return .array(elements.map(\.plain))
        }
    }

    /// A literal from a workflow file or the command line, read as `type`.
    ///
    /// Paths (strings given for file types) are resolved against `baseDirectory`.
    /// - Returns: nil when the literal does not fit the type (the caller names the place).
    public static func literal(_ json: JSONValue, as type: ValueType, baseDirectory: URL) -> WorkflowValue? {
        switch (type, json) {
        case (let t, .string(let path)) where t.isFile:
            guard !path.isEmpty else { return nil }
            return .file(FileValue(path: URL(fileURLWithPath: path, relativeTo: baseDirectory).path))
        case (.text, .string(let text)), (.string, .string(let text)): return .text(text)
        case (.number, .number(let number)): return .number(number)
        case (.bool, .bool(let flag)): return .bool(flag)
        case (let t, let value) where t.isStructured: return .json(value)
        case (.list(let element), .array(let items)):
            var values: [WorkflowValue] = []
            for item in items {
                guard let value = literal(item, as: element, baseDirectory: baseDirectory) else { return nil }
                values.append(value)
            }
            return .list(values)
        default: return nil
        }
    }

    /// A command-line value (`--set name=value`) read as `type`: numbers and booleans are parsed, file types
    /// are paths, structured types are JSON text.
    public static func commandLine(_ text: String, as type: ValueType, baseDirectory: URL) -> WorkflowValue? {
        switch type {
        case .number: return Double(text).flatMap { $0.isFinite ? .number($0) : nil }
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "1", "on": return .bool(true)
            case "false", "no", "0", "off": return .bool(false)
            default: return nil
            }
        case .text, .string: return .text(text)
        case let t where t.isFile: return literal(.string(text), as: t, baseDirectory: baseDirectory)
        default:
            guard let json = try? JSONParser.parse(text, source: "value") else { return nil }
            return literal(json, as: type, baseDirectory: baseDirectory)
        }
    }
}

/// Content hashes of values, for cache keys and run records. Files are hashed by content (and name), so a
/// moved or copied input still hits the cache; a file is read once per hasher.
public final class ValueHasher: @unchecked Sendable {
    private let lock = NSLock()
    private var fileHashes: [String: (size: Int64, modified: Date, sha256: String)] = [:]

    public init() {}

    /// The SHA-256 of a file's content, remembered while its size and modification time stay the same.
    public func sha256(of file: FileValue) throws -> String {
        try requireReadableFile(file.path)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = attributes[.modificationDate] as? Date ?? .distantPast
        lock.lock()
        let known = fileHashes[file.path]
        lock.unlock()
        if let known, known.size == size, known.modified == modified { return known.sha256 }
        let sha = try Checksum.sha256(fileAt: file.path).sha256
        lock.lock()
        fileHashes[file.path] = (size, modified, sha)
        lock.unlock()
        return sha
    }

    /// A JSON fingerprint of `value` in which every file is replaced by its content hash and name, and every
    /// folder by its path and a hash of its listing (names, sizes and modification times, recursively), so a
    /// node that reads a folder runs again when a file in it changes.
    public func fingerprint(_ value: WorkflowValue) throws -> JSONValue {
        switch value {
        case .file(let file):
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return .object(["folder": .string(file.path), "listing": .string(try listingHash(file.path))])
            }
            return .object(["sha256": .string(try sha256(of: file)), "name": .string(file.name)])
        case .list(let elements): return .array(try elements.map(fingerprint))
        default: return value.tagged
        }
    }

    private func listingHash(_ folder: String) throws -> String {
        var lines: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            let attributes = enumerator?.fileAttributes ?? [:]
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            lines.append("\(relative)\t\(size)\t\(modified)")
        }
        return try Checksum.sha256(lines.sorted().joined(separator: "\n"))
    }
}
