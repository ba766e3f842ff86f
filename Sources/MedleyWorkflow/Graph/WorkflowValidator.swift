import Foundation
import MedleyCore

/// A node input after validation: a value known before the run, another node's output, or a parameter.
public enum PlannedInput: Sendable, Hashable {
    case value(WorkflowValue)
    case link(OutputLink)
    case param(String)
}

/// A validated node, ready to run.
public struct PlannedNode: Sendable {
    public var id: String
    public var type: any NodeType
    public var inputs: [String: PlannedInput]
    /// The input whose list value the node is run over element by element (a list given where one value is
    /// expected), or nil. The node's outputs are then lists.
    public var mappedInput: String?
    public var timeout: Double?
    /// The output types as the workflow sees them (lists when the node is mapped).
    public var outputTypes: [String: ValueType]
    /// The nodes this one reads from.
    public var dependencies: Set<String>
}

/// A workflow that passed validation: every node known, every link typed, no cycle; nodes in an order where
/// each comes after the nodes it reads from.
public struct ExecutionPlan: Sendable {
    public var workflow: Workflow
    public var nodes: [String: PlannedNode]
    public var order: [String]
    /// The type of each workflow output.
    public var outputTypes: [String: ValueType]
}

/// Checks a workflow against the node registry before anything runs, reporting every problem at once.
public struct WorkflowValidator: Sendable {
    public let registry: NodeRegistry

    public init(registry: NodeRegistry) {
        self.registry = registry
    }

    /// Validates `workflow`, or throws one error listing every issue with its JSON path.
    public func plan(_ workflow: Workflow) throws -> ExecutionPlan {
        let (plan, issues) = check(workflow)
        guard issues.isEmpty, let plan else { throw WorkflowIssue.error(issues, workflow: workflow.name) }
        return plan
    }

