import Foundation
import MedleyCore
import MedleyMedia
@testable import MedleyVision
import XCTest

/// BlazeFace short-range on real photographs and on pictures without faces.
final class FaceDetectionTests: XCTestCase {
    private typealias Support = VisionTestSupport

    /// Face boxes checked by eye on zoomed, gridded crops (Tests/Fixtures/vision/README.md): from the hairline
    /// (or the fringe) to the chin, cheek to cheek, ears excluded.
    static let astronautFace = ImageRect(x: 180, y: 80, width: 88, height: 98)
    static let luisPedroFace = ImageRect(x: 45, y: 75, width: 183, height: 240)

    func testAstronautFaceMatchesMediaPipeAndTheEyeBox() throws {
        let result = try Support.faceDetector().detect(path: Support.fixture("astronaut.png")).result
        XCTAssertEqual(result.faces.count, 1)
        let face = try XCTUnwrap(result.faces.first)
        XCTAssertGreaterThan(face.score, 0.8)
        XCTAssertGreaterThanOrEqual(face.box.intersectionOverUnion(Self.astronautFace), 0.7)
        // mediapipe 0.10.21 on the same file: box (177.6, 82.9)-(272.9, 178.2), score 0.9217
        // (notes/vision-models.md, section 3).
        XCTAssertEqual(face.box.x, 177.6, accuracy: 0.1)
        XCTAssertEqual(face.box.y, 82.9, accuracy: 0.1)
        XCTAssertEqual(face.box.maxX, 272.9, accuracy: 0.1)
        XCTAssertEqual(face.box.maxY, 178.2, accuracy: 0.1)
        XCTAssertEqual(face.score, 0.9217, accuracy: 0.0005)
        XCTAssertEqual(face.keypoints.count, 6)
        // The subject's right eye is on the left of the picture, and both eyes are above the nose tip.
        XCTAssertLessThan(face.keypoints[0].x, face.keypoints[1].x)
        XCTAssertLessThan(face.keypoints[0].y, face.keypoints[2].y)
    }

    func testSecondPhotographFindsTheFace() throws {
        let result = try Support.faceDetector().detect(path: Support.fixture("luispedro.jpg")).result
        let face = try XCTUnwrap(result.faces.first)
        XCTAssertEqual(result.faces.count, 1)
        XCTAssertGreaterThan(face.score, 0.8)
        // BlazeFace's boxes are square; this face is 183x240 by eye, so 0.76 would be a perfect square's best.
        XCTAssertGreaterThanOrEqual(face.box.intersectionOverUnion(Self.luisPedroFace), 0.69)
    }

    func testNoFacesInACatACupOrText() throws {
        let detector = try Support.faceDetector()
        for name in ["chelsea.jpg", "coffee.jpg", "text_sans.png", "screen_1280x720.png"] {
            XCTAssertEqual(try detector.detect(path: Support.fixture(name)).result.faces, [], name)
        }
    }

    func testTilesFindASmallFaceInALargePicture() throws {
        // The astronaut shrunk to 160 px on a 1600x1200 canvas: its face is about 30 px wide, 2.4 px in the
        // 128-pixel model input of the whole picture.
        let astronaut = try ImageIO.read(path: Support.fixture("astronaut.png")).resized(width: 160, height: 160)
        var canvas = Image(width: 1600, height: 1200, format: .rgb8,
                           pixels: [UInt8](repeating: 90, count: 1600 * 1200 * 3))
        for y in 0..<160 {
            for x in 0..<160 {
                for c in 0..<3 { canvas.pixels[((700 + y) * 1600 + 900 + x) * 3 + c] = astronaut.pixels[(y * 160 + x) * 3 + c] }
            }
        }
        let whole = try Support.faceDetector().detect(canvas)
        XCTAssertEqual(whole.faces, [], "too small for the whole-frame pass")
        let tiled = try FaceDetector(store: Support.store, settings: FaceDetectionSettings(tileSize: 256)).detect(canvas)
        let face = try XCTUnwrap(tiled.faces.first)
        let expected = ImageRect(x: 900 + 180 * 160 / 512, y: 700 + 80 * 160 / 512, width: 88 * 160 / 512,
                                 height: 98 * 160 / 512)
        XCTAssertGreaterThan(face.box.intersectionOverUnion(expected), 0.5, "\(face.box)")
    }

    func testWeightedSuppressionMergesOverlaps() {
        typealias D = BlazeFaceDecoding.Detection
        let a = D(minX: 0, minY: 0, maxX: 1, maxY: 1, keypoints: [SIMD2(0, 0)], score: 0.9)
        let b = D(minX: 0.1, minY: 0, maxX: 1.1, maxY: 1, keypoints: [SIMD2(1, 1)], score: 0.6)
        let far = D(minX: 5, minY: 5, maxX: 6, maxY: 6, keypoints: [SIMD2(5, 5)], score: 0.7)
        let merged = BlazeFaceDecoding.weightedSuppression([b, far, a], threshold: 0.3)
        XCTAssertEqual(merged.count, 2)
        XCTAssertEqual(merged[0].score, 0.9)
        XCTAssertEqual(merged[0].minX, 0.04, accuracy: 1e-6)  // (0 * 0.9 + 0.1 * 0.6) / 1.5
        XCTAssertEqual(merged[0].keypoints[0].x, 0.4, accuracy: 1e-6)
        XCTAssertEqual(merged[1].score, 0.7)
        XCTAssertEqual(BlazeFaceDecoding.anchors.count, 896)
    }

    func testVideoFramesAndAnnotation() throws {
        let folder = try Support.temporaryFolder(self)
        let video = folder.appendingPathComponent("astronaut.mp4").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-nostdin", "-loop", "1", "-i", Support.fixture("astronaut.png"),
                             "-t", "1", "-r", "10", "-pix_fmt", "yuv420p", video]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        var annotated: Image?
        let result = try Support.faceDetector().detect(videoPath: video, framesPerSecond: 2) { frame, found in
            if annotated == nil { annotated = Annotator.draw(found.faces, on: frame.image, sourceWidth: found.width,
                                                             sourceHeight: found.height) }
        }
        XCTAssertEqual(result.frames.count, 2)
        XCTAssertEqual(result.frames.map { $0.faces.count }, [1, 1])
        XCTAssertEqual(result.width, 512)
        let box = try XCTUnwrap(result.frames.first?.faces.first?.box)
        XCTAssertGreaterThan(box.intersectionOverUnion(Self.astronautFace), 0.7)
        XCTAssertEqual(annotated?.pixel(x: Int(box.x), y: Int(box.y) + 20), [230, 25, 75])
    }
}
