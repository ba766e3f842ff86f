import ArgumentParser
import Foundation
import MedleyCore
import MedleyTasks
import MedleyWorkflow

/// `medley run`: validate and run a workflow file (or a shipped workflow by name).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow: a graph of Medley tasks, cached and recorded.",
        discussion: """
            WORKFLOW is a workflow JSON file (docs/workflow.md) or the name of a shipped one (`medley workflows list`). \
            Parameters are bound with --set NAME=VALUE; named outputs are written to -o DIR. Unchanged nodes are \
            answered from the cache; every run is recorded (`medley runs list`).
            """
    )

    @Argument(help: "A workflow file or a shipped workflow's name.")
    var workflow: String

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Bind a workflow parameter.", valueName: "name=value"))
    var assignments: [String] = []

    @Option(name: .customShort("o"), help: ArgumentHelp("Folder for the workflow's outputs.", valueName: "dir"))
    var output: String?

    @Flag(help: "Only validate the workflow and the parameters; run nothing.")
    var check = false

    @Flag(help: "Print the run record as JSON on stdout.")
    var json = false

    @OptionGroup var engineOptions: EngineOptions

    func run() async throws {
        var values: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw MedleyError.invalidArgument("--set \(assignment): write --set name=value")
            }
            values[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        let definition = try BuiltInWorkflows.load(workflow)
        let plan = try WorkflowValidator(registry: MedleyTasks.registry).plan(definition)
        let params = try plan.bind(commandLine: values,
                                   baseDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        if check {
            print("\(definition.name): valid (\(plan.order.count) nodes, outputs: \(plan.workflow.outputs.keys.sorted().joined(separator: ", ")))")
            return
        }
        let engine = try engineOptions.engine()
        let outputDirectory = output.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        let bar = ProgressBar()
        let options = engineOptions.executionOptions
        let result = try await runCancellable {
            try await engine.run(plan, params: params, outputDirectory: outputDirectory, options: options,
                                 command: CommandLine.arguments, progress: bar)
        }
        bar.finish()
        if json {
            try Terminal.printJSON(result.record)
        } else {
            RunReport.printSummary(result.record)
        }
        if let failure = result.failure {
            throw (failure as? MedleyError) ?? MedleyError.internal("\(failure)")
        }
    }
}

/// Human summaries of run records.
enum RunReport {
    static func printSummary(_ record: RunRecord) {
        print("run \(record.id)  \(record.name)  \(record.status.rawValue)  \(String(format: "%.2f s", record.seconds))")
        for node in record.nodes {
            var line = "  \(node.nodeID.padding(toLength: 14, withPad: " ", startingAt: 0)) \(node.type.padding(toLength: 20, withPad: " ", startingAt: 0)) "
                + node.status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: "%7.2f s", node.seconds)
            if node.invocations > 0 {
                line += node.cacheHits == node.invocations ? "  cached" : node.cacheHits > 0 ? "  \(node.cacheHits)/\(node.invocations) cached" : ""
            }
            if let error = node.error { line += "  " + error }
            print(line)
        }
        for output in record.outputs { print("  -> \(output.path)") }
    }
}
