import Foundation
import MedleyCore
@testable import MedleyWorkflow
import XCTest

/// Run records reuse an input's SHA-256 from the database only while the file is provably unchanged.
final class FileHashMemoryTests: XCTestCase {
    private func record(_ engine: WorkflowEngine, _ path: String) async throws -> RunRecord {
        let id = try await engine.recordCommand(task: "test.add", command: ["test"], inputs: ["audio": path],
                                                models: []) { (result: "done", outputs: []) }
        XCTAssertEqual(id, "done")
        let latest = try XCTUnwrap(try engine.store.runs(limit: 1).first)
        return latest
    }

    func testSettledFileHashIsRememberedAndForgottenWhenItChanges() async throws {
        let folder = try temporaryFolder()
        let engine = try makeEngine(in: folder)
        let file = folder.appendingPathComponent("input.bin")
        try Data(repeating: 1, count: 4096).write(to: file)
        // Only a file left alone for the settle time is trusted by its identity.
        try await Task.sleep(nanoseconds: UInt64((FileIdentity.settleTime + 0.2) * 1e9))
        let first = try await record(engine, file.path)
        let expected = try ValueHasher().sha256(of: FileValue(path: file.path))
        XCTAssertEqual(first.inputs.first?.sha256, expected)
        let identity = try XCTUnwrap(FileIdentity(path: file.path))
        XCTAssertEqual(try engine.store.knownFileHash(path: file.path, identity: identity), expected)
        let again = try await record(engine, file.path)
        XCTAssertEqual(again.inputs.first?.sha256, expected, "remembered hash reused")

        // Same size, new content: the identity changes (times), so the file is hashed again, and being fresh it is
        // not remembered.
        try Data(repeating: 2, count: 4096).write(to: file)
        let changed = try XCTUnwrap(FileIdentity(path: file.path))
        XCTAssertNotEqual(changed, identity)
        let second = try await record(engine, file.path)
        XCTAssertEqual(second.inputs.first?.sha256, try ValueHasher().sha256(of: FileValue(path: file.path)))
        XCTAssertNotEqual(second.inputs.first?.sha256, expected)
        XCTAssertNil(try engine.store.knownFileHash(path: file.path, identity: changed))
    }

    func testFreshFileIsHashedButNotRemembered() async throws {
        let folder = try temporaryFolder()
        let engine = try makeEngine(in: folder)
        let file = folder.appendingPathComponent("fresh.bin")
        try Data("just written".utf8).write(to: file)
        let run = try await record(engine, file.path)
        XCTAssertEqual(run.inputs.first?.sha256, try ValueHasher().sha256(of: FileValue(path: file.path)))
        let identity = try XCTUnwrap(FileIdentity(path: file.path))
        XCTAssertNil(try engine.store.knownFileHash(path: file.path, identity: identity))
        XCTAssertNil(FileIdentity(path: folder.path), "a folder has no file identity")
    }
}
