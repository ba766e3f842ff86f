import Foundation
import MedleyCore

/// A reference to one output of one node: `["node_id", "output_name"]` in a workflow file.
public struct OutputLink: Sendable, Hashable {
    public var node: String
    public var output: String

    public init(node: String, output: String) {
        self.node = node
        self.output = output
    }
}

/// How a node input gets its value.
public enum InputBinding: Sendable, Hashable {
    /// A literal written in the workflow.
    case literal(JSONValue)
    /// Another node's output: `["node_id", "output_name"]`.
    case link(OutputLink)
    /// A workflow parameter: `{"param": "name"}`.
    case param(String)
}

/// A workflow-level parameter, bound from the command line with `--set name=value`.
public struct WorkflowParameter: Sendable, Hashable {
    public var type: ValueType
    /// The value used when none is given; a parameter without one must be set.
    public var defaultValue: JSONValue?
    public var description: String
}

/// One node of a workflow file.
public struct WorkflowNode: Sendable, Hashable {
    /// The node type's name ("speech.transcribe").
    public var type: String
    public var inputs: [String: InputBinding]
    /// Seconds the node may run before it is stopped; nil for no limit (or the run's default).
    public var timeout: Double?
}

/// A workflow as read from its JSON file: parameters, nodes keyed by id, and named outputs.
///
/// The format (documented in `docs/workflow.md`, schema in `docs/workflow.schema.json`) follows ComfyUI's API
/// format: nodes keyed by id, each with a `type` and `inputs`, an input being a literal or a link
/// `["node_id", "output_name"]`. Reading checks only the shape; ``WorkflowValidator`` checks the rest.
public struct Workflow: Sendable {
    public var name: String
    public var description: String
    public var params: [String: WorkflowParameter]
    public var nodes: [String: WorkflowNode]
    /// Workflow outputs by the name they are written under in the output folder.
    public var outputs: [String: OutputLink]
    /// The document as read, for run records (its canonical text is the workflow's identity).
    public var document: JSONValue
    /// The folder relative paths in the file are resolved against.
    public var baseDirectory: URL

    /// Reads a workflow file. Shape problems are all reported together in one error, each with its JSON path.
    public init(contentsOf url: URL) throws {
        try requireReadableFile(url.path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MedleyError.invalidArgument("\(url.path): cannot read the workflow (\(error.localizedDescription))")
        }
        let json = try JSONParser.parse(data: data, source: url.path)
        let name = url.deletingPathExtension().lastPathComponent
        try self.init(json: json, name: name, baseDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// Reads a workflow from its JSON form; `name` is used when the document has no `name`.
    public init(json: JSONValue, name: String, baseDirectory: URL) throws {
        var issues: [WorkflowIssue] = []
        let result = WorkflowReader.read(json, fallbackName: name, issues: &issues)
        guard issues.isEmpty, let result else { throw WorkflowIssue.error(issues, workflow: name) }
        self = result
        self.baseDirectory = baseDirectory
    }

    init(name: String, description: String, params: [String: WorkflowParameter], nodes: [String: WorkflowNode],
         outputs: [String: OutputLink], document: JSONValue) {
        self.name = name
        self.description = description
        self.params = params
        self.nodes = nodes
        self.outputs = outputs
        self.document = document
        self.baseDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}

/// One problem found in a workflow, at a JSON path such as `$.nodes.asr.inputs.audio`.
public struct WorkflowIssue: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "\(path): \(message)" }

    /// One error listing every issue, one per line.
    static func error(_ issues: [WorkflowIssue], workflow: String) -> MedleyError {
        let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
        return MedleyError.invalidArgument(
            "workflow '\(workflow)' has \(count); fix them and run again:\n"
                + issues.map { "  " + $0.description }.joined(separator: "\n"))
    }
}

/// Builds JSON paths: `$.nodes.asr`, and `$.nodes["my node"]` for keys that are not plain identifiers.
func jsonPath(_ base: String, _ key: String) -> String {
    let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    return plain ? "\(base).\(key)" : "\(base)[\(JSONValue.string(key).canonicalText)]"
}

/// Reads the shape of a workflow document, collecting issues instead of stopping at the first.
enum WorkflowReader {
    static let topLevelKeys: Set<String> = ["name", "description", "params", "nodes", "outputs", "version"]
    static let nodeKeys: Set<String> = ["type", "inputs", "timeout", "title"]
    static let paramKeys: Set<String> = ["type", "default", "description"]

    static func read(_ json: JSONValue, fallbackName: String, issues: inout [WorkflowIssue]) -> Workflow? {
        guard case .object(let top) = json else {
            issues.append(WorkflowIssue(path: "$", message: "a workflow is a JSON object with \"nodes\", not \(json.kindName)"))
            return nil
        }
        for key in top.keys.sorted() where !topLevelKeys.contains(key) {
            issues.append(WorkflowIssue(path: jsonPath("$", key), message: "unknown member; a workflow has "
                + topLevelKeys.sorted().joined(separator: ", ")))
        }
        let name = top["name"]?.stringValue ?? fallbackName
        let description = top["description"]?.stringValue ?? ""
        let params = readParams(top["params"], issues: &issues)
        let nodes = readNodes(top["nodes"], issues: &issues)
        let outputs = readOutputs(top["outputs"], issues: &issues)
        return Workflow(name: name, description: description, params: params, nodes: nodes, outputs: outputs,
                        document: json)
    }

