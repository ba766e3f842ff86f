import Foundation
import MedleyCore
import MedleyMedia
@testable import MedleyVision
import XCTest

/// PP-OCRv4 end to end on the rendered test images: the same lines and boxes as rapidocr-onnxruntime 1.4.4
/// (recorded in rapidocr-expected.json by bench/vision_peer.py), and the character error rate against the true text.
final class OCRTests: XCTestCase {
    private typealias Support = VisionTestSupport

    /// The images of the accuracy set, with the true lines in ocr-truth.json. Debug builds run pixel loops 10-50x
    /// slower, so they take four small images unless MEDLEY_VISION_FULL=1; bench/vision.sh checks the whole set
    /// in a release build.
    static let images: [String] = {
        let all = ["text_sans", "text_serif", "text_mono_small", "text_inverted", "text_rotated", "text_noisy",
                   "screen_1280x720", "text_upside_down"]
        #if DEBUG
        if ProcessInfo.processInfo.environment["MEDLEY_VISION_FULL"] != "1" {
            return ["text_sans", "text_inverted", "text_rotated", "text_upside_down"]
        }
        #endif
        return all
    }()

    /// Each image is read once per test run.
    nonisolated(unsafe) private static var results: [String: OCRResult] = [:]
    private static let lock = NSLock()

    private func result(_ name: String) throws -> OCRResult {
        if let cached = Self.lock.withLock({ Self.results[name] }) { return cached }
        let (result, warnings) = try Support.ocrEngine().read(path: Support.fixture("\(name).png"))
        XCTAssertEqual(warnings, [])
        Self.lock.withLock { Self.results[name] = result }
        return result
    }

    private func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Support.fixture(name)))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testSameLinesAndBoxesAsRapidOCR() throws {
        let expected = try json("rapidocr-expected.json")
        for name in Self.images {
            let result = try result(name)
            let lines = try XCTUnwrap(expected[name] as? [[String: Any]], name)
            XCTAssertEqual(result.lines.map(\.text), lines.map { $0["text"] as? String ?? "" }, name)
            for (line, reference) in zip(result.lines, lines) {
                let box = (reference["box"] as? [[NSNumber]] ?? []).map { ImagePoint(x: $0[0].doubleValue, y: $0[1].doubleValue) }
                for (a, b) in zip(line.box.corners, box) {
                    XCTAssertLessThanOrEqual(max(abs(a.x - b.x), abs(a.y - b.y)), 1, "\(name): \(line.text)")
                }
                XCTAssertGreaterThanOrEqual(line.confidence, 0.5)
            }
        }
    }

    func testCharacterErrorRate() throws {
        let truth = try json("ocr-truth.json")
        var errors = 0, characters = 0, errorsWithoutSpaces = 0, charactersWithoutSpaces = 0
        var report: [String] = []
        // The upside-down page tests the direction classifier; its line order is not a reading order.
        for name in Self.images where name != "text_upside_down" {
            let lines = try XCTUnwrap(truth[name] as? [String])
            let read = try result(name).lines.map(\.text)
            let counted = Support.characterErrors(truth: lines, read: read)
            let compact = Support.characterErrors(truth: lines.map { $0.filter { !$0.isWhitespace } },
                                                  read: read.map { $0.filter { !$0.isWhitespace } })
            errors += counted.errors
            characters += counted.characters
            errorsWithoutSpaces += compact.errors
            charactersWithoutSpaces += compact.characters
            report.append("\(name) \(counted.errors)/\(counted.characters)")
        }
        let rate = Double(errors) / Double(characters)
        let rateWithoutSpaces = Double(errorsWithoutSpaces) / Double(charactersWithoutSpaces)
        print("OCR character error rate: \(rate) with spaces, \(rateWithoutSpaces) without (\(report.joined(separator: ", ")))")
        // PP-OCRv4 drops word spaces in English ("Weeklystatusreport") as RapidOCR does; the letters, digits and
        // punctuation are what the 2 % bound is about.
        XCTAssertLessThanOrEqual(rateWithoutSpaces, 0.02)
        XCTAssertLessThanOrEqual(rate, 0.04)
    }

    func testUpsideDownLinesAreTurnedBack() throws {
        let result = try result("text_upside_down")
        let text = result.lines.map(\.text).joined(separator: " ")
        XCTAssertTrue(text.contains("gets turned back"), text)
        XCTAssertTrue(text.contains("Upside down"), text)
    }

    func testImagesWithoutTextGiveNoLines() throws {
        let engine = try Support.ocrEngine()
        for name in ["coffee.jpg", "chelsea.jpg"] {
            let result = try engine.read(path: Support.fixture(name)).result
            XCTAssertEqual(result.lines, [], name)
            XCTAssertGreaterThan(result.width, 0)
        }
        let blank = Image(width: 640, height: 480, format: .rgb8, pixels: [UInt8](repeating: 255, count: 640 * 480 * 3))
        XCTAssertEqual(try engine.read(blank).lines, [])
    }

    func testJSONHasTheDocumentedShape() throws {
        let result = try result("text_sans")
        let data = try JSONEncoder().encode(result)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["width"] as? Int, 560)
        XCTAssertEqual(object["height"] as? Int, 200)
        let first = try XCTUnwrap((object["lines"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["text"] as? String, "Hello, Medley!")
        XCTAssertEqual((first["box"] as? [[Double]])?.count, 4)
        XCTAssertNotNil(first["confidence"] as? Double)
    }

    func testAnnotationDrawsBoxes() throws {
        let image = try ImageIO.read(path: Support.fixture("text_sans.png"))
        let result = try Support.ocrEngine().read(image)
        let annotated = Annotator.draw(result, on: image)
        XCTAssertEqual(annotated.width, image.width)
        let corner = result.lines[0].box.topLeft
        XCTAssertEqual(annotated.pixel(x: Int(corner.x), y: Int(corner.y) + 3), [60, 200, 75])
    }

    func testVideoFramesAreReadWithTimes() throws {
        let folder = try Support.temporaryFolder(self)
        let video = folder.appendingPathComponent("slide.mp4").path
        try run("/usr/bin/env", ["ffmpeg", "-v", "error", "-nostdin", "-loop", "1", "-i", Support.fixture("text_sans.png"),
                                 "-t", "2", "-r", "5", "-pix_fmt", "yuv420p", "-vf", "scale=560:200", video])
        let result = try Support.ocrEngine().read(videoPath: video, framesPerSecond: 1)
        XCTAssertEqual(result.frames.count, 2)
        XCTAssertEqual(result.frames.map(\.time), [0, 1])
        let hello = try XCTUnwrap(result.texts.first { $0.text == "Hello, Medley!" })
        XCTAssertEqual(hello.start, 0)
        XCTAssertEqual(hello.end, 1)
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw VisionTestSupport.Missing(description: "\(arguments) failed") }
    }
}
