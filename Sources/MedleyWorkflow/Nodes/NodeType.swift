import Foundation
import MedleyCore
import MedleyModels

/// A kind of node: one Medley task (`speech.transcribe`, `vision.ocr`) with typed inputs and outputs.
///
/// A node type holds no task logic of its own: ``run(_:context:)`` reads its inputs, calls the library API
/// of the task (the same call the CLI makes) and returns its outputs. Node types are values shared by every
/// run; ``run(_:context:)`` may be called concurrently.
public protocol NodeType: Sendable {
    /// The stable name workflows use, `area.task` ("speech.transcribe").
    var name: String { get }
    /// Bumped whenever the node's outputs for the same inputs change; part of every cache key.
    var version: Int { get }
    /// One line on what the node does, for `medley workflows nodes` and docs.
    var summary: String { get }
    /// The inputs, literal parameters included: each may be given a literal, a link or a workflow parameter.
    var inputs: [InputSpec] { get }
    /// The outputs, by name.
    var outputs: [OutputSpec] { get }
    /// The ids of the models the node loads for these inputs, so their checksums join the cache key and the
    /// run record. Nodes without models return an empty list.
    func models(for inputs: NodeInputs) -> [String]
    /// Does the work. Long work reports to `context.progress` and checks `Task.checkCancellation()`.
    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue]
}

extension NodeType {
    public func models(for inputs: NodeInputs) -> [String] { [] }

    /// The input named `name`, or nil.
    public func input(named name: String) -> InputSpec? { inputs.first { $0.name == name } }

    /// The output named `name`, or nil.
    public func output(named name: String) -> OutputSpec? { outputs.first { $0.name == name } }
}

/// One input of a node type.
public struct InputSpec: Sendable {
    /// What values the input takes beyond its type.
    public enum Constraint: Sendable {
        case none
        /// A number within a closed range.
        case range(Double, Double)
        /// A string from a fixed set.
        case oneOf([String])
    }

    public var name: String
    public var type: ValueType
    /// The value used when the input is not given; nil means the input is required (unless ``optional``).
    public var defaultValue: JSONValue?
    /// True when the input may be left out without a default (the node then does without it).
    public var optional: Bool
    public var constraint: Constraint
    public var help: String

    /// An input; give `defaultValue` or `optional: true` to make it not required.
    public init(_ name: String, _ type: ValueType, default defaultValue: JSONValue? = nil, optional: Bool = false,
                constraint: Constraint = .none, help: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.optional = optional
        self.constraint = constraint
        self.help = help
    }

    /// True when a workflow must give the input.
    public var isRequired: Bool { defaultValue == nil && !optional }

    /// Why `value` breaks the constraint, or nil when it keeps it.
    public func violation(of value: WorkflowValue) -> String? {
        switch (constraint, value) {
        case (.range(let low, let high), .number(let number)) where !(low...high).contains(number):
            return "must be between \(JSONValue.format(low)) and \(JSONValue.format(high)), not \(JSONValue.format(number))"
        case (.oneOf(let choices), .text(let text)) where !choices.contains(text):
            return "must be one of \(choices.joined(separator: ", ")), not '\(text)'"
        default:
            return nil
        }
    }
}

/// One output of a node type.
public struct OutputSpec: Sendable {
    public var name: String
    public var type: ValueType
    public var help: String

    public init(_ name: String, _ type: ValueType, help: String) {
        self.name = name
        self.type = type
        self.help = help
    }
}

/// A node's resolved input values, with typed accessors whose errors name the node and the input.
public struct NodeInputs: Sendable {
    /// The node id in the workflow, for messages.
    public let nodeID: String
    /// Values by input name; inputs left out without a default are absent.
    public let values: [String: WorkflowValue]

    public init(nodeID: String, values: [String: WorkflowValue]) {
        self.nodeID = nodeID
        self.values = values
    }

    private func wrongType(_ name: String, _ expected: String) -> MedleyError {
        MedleyError.invalidArgument("node '\(nodeID)': input '\(name)' must be \(expected)")
    }

    /// A file input's path.
    public func path(_ name: String) throws -> String {
        guard case .file(let file)? = values[name] else { throw wrongType(name, "a file") }
        return file.path
    }

    /// A file input.
    public func file(_ name: String) throws -> FileValue {
        guard case .file(let file)? = values[name] else { throw wrongType(name, "a file") }
        return file
    }

    /// A number input.
    public func number(_ name: String) throws -> Double {
        guard case .number(let number)? = values[name] else { throw wrongType(name, "a number") }
        return number
    }

    /// A number input, or nil when it was left out.
    public func optionalNumber(_ name: String) throws -> Double? {
        values[name] == nil ? nil : try number(name)
    }

    /// A whole-number input.
    public func integer(_ name: String) throws -> Int {
        let value = try number(name)
        guard value == value.rounded(), abs(value) < 1e15 else { throw wrongType(name, "a whole number") }
        return Int(value)
    }

    /// A text or string input.
    public func string(_ name: String) throws -> String {
        guard case .text(let text)? = values[name] else { throw wrongType(name, "text") }
        return text
    }

    /// A text input, or nil when it was left out (or empty).
    public func optionalString(_ name: String) throws -> String? {
        guard values[name] != nil else { return nil }
        let text = try string(name)
        return text.isEmpty ? nil : text
    }

    /// A boolean input.
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let flag)? = values[name] else { throw wrongType(name, "true or false") }
        return flag
    }

    /// A structured input decoded as `type`.
    public func decode<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard case .json(let json)? = values[name] else { throw wrongType(name, "structured data") }
        do {
            return try json.decode(as: type)
        } catch {
            throw MedleyError.invalidArgument("node '\(nodeID)': input '\(name)' is not \(type) data")
        }
    }

    /// A list input's elements.
    public func list(_ name: String) throws -> [WorkflowValue] {
        guard case .list(let elements)? = values[name] else { throw wrongType(name, "a list") }
        return elements
    }
}

/// What a running node may use besides its inputs.
public struct NodeContext: Sendable {
    /// The node's id in the workflow.
    public let nodeID: String
    /// An empty folder of the node's own for the files it outputs; the engine moves them into the artifact
    /// store afterwards.
    public let workDirectory: URL
    /// Where the node's progress goes.
    public let progress: any ProgressReporter
    /// The model store, and the license policy every model load must pass.
    public let models: ModelStore
    public let policy: LicensePolicy

    public init(nodeID: String, workDirectory: URL, progress: any ProgressReporter, models: ModelStore,
                policy: LicensePolicy) {
        self.nodeID = nodeID
        self.workDirectory = workDirectory
        self.progress = progress
        self.models = models
        self.policy = policy
    }

    /// A path in the work folder for an output file called `name`.
    public func outputPath(_ name: String) -> String {
        workDirectory.appendingPathComponent(name).path
    }
}

/// Encodes a Codable result as a structured value.
extension WorkflowValue {
    public static func encoding<T: Encodable>(_ value: T) throws -> WorkflowValue {
        .json(try JSONValue(encoding: value))
    }
}
