import Foundation
import MedleyCore
import MedleyMedia
@testable import MedleyVision
import XCTest

/// Inputs that are not images, or unusual ones: errors with a message, or results, never a crash.
final class BadInputTests: XCTestCase {
    private typealias Support = VisionTestSupport

    func testAFileThatIsNotAnImageIsAnError() throws {
        let folder = try Support.temporaryFolder(self)
        let path = folder.appendingPathComponent("notes.png").path
        try Data("this is plain text, not a picture\n".utf8).write(to: URL(fileURLWithPath: path))
        for run in [{ _ = try Support.ocrEngine().read(path: path) }, { _ = try Support.faceDetector().detect(path: path) },
                    { _ = try Support.safetyClassifier().classify(path: path) }] {
            XCTAssertThrowsError(try run()) { error in
                guard let error = error as? MedleyError, case .unreadableMedia = error else {
                    return XCTFail("expected unreadableMedia, got \(error)")
                }
                XCTAssertTrue(error.message.contains(path))
            }
        }
        XCTAssertThrowsError(try Support.ocrEngine().read(path: folder.appendingPathComponent("missing.png").path))
        XCTAssertThrowsError(try ImageLoader.load(path: folder.path))
    }

    func testOnePixelImage() throws {
        let folder = try Support.temporaryFolder(self)
        let path = folder.appendingPathComponent("dot.png").path
        try ImageIO.write(Image(width: 1, height: 1, format: .rgb8, pixels: [0, 0, 0]), path: path)
        XCTAssertEqual(try Support.ocrEngine().read(path: path).result, OCRResult(lines: [], width: 1, height: 1))
        XCTAssertEqual(try Support.faceDetector().detect(path: path).result.faces, [])
        let score = try Support.safetyClassifier().classify(path: path).result.score
        XCTAssertTrue((0...1).contains(score))
        // Empty pictures in memory give empty results, not a crash.
        XCTAssertEqual(try Support.ocrEngine().read(Image(width: 0, height: 0, format: .rgb8)).lines, [])
    }

    func testHugeImageIsAnErrorThatSaysWhatToDo() throws {
        // 20000x20000 (400 MP): FFmpeg's decoders refuse pictures over about 268 MP.
        XCTAssertThrowsError(try ImageLoader.load(path: Support.fixture("huge_20000x20000.png"))) { error in
            XCTAssertTrue((error as? MedleyError)?.message.contains("huge_20000x20000.png") ?? false, "\(error)")
        }
    }

    func testLargeImagesAreShrunkWithAWarning() throws {
        let folder = try Support.temporaryFolder(self)
        let path = folder.appendingPathComponent("wide.png").path
        try ImageIO.write(Image(width: 3000, height: 2000, format: .gray8, pixels: [UInt8](repeating: 200, count: 6_000_000)),
                          path: path)
        let loaded = try ImageLoader.load(path: path, maxPixels: 1_500_000)
        XCTAssertEqual(loaded.originalWidth, 3000)
        XCTAssertLessThanOrEqual(loaded.image.width * loaded.image.height, 1_500_000)
        XCTAssertEqual(loaded.warnings.count, 1)
        XCTAssertTrue(loaded.warnings[0].contains("3000x2000"), loaded.warnings[0])
        XCTAssertEqual(loaded.scaleX, 3000 / Double(loaded.image.width), accuracy: 1e-9)
    }

    func testGreySixteenBitAlphaAndCMYKImagesAreRead() throws {
        let engine = try Support.ocrEngine()
        let folder = try Support.temporaryFolder(self)
        // Grey: the sans test image as gray8.
        let grey = try ImageIO.read(path: Support.fixture("text_sans.png")).converted(to: .gray8)
        let greyPath = folder.appendingPathComponent("grey.png").path
        try ImageIO.write(grey, path: greyPath)
        XCTAssertEqual(try engine.read(path: greyPath).result.lines.first?.text, "Hello, Medley!")
        let cases: [(String, String)] = [("gray16.png", "Deep"), ("alpha.png", "Transparent"), ("cmyk.jpg", "CMYK print")]
        for (name, expected) in cases {
            let text = try engine.read(path: Support.fixture(name)).result.lines.map(\.text).joined(separator: " ")
            XCTAssertTrue(text.contains(expected), "\(name): \(text)")
        }
        XCTAssertEqual(try Support.faceDetector().detect(path: Support.fixture("alpha.png")).result.faces, [])
    }

    func testEXIFOrientationIsRespected() throws {
        let (result, _) = try Support.ocrEngine().read(path: Support.fixture("exif_rotated.jpg"))
        // Stored 80x300 (turned counter-clockwise), displayed 300x80.
        XCTAssertEqual(result.width, 300)
        XCTAssertEqual(result.height, 80)
        XCTAssertEqual(result.lines.first?.text.hasPrefix("Turn"), true, "\(result.lines.map(\.text))")
    }

    func testInvalidSettingsAreRefused() throws {
        XCTAssertThrowsError(try FaceDetector(store: Support.store, settings: FaceDetectionSettings(tileSize: 16)))
        XCTAssertThrowsError(try ImageLoader.sampleFrames(path: Support.fixture("astronaut.png"), framesPerSecond: 0,
                                                          stage: "test") { _ in })
        XCTAssertThrowsError(try Image(width: 2, height: 2, format: .rgb8).resized(width: 0, height: 5))
    }
}
