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

    func testHugeImageIsShrunkWithAWarning() throws {
        // 20000x20000 (400 MP, 1.2 GB as RGB; FFmpeg refuses it): streamed through Medley's PNG reader. Inflating
        // 50 MB of rows takes about a minute in a debug build: run with MEDLEY_VISION_FULL=1 or in release
        // (bench/vision.sh does, and measures its memory); debug runs take the same path on a smaller PNG.
        #if DEBUG
        if ProcessInfo.processInfo.environment["MEDLEY_VISION_FULL"] != "1" {
            let loaded = try ImageLoader.load(path: Support.fixture("screen_1280x720.png"), maxPixels: 100_000)
            XCTAssertEqual(loaded.originalWidth, 1280)
            XCTAssertEqual(loaded.image.width, 320)  // the smallest whole factor (4) that fits 100,000 pixels
            XCTAssertEqual(loaded.warnings.count, 1)
            XCTAssertTrue(loaded.warnings[0].contains("1280x720"), loaded.warnings[0])
            return
        }
        #endif
        let loaded = try ImageLoader.load(path: Support.fixture("huge_20000x20000.png"))
        XCTAssertEqual(loaded.originalWidth, 20000)
        XCTAssertEqual(loaded.originalHeight, 20000)
        XCTAssertLessThanOrEqual(loaded.image.width * loaded.image.height, ImageLoader.defaultMaxPixels)
        XCTAssertEqual(loaded.image.pixel(x: 10, y: 10), [255])
        XCTAssertEqual(loaded.warnings.count, 1)
        XCTAssertTrue(loaded.warnings[0].contains("20000x20000"), loaded.warnings[0])
        let result = try Support.faceDetector().detect(loaded)
        XCTAssertEqual(result.width, 20000)
        XCTAssertEqual(result.faces, [])
    }

    func testStreamedPNGReaderMatchesFFmpegOnOrdinaryFiles() throws {
        // The PNG reader on files FFmpeg also decodes: a colour image with every row filter, and 16-bit grey.
        for name in ["screen_1280x720.png", "gray16.png", "text_sans.png"] {
            let path = Support.fixture(name)
            let reference = try ImageIO.read(path: path)
            let streamed = try LargePNGReader.read(path: path, maxPixels: reference.width * reference.height)
            XCTAssertEqual(streamed.width, reference.width, name)
            let channels = reference.format.bytesPerPixel
            let differences = zip(streamed.pixels, reference.converted(to: channels == 1 ? .gray8 : .rgb8).pixels)
                .map { abs(Int($0) - Int($1)) }
            XCTAssertLessThanOrEqual(differences.max() ?? 0, 1, name)  // 16-bit: high byte against FFmpeg's rounding
            let halved = try LargePNGReader.read(path: path, maxPixels: reference.width * reference.height / 4)
            XCTAssertEqual(halved.width, (reference.width + 1) / 2, name)
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
