import ArgumentParser
import Foundation
import MedleyCore
import MedleyTasks
import MedleyWorkflow

/// `medley runs`: the record of every workflow run and task command.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, compare, export and re-run recorded runs.",
        subcommands: [List.self, Show.self, Diff.self, Export.self, Rerun.self],
        defaultSubcommand: List.self
    )

    static func record(_ id: String, in engine: WorkflowEngine) throws -> RunRecord {
        guard let record = try engine.store.run(id: id) else {
            throw MedleyError.invalidArgument("no run '\(id)' in \(engine.artifacts.root.deletingPathExtension().path).sqlite; `medley runs list` shows the ids")
        }
        return record
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the newest runs.")
        @Option(help: "How many runs.") var limit = 20
        @Flag(help: "Print JSON on stdout.") var json = false
        @OptionGroup var engineOptions: EngineOptions

        func run() throws {
            let runs = try engineOptions.engine().store.runs(limit: max(1, limit))
            if json { try Terminal.printJSON(runs); return }
            let formatter = ISO8601DateFormatter()
            for run in runs {
                let hits = run.nodes.reduce(0) { $0 + $1.cacheHits }, calls = run.nodes.reduce(0) { $0 + $1.invocations }
                print([run.id, formatter.string(from: run.startedAt), run.kind.rawValue, run.name, run.status.rawValue,
                       String(format: "%.2fs", run.seconds), "\(hits)/\(calls) cached"].joined(separator: "  "))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one run: nodes, timings, inputs, models, outputs.")
        @Argument(help: "The run id (or a unique prefix).") var id: String
        @Flag(help: "Print JSON on stdout.") var json = false
        @OptionGroup var engineOptions: EngineOptions

        func run() throws {
            let record = try RunsCommand.record(id, in: engineOptions.engine())
            if json { try Terminal.printJSON(record); return }
            RunReport.printSummary(record)
            if let command = record.command { print("command: " + command.joined(separator: " ")) }
            print("medley \(record.medleyVersion) on \(record.host), pid \(record.pid), started \(ISO8601DateFormatter().string(from: record.startedAt))")
            for (name, value) in record.params.sorted(by: { $0.key < $1.key }) { print("param  \(name) = \(value)") }
            for input in record.inputs { print("input  \(input.name): \(input.path)  sha256 \(input.sha256.prefix(16))…  \(input.size) B") }
            for model in record.models { print("model  \(model.id) \(model.version) (\(model.license))  sha256 \(model.sha256.prefix(16))…") }
            for output in record.outputs { print("output \(output.name): \(output.path)  sha256 \(output.sha256.prefix(16))…") }
            if let error = record.error { print("error: \(error)") }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compare two runs: workflow, parameters, inputs, models, outputs, timings.")
        @Argument(help: "The first run.") var first: String
        @Argument(help: "The second run.") var second: String
        @OptionGroup var engineOptions: EngineOptions

        func run() throws {
            let engine = try engineOptions.engine()
            let a = try RunsCommand.record(first, in: engine), b = try RunsCommand.record(second, in: engine)
            print("--- \(a.id)  \(a.name)  \(a.status.rawValue)")
            print("+++ \(b.id)  \(b.name)  \(b.status.rawValue)")
            print(a.workflow == b.workflow ? "  workflow: same" : "  workflow: different")
            func compare(_ label: String, _ left: [String: String], _ right: [String: String]) {
                for key in Set(left.keys).union(right.keys).sorted() where left[key] != right[key] {
                    print("  \(label) \(key): \(left[key] ?? "-")  ->  \(right[key] ?? "-")")
                }
            }
            compare("param", a.params, b.params)
            compare("input", Dictionary(a.inputs.map { ($0.name, $0.sha256) }) { x, _ in x },
                    Dictionary(b.inputs.map { ($0.name, $0.sha256) }) { x, _ in x })
            compare("model", Dictionary(a.models.map { ($0.id, "\($0.version) \($0.sha256.prefix(12))") }) { x, _ in x },
                    Dictionary(b.models.map { ($0.id, "\($0.version) \($0.sha256.prefix(12))") }) { x, _ in x })
            compare("output", Dictionary(a.outputs.map { ($0.name, $0.sha256) }) { x, _ in x },
                    Dictionary(b.outputs.map { ($0.name, $0.sha256) }) { x, _ in x })
            let nodesB = Dictionary(b.nodes.map { ($0.nodeID, $0) }) { x, _ in x }
            for node in a.nodes {
                guard let other = nodesB[node.nodeID] else { print("  node \(node.nodeID): only in \(a.id)"); continue }
                print(String(format: "  node %@: %@ %.2f s (%d/%d cached)  ->  %@ %.2f s (%d/%d cached)", node.nodeID,
                             node.status.rawValue, node.seconds, node.cacheHits, node.invocations, other.status.rawValue,
                             other.seconds, other.cacheHits, other.invocations))
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a run's whole record as JSON (stdout, or -o FILE).")
        @Argument(help: "The run id.") var id: String
        @Option(name: .customShort("o"), help: "Write to this file.") var output: String?
        @OptionGroup var engineOptions: EngineOptions

        func run() throws {
            let record = try RunsCommand.record(id, in: engineOptions.engine())
            guard let output else { try Terminal.printJSON(record); return }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            let data = try encoder.encode(record)
            try writeAtomically(to: output) { try data.write(to: URL(fileURLWithPath: $0)) }
        }
    }

    struct Rerun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a recorded run's workflow again with the same parameters.")
        @Argument(help: "The run id.") var id: String
        @Option(name: .customShort("o"), help: "Output folder (default: the recorded run's).") var output: String?
        @OptionGroup var engineOptions: EngineOptions

        func run() async throws {
            let engine = try engineOptions.engine()
            let record = try RunsCommand.record(id, in: engine)
            if record.kind == .command, let command = record.command, command.count > 1 {
                try rerunCommand(Array(command.dropFirst()))
                return
            }
            let document = try JSONParser.parse(record.workflow, source: "run \(record.id)")
            let workflow = try Workflow(json: document, name: record.name, baseDirectory: URL(fileURLWithPath: "/"))
            let plan = try engine.plan(workflow)
            var values: [String: WorkflowValue] = [:]
            for (name, text) in record.params {
                values[name] = try WorkflowValue(tagged: JSONParser.parse(text, source: "run \(record.id) parameter \(name)"))
            }
            let params = try plan.bind(values)
            let folder = (output.map { ($0 as NSString).expandingTildeInPath } ?? record.outputDirectory).map { URL(fileURLWithPath: $0) }
            let bar = ProgressBar()
            let options = engineOptions.executionOptions
            let result = try await runCancellable {
                try await engine.run(plan, params: params, outputDirectory: folder, options: options, kind: record.kind,
                                     command: CommandLine.arguments, progress: bar)
            }
            bar.finish()
            RunReport.printSummary(result.record)
            if let failure = result.failure { throw (failure as? MedleyError) ?? MedleyError.internal("\(failure)") }
        }

        /// A task command runs again as the same command line, with this `medley`.
        private func rerunCommand(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            if !FileManager.default.isExecutableFile(atPath: process.executableURL?.path ?? "") {
                process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            }
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
        }
    }
}
