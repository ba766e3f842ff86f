import Foundation
import MedleyCore
import XCTest
@testable import MedleyModels

/// The card format: JSON keys, lenient decoding of user cards, validation messages.
final class ModelCardTests: XCTestCase {
    func testJSONUsesSnakeCaseKeysAndRoundTrips() throws {
        var card = ModelCatalog.sileroVAD
        card.installedAt = Date(timeIntervalSince1970: 1_800_000_000.25)
        card.medleyVersion = Medley.version
        let data = try card.jsonData()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["schema_version", "intended_use", "installed_at", "medley_version", "openness", "license", "source"] {
            XCTAssertNotNil(object[key], key)
        }
        let openness = try XCTUnwrap(object["openness"] as? [String: Any])
        XCTAssertNotNil(openness["data_information"])
        XCTAssertTrue(openness.keys.contains("model_openness_framework_class"))
        XCTAssertEqual(object["installed_at"] as? String, "2027-01-15T08:00:00.250Z")
        XCTAssertEqual(try ModelCard.decode(data, origin: "test"), card)
    }

    func testEveryCatalogCardRoundTrips() throws {
        for card in ModelCatalog.cards {
            XCTAssertEqual(try ModelCard.decode(card.jsonData(), origin: card.id), card, card.id)
        }
    }

    func testMinimalUserCardGetsDefaults() throws {
        let json = """
            {"id": "my-model", "tasks": ["vision.faces"], "version": "2",
             "files": [{"path": "m.onnx", "sha256": "\(String(repeating: "ab", count: 32))", "size": 10,
                        "role": "weights"}],
             "format": "onnx", "runtime": "openvino",
             "license": {"spdx": "LicenseRef-Custom", "category": "unknown"},
             "source": {"kind": "directory"}}
            """
        let card = try ModelCard.decode(Data(json.utf8), origin: "card.json")
        XCTAssertEqual(card.name, "my-model")
        XCTAssertEqual(card.languages, [])
        XCTAssertEqual(card.openness, .unknown)
        XCTAssertEqual(card.openness.modelOpennessFrameworkClass, "unknown")
        XCTAssertNil(card.installedAt)
    }

    func testDecodingErrorsNameTheField() throws {
        let json = #"{"id": "x", "tasks": ["a"], "version": "1", "files": [], "format": "gguf", "runtime": "openvino"}"#
        XCTAssertThrowsError(try ModelCard.decode(Data(json.utf8), origin: "card.json")) { error in
            XCTAssertTrue("\(error)".contains("card.json"), "\(error)")
            XCTAssertTrue("\(error)".contains("format"), "\(error)")
        }
    }

    func testValidationRejectsUnsafePathsAndBadChecksums() throws {
        var card = try TestSupport.userCard(id: "ok", files: ["a.bin": Data([1])])
        XCTAssertNoThrow(try card.validate())

        card.files[0].path = "../escape.bin"
        XCTAssertThrowsError(try card.validate()) { error in
            XCTAssertTrue("\(error)".contains("../escape.bin"), "\(error)")
        }
        card.files[0].path = "model.json"
        XCTAssertThrowsError(try card.validate()) { XCTAssertTrue("\($0)".contains("reserved"), "\($0)") }
        card.files[0].path = "a.bin"
        card.files[0].sha256 = "ABC"
        XCTAssertThrowsError(try card.validate()) { XCTAssertTrue("\($0)".contains("sha256"), "\($0)") }
        card.files[0].sha256 = String(repeating: "0", count: 64)
        card.id = "../x"
        XCTAssertThrowsError(try card.validate())
    }

    func testSourcePartsDefaultToBasePlusPath() {
        let source = ModelSource(
            kind: .wheel, wheel: "a==1", base: "pkg/data",
            files: [SourceFile(path: "joined.bin", from: [SourcePart(path: "x.1"), SourcePart(path: "y.2", wheel: "b==1")])])
        XCTAssertEqual(source.parts(for: "m.onnx"), [SourcePart(path: "pkg/data/m.onnx")])
        XCTAssertEqual(source.parts(for: "joined.bin").map(\.path), ["x.1", "y.2"])
        XCTAssertEqual(source.wheelRequirements, ["a==1", "b==1"])
    }
}
