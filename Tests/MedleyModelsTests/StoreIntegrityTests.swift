#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MedleyCore
import XCTest
@testable import MedleyModels

/// Loading refuses altered files: the quick check on resolve (size, mtime) and the full re-hash of verify.
final class StoreIntegrityTests: XCTestCase {
    private var root: URL!
    private var store: ModelStore!
    private let weights = "silero_vad_openvino_16k.onnx"

    override func setUp() async throws {
        root = try TestSupport.temporaryDirectory()
        store = ModelStore(root: root)
        try await store.install(catalogId: "silero-vad", fromWheel: try TestSupport.wheel("silero-vad==6.2.3"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private var weightsURL: URL { store.directory(for: "silero-vad").appendingPathComponent(weights) }

    /// Flips one byte in place: same size, new content, new mtime.
    private func flipOneByte() throws {
        let handle = try FileHandle(forUpdating: weightsURL)
        defer { try? handle.close() }
        try handle.seek(toOffset: 1000)
        let byte = try XCTUnwrap(try handle.read(upToCount: 1)).first ?? 0
        try handle.seek(toOffset: 1000)
        try handle.write(contentsOf: Data([byte ^ 0xff]))
    }

    private func setModificationTime(_ url: URL, nanoseconds: Int64) {
        var times = [
            timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000)),
            timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000)),
        ]
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, &times, 0), 0)
    }

    func testFreshInstallPassesBothChecks() async throws {
        XCTAssertNoThrow(try store.resolve(id: "silero-vad"))
        let report = try await store.verify(id: "silero-vad")
        XCTAssertTrue(report.passed)
        XCTAssertTrue(report.full)
        XCTAssertEqual(report.files.map(\.path), [weights, "LICENSE"])
    }

    func testChangedByteIsReportedByVerifyAndCaughtByResolve() async throws {
        try flipOneByte()
        let report = try await store.verify(id: "silero-vad")
        XCTAssertFalse(report.passed)
        XCTAssertEqual(report.failures.map(\.path), [weights])
        guard case .checksumMismatch(let expected, _)? = report.failures.first?.problem else {
            return XCTFail("expected a checksum mismatch, got \(report.failures)")
        }
        XCTAssertEqual(expected, ModelCatalog.sileroVAD.files[0].sha256)

        // The write changed the mtime, which the quick check sees without hashing.
        XCTAssertThrowsError(try store.resolve(id: "silero-vad")) { error in
            guard case MedleyError.modelCorrupt(let id, let file, let reason) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(id, "silero-vad")
            XCTAssertEqual(file, self.weights)
            XCTAssertTrue(reason.contains("modified"), reason)
        }

        // Reinstalling repairs it: the damaged copy is replaced.
        let result = try await store.install(catalogId: "silero-vad", wheelDirectory: TestSupport.wheelDirectory)
        XCTAssertEqual(result.outcome, .replaced)
        XCTAssertNoThrow(try store.resolve(id: "silero-vad"))
    }

    /// A same-size rewrite that restores the old mtime gets past the quick check (that is its documented limit);
    /// the full verify still finds it.
    func testQuickCheckLimitIsCoveredByFullVerify() async throws {
        let before = try XCTUnwrap(FileStamp.measure(weightsURL.path))
        try flipOneByte()
        setModificationTime(weightsURL, nanoseconds: before.mtimeNanoseconds)
        XCTAssertNoThrow(try store.resolve(id: "silero-vad"))
        let quick = try await store.verify(id: "silero-vad", full: false)
        XCTAssertTrue(quick.passed)
        let full = try await store.verify(id: "silero-vad")
        XCTAssertEqual(full.failures.map(\.path), [weights])
    }

    func testSizeChangeIsCaughtByResolve() throws {
        let handle = try FileHandle(forWritingTo: weightsURL)
        try handle.truncate(atOffset: 100)
        try handle.close()
        XCTAssertThrowsError(try store.resolve(id: "silero-vad")) { error in
            guard case MedleyError.modelCorrupt(_, let file, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, self.weights)
            XCTAssertTrue(reason.contains("100 bytes"), reason)
        }
    }

    func testMissingFileIsCaughtByResolve() throws {
        try FileManager.default.removeItem(at: store.directory(for: "silero-vad").appendingPathComponent("LICENSE"))
        XCTAssertThrowsError(try store.resolve(id: "silero-vad")) { error in
            XCTAssertEqual("\(error)".contains("LICENSE is missing"), true, "\(error)")
        }
    }

    /// Touching a file (same bytes, new mtime) fails the quick check; a passing full verify records the new
    /// mtime, after which the quick check passes again.
    func testPassingVerifyRefreshesTheInstallRecord() async throws {
        let before = try XCTUnwrap(FileStamp.measure(weightsURL.path))
        setModificationTime(weightsURL, nanoseconds: before.mtimeNanoseconds + 5_000_000_000)
        XCTAssertThrowsError(try store.resolve(id: "silero-vad"))
        let report = try await store.verify(id: "silero-vad")
        XCTAssertTrue(report.passed)
        XCTAssertNoThrow(try store.resolve(id: "silero-vad"))
    }

    func testNotInstalledListsTheInstalledModels() {
        XCTAssertThrowsError(try store.resolve(id: "whisper-large")) { error in
            XCTAssertEqual(error as? MedleyError, .modelNotInstalled(id: "whisper-large", installed: ["silero-vad"]))
            XCTAssertTrue("\(error)".contains("installed models: silero-vad"), "\(error)")
        }
    }

    func testEntriesReportBrokenFolders() throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("stray"), withIntermediateDirectories: true)
        try flipOneByte()
        let entries = store.entries()
        XCTAssertEqual(entries.map(\.id), ["silero-vad", "stray"])
        XCTAssertFalse(entries[0].isIntact)
        XCTAssertTrue(entries[0].problem?.contains(weights) == true)
        XCTAssertNil(entries[1].card)
        XCTAssertEqual(store.installedIDs(), ["silero-vad"])
    }

    func testDefaultRootFollowsTheEnvironment() {
        XCTAssertEqual(ModelStore.defaultRoot(environment: ["MEDLEY_MODELS": "/srv/models", "HOME": "/h"]).path, "/srv/models")
        XCTAssertEqual(ModelStore.defaultRoot(environment: ["HOME": "/h"]).path, "/h/.medley/models")
        XCTAssertEqual(ModelStore.defaultWheelCache(environment: ["HOME": "/h"]).path, "/h/.cache/medley/wheels")
        XCTAssertEqual(ModelStore.defaultWheelCache(environment: ["MEDLEY_WHEELS": "/w", "HOME": "/h"]).path, "/w")
    }
}
