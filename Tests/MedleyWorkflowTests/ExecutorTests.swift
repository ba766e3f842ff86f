import Foundation
import MedleyCore
@testable import MedleyWorkflow
import XCTest

final class ExecutorTests: XCTestCase {
    override func setUp() { RunCounter.shared.reset() }

    private func run(_ engine: WorkflowEngine, _ text: String, params: [String: String] = [:], output: URL? = nil,
                     options: ExecutionOptions = ExecutionOptions()) async throws -> WorkflowRun {
        let plan = try engine.plan(try workflow(text))
        return try await engine.run(plan, params: try plan.bind(commandLine: params, baseDirectory: URL(fileURLWithPath: "/")),
                                    outputDirectory: output, options: options)
    }

    func testValuesFlowAndOutputsAreWritten() async throws {
        let folder = try temporaryFolder()
        let engine = try makeEngine(in: folder)
        let result = try await run(engine, """
            {"params": {"x": {"type": "Number"}},
             "nodes": {"a": {"type": "test.add", "inputs": {"a": {"param": "x"}, "b": 2}},
                       "b": {"type": "test.add", "inputs": {"a": ["a", "sum"], "b": 10}},
                       "w": {"type": "test.write", "inputs": {"text": "total", "number": ["b", "sum"]}}},
             "outputs": {"note": ["w", "file"], "sum": ["b", "sum"]}}
            """, params: ["x": "1"], output: folder.appendingPathComponent("out"))
        XCTAssertNil(result.failure)
        XCTAssertEqual(result.outputs["sum"], .number(13))
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("out/note.txt"), encoding: .utf8), "total 13")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("out/sum.json"), encoding: .utf8), "13\n")
        XCTAssertEqual(result.record.status, .succeeded)
        XCTAssertEqual(result.record.nodes.map(\.status), [.succeeded, .succeeded, .succeeded])
        XCTAssertEqual(Set(result.record.outputs.map(\.name)), ["note", "sum"])
        // The record is in the database, as written.
        let stored = try XCTUnwrap(try engine.store.run(id: result.record.id))
        XCTAssertEqual(stored.status, .succeeded)
        XCTAssertEqual(stored.nodes.count, 3)
        XCTAssertEqual(stored.params["x"], WorkflowValue.number(1).tagged.canonicalText)
        XCTAssertEqual(stored.outputs, result.record.outputs)
        XCTAssertEqual(try engine.store.run(id: String(result.record.id.prefix(17)))?.id, result.record.id)
    }

    /// Independent branches run at the same time: four 1 s nodes on four slots take about 1 s, not 4.
    func testIndependentBranchesRunInParallel() async throws {
        let engine = try makeEngine(in: try temporaryFolder())
        let text = """
            {"nodes": {"a": {"type": "test.add", "inputs": {"a": 1, "delay": 1}},
                       "b": {"type": "test.add", "inputs": {"a": 2, "delay": 1}},
                       "c": {"type": "test.add", "inputs": {"a": 3, "delay": 1}},
                       "d": {"type": "test.add", "inputs": {"a": 4, "delay": 1}},
                       "e": {"type": "test.add", "inputs": {"a": ["a", "sum"], "b": ["d", "sum"]}}},
             "outputs": {"e": ["e", "sum"]}}
            """
        let started = Date()
        let result = try await run(engine, text, options: ExecutionOptions(useCache: false, maxConcurrency: 4))
        XCTAssertEqual(result.outputs["e"], .number(5))
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5, "four 1 s branches should overlap")
        let serial = Date()
        _ = try await run(engine, text, options: ExecutionOptions(useCache: false, maxConcurrency: 1))
        XCTAssertGreaterThan(Date().timeIntervalSince(serial), 3.9, "one slot runs them one after another")
    }

    /// A failing node skips its dependents; the other branch finishes, is cached and recorded.
    func testFailureSkipsDependentsAndKeepsTheRest() async throws {
        let folder = try temporaryFolder()
        let engine = try makeEngine(in: folder)
        let text = """
            {"nodes": {"bad": {"type": "test.fail"},
                       "after": {"type": "test.add", "inputs": {"a": ["bad", "out"]}},
                       "later": {"type": "test.add", "inputs": {"a": ["after", "sum"]}},
                       "good": {"type": "test.add", "inputs": {"a": 7}}},
             "outputs": {"good": ["good", "sum"], "later": ["later", "sum"]}}
            """
        let result = try await run(engine, text, output: folder.appendingPathComponent("out"))
        XCTAssertEqual(result.record.status, .failed)
        let status = Dictionary(uniqueKeysWithValues: result.record.nodes.map { ($0.nodeID, $0.status) })
        XCTAssertEqual(status, ["bad": .failed, "after": .skipped, "later": .skipped, "good": .succeeded])
        XCTAssertEqual(result.record.error, "node 'bad': the test node failed on purpose")
        XCTAssertEqual(result.outputs["good"], .number(7))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/good.json").path))
        XCTAssertThrowsError(try result.get())
        XCTAssertEqual(try engine.store.run(id: result.record.id)?.status, .failed)
        // What finished is cached.
        _ = try await run(engine, text)
        XCTAssertEqual(RunCounter.shared.value("test.add"), 1)
    }

    /// A node that hangs without checking for cancellation is stopped by its timeout.
    func testTimeoutStopsAHangingNode() async throws {
        let engine = try makeEngine(in: try temporaryFolder())
        let started = Date()
        let result = try await run(engine, #"{"nodes": {"h": {"type": "test.hang", "timeout": 0.5}, "ok": {"type": "test.add", "inputs": {"a": 1}}}}"#)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(result.record.nodes.first { $0.nodeID == "h" }?.status, .failed)
        XCTAssertTrue(result.record.error?.contains("node 'h' timed out after 0.5 s") ?? false, result.record.error ?? "")
        XCTAssertEqual(result.record.nodes.first { $0.nodeID == "ok" }?.status, .succeeded)
    }

    func testCancellationStopsTheRunAndRecordsIt() async throws {
        let engine = try makeEngine(in: try temporaryFolder())
        let plan = try engine.plan(try workflow(#"{"nodes": {"slow": {"type": "test.add", "inputs": {"a": 1, "delay": 30}}}}"#))
        let task = Task { try await engine.run(plan, params: [:]) }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        let started = Date()
        do {
            _ = try await task.value
            XCTFail("a cancelled run should throw")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(try engine.store.runs(limit: 1).first?.status, .cancelled)
    }

    func testOutputFolderThatCannotBeWrittenFailsBeforeAnythingRuns() async throws {
        let folder = try temporaryFolder()
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let engine = try makeEngine(in: folder)
        do {
            _ = try await run(engine, #"{"nodes": {"a": {"type": "test.add", "inputs": {"a": 1}}}}"#,
                              output: blocker.appendingPathComponent("out"))
            XCTFail("expected an error")
        } catch {
            XCTAssertTrue(((error as? MedleyError)?.message ?? "").contains("cannot create the output folder"), "\(error)")
        }
        XCTAssertEqual(RunCounter.shared.value("test.add"), 0)
    }
}