    static func readParams(_ json: JSONValue?, issues: inout [WorkflowIssue]) -> [String: WorkflowParameter] {
        guard let json else { return [:] }
        guard case .object(let members) = json else {
            issues.append(WorkflowIssue(path: "$.params", message: "must be an object of parameters, not \(json.kindName)"))
            return [:]
        }
        var params: [String: WorkflowParameter] = [:]
        for (name, declaration) in members {
            let path = jsonPath("$.params", name)
            guard case .object(let fields) = declaration else {
                issues.append(WorkflowIssue(path: path, message: "must be an object such as {\"type\": \"File\"}"))
                continue
            }
            for key in fields.keys.sorted() where !paramKeys.contains(key) {
                issues.append(WorkflowIssue(path: jsonPath(path, key), message: "unknown member; a parameter has type, default, description"))
            }
            guard let typeName = fields["type"]?.stringValue else {
                issues.append(WorkflowIssue(path: path + ".type", message: "missing; give a type such as \"File\" or \"Number\""))
                continue
            }
            guard let type = ValueType(name: typeName) else {
                issues.append(WorkflowIssue(path: path + ".type", message: "unknown type '\(typeName)'; use one of "
                    + ValueType.allNames.joined(separator: ", ") + " or List<...>"))
                continue
            }
            if let value = fields["default"], WorkflowValue.literal(value, as: type, baseDirectory: URL(fileURLWithPath: "/")) == nil {
                issues.append(WorkflowIssue(path: path + ".default", message: "\(value.kindName) is not a \(type)"))
            }
            params[name] = WorkflowParameter(type: type, defaultValue: fields["default"],
                                             description: fields["description"]?.stringValue ?? "")
        }
        return params
    }

    static func readNodes(_ json: JSONValue?, issues: inout [WorkflowIssue]) -> [String: WorkflowNode] {
        guard let json else {
            issues.append(WorkflowIssue(path: "$.nodes", message: "missing; a workflow needs at least one node"))
            return [:]
        }
        guard case .object(let members) = json, !members.isEmpty else {
            issues.append(WorkflowIssue(path: "$.nodes", message: "must be a non-empty object of nodes keyed by id"))
            return [:]
        }
        var nodes: [String: WorkflowNode] = [:]
        for (id, declaration) in members {
            let path = jsonPath("$.nodes", id)
            guard case .object(let fields) = declaration else {
                issues.append(WorkflowIssue(path: path, message: "must be an object with \"type\" and \"inputs\""))
                continue
            }
            for key in fields.keys.sorted() where !nodeKeys.contains(key) {
                issues.append(WorkflowIssue(path: jsonPath(path, key), message: "unknown member; a node has type, inputs, timeout, title"))
            }
            guard let type = fields["type"]?.stringValue, !type.isEmpty else {
                issues.append(WorkflowIssue(path: path + ".type", message: "missing; name a node type such as \"speech.transcribe\""))
                continue
            }
            var timeout: Double?
            if let value = fields["timeout"] {
                if let seconds = value.numberValue, seconds > 0 {
                    timeout = seconds
                } else {
                    issues.append(WorkflowIssue(path: path + ".timeout", message: "must be a positive number of seconds"))
                }
            }
            var inputs: [String: InputBinding] = [:]
            if let given = fields["inputs"] {
                if case .object(let bindings) = given {
                    for (name, value) in bindings {
                        inputs[name] = binding(value, nodeIDs: members)
                    }
                } else {
                    issues.append(WorkflowIssue(path: path + ".inputs", message: "must be an object of inputs"))
                }
            }
            nodes[id] = WorkflowNode(type: type, inputs: inputs, timeout: timeout)
        }
        return nodes
    }

    /// A two-string array whose first element is a node id of the workflow is a link (ComfyUI's rule, with
    /// names for outputs); a one-member object `{"param": name}` refers to a workflow parameter; anything else
    /// is a literal (the validator points out two-string literals that look like links to missing nodes).
    static func binding(_ value: JSONValue, nodeIDs: [String: JSONValue]) -> InputBinding {
        if case .array(let parts) = value, parts.count == 2, let node = parts[0].stringValue,
           let output = parts[1].stringValue, nodeIDs[node] != nil
        {
            return .link(OutputLink(node: node, output: output))
        }
        if case .object(let members) = value, members.count == 1, let name = members["param"]?.stringValue {
            return .param(name)
        }
        return .literal(value)
    }

    static func readOutputs(_ json: JSONValue?, issues: inout [WorkflowIssue]) -> [String: OutputLink] {
        guard let json else { return [:] }
        guard case .object(let members) = json else {
            issues.append(WorkflowIssue(path: "$.outputs", message: "must be an object of name: [\"node_id\", \"output\"]"))
            return [:]
        }
        var outputs: [String: OutputLink] = [:]
        for (name, value) in members {
            let path = jsonPath("$.outputs", name)
            guard case .array(let parts) = value, parts.count == 2, let node = parts[0].stringValue,
                  let output = parts[1].stringValue
            else {
                issues.append(WorkflowIssue(path: path, message: "must be a link [\"node_id\", \"output_name\"]"))
                continue
            }
            if name.isEmpty || name.contains("/") || name.hasPrefix(".") {
                issues.append(WorkflowIssue(path: path, message: "an output name is a file name: no '/', not empty, not starting with '.'"))
                continue
            }
            outputs[name] = OutputLink(node: node, output: output)
        }
        return outputs
    }
}
