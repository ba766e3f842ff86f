import Foundation
import MedleyCore
import MedleyWorkflow

/// `files.list`: the files of a folder whose names match a pattern, sorted by name.
struct ListFilesNode: NodeType {
    let name = "files.list"
    let version = 1
    let summary = "List the files of a folder (sorted by name) whose names match a glob pattern."
    let inputs = [
        InputSpec("folder", .file, help: "The folder to list."),
        InputSpec("pattern", .string, default: "*", help: "Shell-style pattern such as *.png or *.{mp3,wav}."),
        InputSpec("recursive", .bool, default: false, help: "Also list the files of subfolders."),
    ]
    let outputs = [OutputSpec("files", .list(.file), help: "The matching files.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let folder = try inputs.path("folder")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw MedleyError.fileNotFound(path: folder)
        }
        guard isDirectory.boolValue else {
            throw MedleyError.invalidArgument("\(folder): is a file, not a folder; give the folder to list")
        }
        let patterns = GlobPattern.expand(try inputs.string("pattern"))
        let recursive = try inputs.bool("recursive")
        var found: [String] = []
        let root = URL(fileURLWithPath: folder)
        if recursive {
            let enumerator = FileManager.default.enumerator(atPath: folder)
            while let relative = enumerator?.nextObject() as? String { found.append(relative) }
        } else {
            found = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        }
        let files = found.sorted().filter { relative in
            let name = URL(fileURLWithPath: relative).lastPathComponent
            guard !name.hasPrefix("."), patterns.contains(where: { GlobPattern.matches(name, $0) }) else { return false }
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path, isDirectory: &isFolder)
            return exists && !isFolder.boolValue
        }
        return ["files": .list(files.map { .file(FileValue(path: root.appendingPathComponent($0).path)) })]
    }
}

/// Shell-style name patterns: `*`, `?`, and one level of `{a,b}` alternatives.
enum GlobPattern {
    static func expand(_ pattern: String) -> [String] {
        guard let open = pattern.firstIndex(of: "{"), let close = pattern[open...].firstIndex(of: "}") else { return [pattern] }
        let head = pattern[..<open], tail = pattern[pattern.index(after: close)...]
        return pattern[pattern.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false)
            .map { String(head + $0 + tail) }
    }

    static func matches(_ name: String, _ pattern: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}

/// A table value: `{"columns": ["a", "b"], "rows": [[1, "x"], ...]}`.
public struct DataTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[JSONValue]]

    public init(columns: [String], rows: [[JSONValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The table as a structured workflow value.
    var value: WorkflowValue {
        .json(.object(["columns": .array(columns.map(JSONValue.string)), "rows": .array(rows.map(JSONValue.array))]))
    }

    /// Reads a table value.
    init(_ value: WorkflowValue, nodeID: String) throws {
        guard case .json(let json) = value, let columns = json["columns"]?.arrayValue?.compactMap(\.stringValue),
              let rows = json["rows"]?.arrayValue?.map({ $0.arrayValue ?? [] })
        else { throw MedleyError.invalidArgument("node '\(nodeID)': input is not a table {\"columns\": [...], \"rows\": [...]}") }
        self.columns = columns
        self.rows = rows
    }

    /// RFC 4180 CSV: a header line, fields quoted when they hold a comma, a quote or a line break.
    var csv: String {
        func field(_ value: JSONValue) -> String {
            let text: String
            switch value {
            case .string(let s): text = s
            case .null: text = ""
            case .number(let n): text = JSONValue.format(n)
            case .bool(let b): text = b ? "true" : "false"
            default: text = value.canonicalText
            }
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var lines = [columns.map { field(.string($0)) }.joined(separator: ",")]
        for row in rows { lines.append(row.map(field).joined(separator: ",")) }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// `table.concat`: tables with the same columns, one after the other.
struct ConcatTablesNode: NodeType {
    let name = "table.concat"
    let version = 1
    let summary = "Join tables that have the same columns into one."
    let inputs = [InputSpec("tables", .list(.table), help: "The tables, in order.")]
    let outputs = [OutputSpec("table", .table, help: "All rows, in order.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let tables = try inputs.list("tables").map { try DataTable($0, nodeID: inputs.nodeID) }
        guard let first = tables.first else { return ["table": DataTable(columns: [], rows: []).value] }
        for table in tables where table.columns != first.columns {
            throw MedleyError.invalidArgument("node '\(inputs.nodeID)': tables have different columns ("
                + first.columns.joined(separator: ",") + " vs " + table.columns.joined(separator: ",") + ")")
        }
        return ["table": DataTable(columns: first.columns, rows: tables.flatMap(\.rows)).value]
    }
}

/// `table.csv`: a table written as a CSV file.
struct TableCSVNode: NodeType {
    let name = "table.csv"
    let version = 1
    let summary = "Write a table as a CSV file (RFC 4180, header line first)."
    let inputs = [
        InputSpec("table", .table, help: "The table."),
        InputSpec("filename", .string, default: "table.csv", help: "The file's name."),
    ]
    let outputs = [OutputSpec("file", .file, help: "The CSV file.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let table = try DataTable(inputs.values["table"] ?? .json(.null), nodeID: inputs.nodeID)
        let name = try fileName(inputs, "filename")
        let path = context.outputPath(name)
        try writeAtomically(to: path) { try Data(table.csv.utf8).write(to: URL(fileURLWithPath: $0)) }
        return ["file": .file(FileValue(path: path, name: name))]
    }
}

/// A file-name input, checked to be a plain name (no folders), so a node writes only inside its work folder.
func fileName(_ inputs: NodeInputs, _ input: String) throws -> String {
    let name = try inputs.string(input)
    guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
        throw MedleyError.invalidArgument("node '\(inputs.nodeID)': input '\(input)' must be a plain file name, not '\(name)'")
    }
    return name
}
