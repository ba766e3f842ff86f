import Foundation
import MedleyCore
import MedleyModels
import MedleyTasks
@testable import MedleyWorkflow
import XCTest

/// Small node types that exercise the engine itself: arithmetic, text files, failures, hangs. The shipped
/// node types are tested end to end on real media elsewhere.
struct AddNode: NodeType {
    let name = "test.add"
    let version = 1
    let summary = "a + b, after an optional delay"
    let inputs = [
        InputSpec("a", .number, help: "first"),
        InputSpec("b", .number, default: 0, help: "second"),
        InputSpec("delay", .number, default: 0, constraint: .range(0, 60), help: "seconds to wait first"),
    ]
    let outputs = [OutputSpec("sum", .number, help: "a + b")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let delay = try inputs.number("delay")
        if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        RunCounter.shared.count(name)
        return ["sum": .number(try inputs.number("a") + inputs.number("b"))]
    }
}

struct WriteTextNode: NodeType {
    let name = "test.write"
    let version = 1
    let summary = "writes text to a file"
    let inputs = [InputSpec("text", .text, help: "the text"), InputSpec("number", .number, default: 0, help: "appended")]
    let outputs = [OutputSpec("file", .file, help: "the file"), OutputSpec("length", .number, help: "characters")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        RunCounter.shared.count(name)
        let text = try inputs.string("text") + " " + JSONValue.format(try inputs.number("number"))
        let path = context.outputPath("note.txt")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return ["file": .file(FileValue(path: path)), "length": .number(Double(text.count))]
    }
}

struct FailNode: NodeType {
    let name = "test.fail"
    let version = 1
    let summary = "always throws"
    let inputs = [InputSpec("input", .number, default: 0, help: "ignored")]
    let outputs = [OutputSpec("out", .number, help: "never produced")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        throw MedleyError.invalidArgument("the test node failed on purpose")
    }
}

/// Ignores cancellation for up to 30 s: only the engine's timeout can get past it.
struct HangNode: NodeType {
    let name = "test.hang"
    let version = 1
    let summary = "blocks without checking for cancellation"
    let inputs: [InputSpec] = []
    let outputs = [OutputSpec("out", .number, help: "after 30 s")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let end = Date().addingTimeInterval(30)
        while Date() < end { usleep(50_000) }
        return ["out": .number(1)]
    }
}

/// Counts node executions (not cache hits) per node type, across concurrent tasks.
final class RunCounter: @unchecked Sendable {
    static let shared = RunCounter()
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func count(_ name: String) {
        lock.lock()
        counts[name, default: 0] += 1
        lock.unlock()
    }

    func value(_ name: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return counts[name] ?? 0
    }

    func reset() {
        lock.lock()
        counts = [:]
        lock.unlock()
    }
}

/// A registry of the shipped node types plus the test ones.
let testRegistry: NodeRegistry = {
    var registry = MedleyTasks.registry
    for type: any NodeType in [AddNode(), WriteTextNode(), FailNode(), HangNode()] { registry.register(type) }
    return registry
}()

extension XCTestCase {
    /// A fresh temporary folder, removed when the test ends.
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medley-workflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// An engine over a new database in `folder`.
    func makeEngine(in folder: URL) throws -> WorkflowEngine {
        try WorkflowEngine.open(registry: testRegistry, databasePath: folder.appendingPathComponent("medley.sqlite").path,
                                models: ModelStore(root: ModelStore.defaultRoot()))
    }

    /// A workflow from JSON text.
    func workflow(_ text: String, name: String = "test") throws -> Workflow {
        try Workflow(json: JSONParser.parse(text, source: name), name: name,
                     baseDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// The validation issues of a workflow (empty when valid).
    func issues(_ text: String) throws -> [WorkflowIssue] {
        WorkflowValidator(registry: testRegistry).check(try workflow(text)).1
    }
}
