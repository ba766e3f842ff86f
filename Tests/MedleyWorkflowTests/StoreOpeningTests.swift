import Foundation
@testable import MedleyWorkflow
import XCTest

/// Several processes may open a new database at the same moment (two `medley` commands started together).
final class StoreOpeningTests: XCTestCase {
    /// Stores opened together on a new file all succeed and agree on one schema. Each store has its own SQLite
    /// connections, so within one process they race exactly as two processes do.
    func testStoresOpenedTogetherOnANewDatabaseAllSucceed() throws {
        let folder = try temporaryFolder()
        for round in 0..<12 {
            let path = folder.appendingPathComponent("round\(round).sqlite").path
            let failures = OpenFailures()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    let store = try SQLiteWorkflowStore(path: path)
                    _ = try store.runs(limit: 1)
                } catch {
                    failures.add("\(error)")
                }
            }
            XCTAssertEqual(failures.messages, [], "round \(round)")
        }
    }
}

private final class OpenFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ message: String) { lock.withLock { list.append(message) } }
    var messages: [String] { lock.withLock { list } }
}