    /// Every issue of `workflow` (empty when it is valid), and the plan when there are none.
    public func check(_ workflow: Workflow) -> (ExecutionPlan?, [WorkflowIssue]) {
        var issues: [WorkflowIssue] = []
        var planned: [String: PlannedNode] = [:]
        var usedParams: Set<String> = []

        // Node types first, so links can be typed against their outputs.
        var types: [String: any NodeType] = [:]
        for (id, node) in workflow.nodes {
            if let type = registry.type(named: node.type) {
                types[id] = type
            } else {
                let hint = registry.suggestion(for: node.type).map { "; did you mean '\($0)'?" } ?? "; `medley workflows nodes` lists them"
                issues.append(WorkflowIssue(path: jsonPath(jsonPath("$.nodes", id), "type"),
                                            message: "unknown node type '\(node.type)'\(hint)"))
            }
        }

        // Nodes whose output types are known, resolved in dependency order so mapped nodes' list outputs are
        // seen by their readers; nodes in a cycle are reported separately below.
        let order = topologicalOrder(workflow, issues: &issues)
        var outputTypes: [String: [String: ValueType]] = [:]
        for id in order {
            guard let node = workflow.nodes[id], let type = types[id] else { continue }
            let path = jsonPath("$.nodes", id)
            var inputs: [String: PlannedInput] = [:]
            var mapped: [String] = []
            var dependencies: Set<String> = []
            for (name, binding) in node.inputs.sorted(by: { $0.key < $1.key }) {
                let inputPath = jsonPath(path + ".inputs", name)
                guard let spec = type.input(named: name) else {
                    let known = type.inputs.map(\.name)
                    let near = known.min { editDistance($0, name) < editDistance($1, name) }
                    let hint = near.map { editDistance($0, name) <= 2 ? "; did you mean '\($0)'?" : "" } ?? ""
                    issues.append(WorkflowIssue(path: inputPath, message: "'\(type.name)' has no input '\(name)'\(hint) (inputs: "
                        + known.joined(separator: ", ") + ")"))
                    continue
                }
                switch binding {
                case .link(let link):
                    dependencies.insert(link.node)
                    guard let sourceType = types[link.node] else { continue } // reported with that node
                    guard let produced = outputTypes[link.node]?[link.output] ?? sourceType.output(named: link.output)?.type else {
                        issues.append(WorkflowIssue(path: inputPath, message: "node '\(link.node)' (\(sourceType.name)) has no output '\(link.output)' (outputs: "
                            + sourceType.outputs.map(\.name).joined(separator: ", ") + ")"))
                        continue
                    }
                    if spec.type.accepts(produced) {
                        inputs[name] = .link(link)
                    } else if let element = produced.element, spec.type.accepts(element), spec.type.element == nil {
                        inputs[name] = .link(link)
                        mapped.append(name)
                    } else {
                        issues.append(WorkflowIssue(path: inputPath, message: "type mismatch: input '\(name)' takes \(spec.type), but '\(link.node)'.'\(link.output)' gives \(produced)"))
                    }
                case .param(let param):
                    usedParams.insert(param)
                    guard let declared = workflow.params[param] else {
                        issues.append(WorkflowIssue(path: inputPath, message: "parameter '\(param)' is not declared in $.params"))
                        continue
                    }
                    if spec.type.accepts(declared.type) {
                        inputs[name] = .param(param)
                    } else if let element = declared.type.element, spec.type.accepts(element), spec.type.element == nil {
                        inputs[name] = .param(param)
                        mapped.append(name)
                    } else {
                        issues.append(WorkflowIssue(path: inputPath, message: "type mismatch: input '\(name)' takes \(spec.type), but parameter '\(param)' is \(declared.type)"))
                    }
                case .literal(let json):
                    if spec.type.element == nil, case .array(let parts) = json, parts.count == 2,
                       let target = parts[0].stringValue, parts[1].stringValue != nil, !spec.type.isStructured {
                        issues.append(WorkflowIssue(path: inputPath, message: "links to node '\(target)', which is not in the workflow"))
                        continue
                    }
                    guard let value = WorkflowValue.literal(json, as: spec.type, baseDirectory: workflow.baseDirectory) else {
                        issues.append(WorkflowIssue(path: inputPath, message: "\(json.kindName) is not a valid \(spec.type)"))
                        continue
                    }
                    if let problem = spec.violation(of: value) {
                        issues.append(WorkflowIssue(path: inputPath, message: problem))
                        continue
                    }
                    inputs[name] = .value(value)
                }
            }
            for spec in type.inputs where node.inputs[spec.name] == nil {
                if let value = spec.defaultValue {
                    if let literal = WorkflowValue.literal(value, as: spec.type, baseDirectory: workflow.baseDirectory) {
                        inputs[spec.name] = .value(literal)
                    }
                } else if !spec.optional {
                    issues.append(WorkflowIssue(path: path + ".inputs", message: "missing required input '\(spec.name)' (\(spec.type)): \(spec.help)"))
                }
            }
            if mapped.count > 1 {
                issues.append(WorkflowIssue(path: path + ".inputs", message: "lists given to more than one single-value input ("
                    + mapped.joined(separator: ", ") + "); a node runs over one list at a time"))
            }
            var produced: [String: ValueType] = [:]
            for output in type.outputs { produced[output.name] = mapped.isEmpty ? output.type : .list(output.type) }
            outputTypes[id] = produced
            planned[id] = PlannedNode(id: id, type: type, inputs: inputs, mappedInput: mapped.first,
                                      timeout: node.timeout, outputTypes: produced, dependencies: dependencies)
        }

        for (name, _) in workflow.params.sorted(by: { $0.key < $1.key }) where !usedParams.contains(name) {
            issues.append(WorkflowIssue(path: jsonPath("$.params", name), message: "parameter '\(name)' is declared but no node uses it; remove it or bind it with {\"param\": \"\(name)\"}"))
        }

        var workflowOutputs: [String: ValueType] = [:]
        for (name, link) in workflow.outputs.sorted(by: { $0.key < $1.key }) {
            let path = jsonPath("$.outputs", name)
            guard workflow.nodes[link.node] != nil else {
                issues.append(WorkflowIssue(path: path, message: "links to node '\(link.node)', which is not in the workflow"))
                continue
            }
            guard let types = outputTypes[link.node] else { continue }
            guard let type = types[link.output] else {
                issues.append(WorkflowIssue(path: path, message: "node '\(link.node)' has no output '\(link.output)' (outputs: "
                    + types.keys.sorted().joined(separator: ", ") + ")"))
                continue
            }
            workflowOutputs[name] = type
        }
        for id in workflow.nodes.keys.sorted() {
            for (name, binding) in (workflow.nodes[id]?.inputs ?? [:]).sorted(by: { $0.key < $1.key }) {
                if case .link(let link) = binding, workflow.nodes[link.node] == nil {
                    issues.append(WorkflowIssue(path: jsonPath(jsonPath("$.nodes", id) + ".inputs", name),
                                                message: "links to node '\(link.node)', which is not in the workflow"))
                }
            }
        }
        issues.sort { $0.path < $1.path }
        guard issues.isEmpty else { return (nil, issues) }
        return (ExecutionPlan(workflow: workflow, nodes: planned, order: order, outputTypes: workflowOutputs), [])
    }

    /// Kahn's algorithm over the links between existing nodes; nodes left over sit on a cycle, which is reported
    /// with the nodes on it.
    private func topologicalOrder(_ workflow: Workflow, issues: inout [WorkflowIssue]) -> [String] {
        var indegree: [String: Int] = [:]
        var readers: [String: [String]] = [:]
        for (id, node) in workflow.nodes {
            let sources = Set(node.inputs.values.compactMap { binding -> String? in
                if case .link(let link) = binding, workflow.nodes[link.node] != nil { return link.node }
                return nil
            })
            indegree[id, default: 0] += sources.count
            for source in sources { readers[source, default: []].append(id) }
        }
        var ready = indegree.filter { $0.value == 0 }.map(\.key).sorted(by: >)
        var order: [String] = []
        order.reserveCapacity(workflow.nodes.count)
        while let id = ready.popLast() {
            order.append(id)
            for reader in readers[id] ?? [] {
                indegree[reader, default: 0] -= 1
                if indegree[reader] == 0 { ready.append(reader) }
            }
        }
        if order.count < workflow.nodes.count {
            let stuck = Set(workflow.nodes.keys).subtracting(order).sorted()
            issues.append(WorkflowIssue(path: "$.nodes", message: "the links form a cycle through "
                + stuck.map { "'\($0)'" }.joined(separator: ", ") + "; a workflow must be acyclic"))
        }
        return order
    }
}
