import Foundation
import MedleyCore
@testable import MedleyWorkflow
import XCTest

final class CacheTests: XCTestCase {
    override func setUp() { RunCounter.shared.reset() }

    private let chain = """
        {"params": {"x": {"type": "Number"}, "y": {"type": "Number", "default": 1}},
         "nodes": {"a": {"type": "test.add", "inputs": {"a": {"param": "x"}}},
                   "b": {"type": "test.add", "inputs": {"a": 100, "b": {"param": "y"}}},
                   "c": {"type": "test.add", "inputs": {"a": ["a", "sum"], "b": ["b", "sum"]}},
                   "w": {"type": "test.write", "inputs": {"text": "c is", "number": ["c", "sum"]}}},
         "outputs": {"note": ["w", "file"]}}
        """

    private func run(_ engine: WorkflowEngine, _ params: [String: String], useCache: Bool = true,
                     limit: Int64 = ExecutionOptions.defaultCacheLimit) async throws -> WorkflowRun {
        let plan = try engine.plan(try workflow(chain))
        return try await engine.run(plan, params: try plan.bind(commandLine: params, baseDirectory: URL(fileURLWithPath: "/")),
                                    options: ExecutionOptions(useCache: useCache, cacheLimitBytes: limit))
    }

    private func hits(_ run: WorkflowRun) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: run.record.nodes.map { ($0.nodeID, $0.cacheHits) })
    }

    func testUnchangedRunRecomputesNothingAndOneParameterOnlyItsDownstream() async throws {
        let engine = try makeEngine(in: try temporaryFolder())
        let first = try await run(engine, ["x": "1"])
        XCTAssertEqual(hits(first), ["a": 0, "b": 0, "c": 0, "w": 0])
        XCTAssertEqual(RunCounter.shared.value("test.add"), 3)

        let second = try await run(engine, ["x": "1"])
        XCTAssertEqual(hits(second), ["a": 1, "b": 1, "c": 1, "w": 1])
        XCTAssertEqual(RunCounter.shared.value("test.add"), 3, "nothing recomputed")
        XCTAssertEqual(second.outputs["note"]?.files.first.map { try? String(contentsOfFile: $0.path, encoding: .utf8) }, "c is 102")

        // y feeds b only: b, c and w run again, a does not.
        let third = try await run(engine, ["x": "1", "y": "5"])
        XCTAssertEqual(hits(third), ["a": 1, "b": 0, "c": 0, "w": 0])
        XCTAssertEqual(RunCounter.shared.value("test.add"), 5)

        // A node whose inputs come out the same after an upstream change is still answered by the cache.
        RunCounter.shared.reset()
        let fourth = try await run(engine, ["x": "1", "y": "5"], useCache: false)
        XCTAssertEqual(hits(fourth), ["a": 0, "b": 0, "c": 0, "w": 0], "--no-cache computes everything")
        XCTAssertEqual(RunCounter.shared.value("test.add"), 3)
    }

    func testMissingArtifactIsComputedAgain() async throws {
        let engine = try makeEngine(in: try temporaryFolder())
        let first = try await run(engine, ["x": "1"])
        let note = try XCTUnwrap(first.outputs["note"]?.files.first)
        try FileManager.default.removeItem(atPath: note.path)
        let second = try await run(engine, ["x": "1"])
        XCTAssertEqual(hits(second)["w"], 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: note.path))
    }

    func testSizeLimitEvictsLeastRecentlyUsed() async throws {
        let engine = try makeEngine(in: try temporaryFolder())
        _ = try await run(engine, ["x": "1"])
        _ = try await run(engine, ["x": "2"])
        XCTAssertEqual(try engine.store.cacheSize(), 16, "two 8-byte notes")
        // A limit of one note keeps only the newest run's file.
        let third = try await run(engine, ["x": "2"], limit: 8)
        XCTAssertEqual(hits(third)["w"], 1)
        XCTAssertEqual(try engine.store.cacheSize(), 8)
        let files = try FileManager.default.subpathsOfDirectory(atPath: engine.artifacts.root.path).filter { $0.hasSuffix(".txt") }
        XCTAssertEqual(files.count, 1, "the evicted artifact's file is deleted: \(files)")
        let again = try await run(engine, ["x": "1"])
        XCTAssertEqual(hits(again)["w"], 0, "the evicted entry is computed again")
    }

    /// A file input is keyed by its content, not its path: a copy hits, a change misses.
    func testFileInputsAreKeyedByContent() async throws {
        let folder = try temporaryFolder()
        let engine = try makeEngine(in: folder)
        let text = #"{"params": {"f": {"type": "File"}}, "nodes": {"p": {"type": "files.list", "inputs": {"folder": {"param": "f"}}}}}"#
        let plan = try engine.plan(try workflow(text))
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data("a".utf8).write(to: data.appendingPathComponent("1.txt"))
        let params = try plan.bind(commandLine: ["f": data.path], baseDirectory: folder)
        let first = try await engine.run(plan, params: params)
        XCTAssertEqual(first.nodeOutputs["p"]?["files"]?.files.map(\.name), ["1.txt"])
        let second = try await engine.run(plan, params: params)
        XCTAssertEqual(second.record.nodes.first?.cacheHits, 1)
        try Data("b".utf8).write(to: data.appendingPathComponent("2.txt"))
        let third = try await engine.run(plan, params: params)
        XCTAssertEqual(third.record.nodes.first?.cacheHits, 0, "a new file in the folder changes the key")
        XCTAssertEqual(third.nodeOutputs["p"]?["files"]?.files.map(\.name), ["1.txt", "2.txt"])
        XCTAssertEqual(third.record.inputs.first?.sha256.hasPrefix("listing:"), true)
    }
}
