import ArgumentParser
import Foundation
import MedleyCore
import MedleyTasks
import MedleyWorkflow

/// `medley workflows`: the shipped workflows and the node types workflows are made of.
struct WorkflowsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflows",
        abstract: "List and show the shipped workflows and the node types.",
        subcommands: [List.self, Show.self, Nodes.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the shipped workflows.")

        func run() throws {
            for name in BuiltInWorkflows.names {
                let description = (try? BuiltInWorkflows.load(name))?.description ?? ""
                print(name.padding(toLength: 18, withPad: " ", startingAt: 0) + description)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a workflow: parameters, nodes and outputs.")

        @Argument(help: "A shipped workflow's name or a workflow file.")
        var workflow: String

        @Flag(help: "Print the workflow's JSON.")
        var json = false

        func run() throws {
            let definition = try BuiltInWorkflows.load(workflow)
            if json {
                print(definition.document.prettyText, terminator: "")
                return
            }
            let plan = try WorkflowValidator(registry: MedleyTasks.registry).plan(definition)
            print("\(definition.name): \(definition.description)")
            print("parameters:")
            for (name, param) in definition.params.sorted(by: { $0.key < $1.key }) {
                let fallback = param.defaultValue.map { " = \($0.canonicalText)" } ?? " (required)"
                print("  \(name): \(param.type)\(fallback)  \(param.description)")
            }
            print("nodes (in order):")
            for id in plan.order {
                guard let node = plan.nodes[id] else { continue }
                let mapped = node.mappedInput.map { "  (over each of '\($0)')" } ?? ""
                print("  \(id): \(node.type.name)\(mapped)")
            }
            print("outputs:")
            for (name, link) in definition.outputs.sorted(by: { $0.key < $1.key }) {
                print("  \(name) <- \(link.node).\(link.output) (\(plan.outputTypes[name].map(String.init(describing:)) ?? "?"))")
            }
        }
    }

    struct Nodes: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the node types with their inputs and outputs.")

        @Argument(help: "Show only this node type.")
        var name: String?

        func run() throws {
            let types = MedleyTasks.registry.all.filter { name == nil || $0.name == name }
            if let name, types.isEmpty {
                let hint = MedleyTasks.registry.suggestion(for: name).map { "; did you mean '\($0)'?" } ?? ""
                throw MedleyError.invalidArgument("no node type '\(name)'\(hint)")
            }
            for type in types {
                print("\(type.name) (v\(type.version)): \(type.summary)")
                for input in type.inputs {
                    let fallback = input.defaultValue.map { " = \($0.canonicalText)" } ?? (input.optional ? " (optional)" : " (required)")
                    print("    in   \(input.name): \(input.type)\(fallback)  \(input.help)")
                }
                for output in type.outputs { print("    out  \(output.name): \(output.type)  \(output.help)") }
            }
        }
    }
}
