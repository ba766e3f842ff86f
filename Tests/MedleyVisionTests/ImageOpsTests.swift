import MedleyCore
@testable import MedleyVision
import XCTest

/// Image operations against OpenCV and Pillow outputs recorded in reference.json (see make-reference.py).
final class ImageOpsTests: XCTestCase {
    private typealias Support = VisionTestSupport

    private func image(_ bytes: [UInt8], _ width: Int, _ height: Int, channels: Int) -> Image {
        Image(width: width, height: height, format: channels == 1 ? .gray8 : (channels == 4 ? .rgba8 : .rgb8), pixels: bytes)
    }

    func testBilinearResizeEqualsOpenCV() throws {
        for c in try Support.referenceCases("bilinear") {
            let channels = Support.int(c["channels"])
            let source = image(Support.bytes(c["input"]), Support.int(c["width"]), Support.int(c["height"]),
                               channels: channels)
            let resized = try source.resized(width: Support.int(c["outWidth"]), height: Support.int(c["outHeight"]))
            XCTAssertEqual(resized.pixels, Support.bytes(c["output"]),
                           "\(source.width)x\(source.height)x\(channels) -> \(resized.width)x\(resized.height)")
        }
    }

    func testPerspectiveCropEqualsOpenCVBicubicReplicate() throws {
        for c in try Support.referenceCases("perspective") {
            let source = image(Support.bytes(c["input"]), Support.int(c["width"]), Support.int(c["height"]), channels: 3)
            let quad = (c["quad"] as? [[NSNumber]] ?? []).map { SIMD2<Float>($0[0].floatValue, $0[1].floatValue) }
            let crop = try XCTUnwrap(source.perspectiveCrop(quad))
            XCTAssertEqual(crop.width, Support.int(c["outWidth"]))
            XCTAssertEqual(crop.height, Support.int(c["outHeight"]))
            XCTAssertEqual(crop.pixels, Support.bytes(c["output"]))
        }
    }

    func testAntialiasedBilinearEqualsPillow() throws {
        for c in try Support.referenceCases("pillowBilinear") {
            let source = image(Support.bytes(c["input"]), Support.int(c["width"]), Support.int(c["height"]), channels: 3)
            let resized = try source.resized(width: Support.int(c["outWidth"]), height: Support.int(c["outHeight"]),
                                             method: .antialiasedBilinear)
            XCTAssertEqual(resized.pixels, Support.bytes(c["output"]), "\(source.width)x\(source.height)")
        }
    }

    func testAreaResizeAveragesBlocks() throws {
        let source = Image(width: 4, height: 2, format: .gray8, pixels: [0, 10, 20, 30, 40, 50, 60, 70])
        let resized = try source.resized(width: 2, height: 1, method: .area)
        XCTAssertEqual(resized.pixels, [25, 45])
        // Enlarging falls back to bilinear.
        XCTAssertEqual(try source.resized(width: 8, height: 4, method: .area),
                       try source.resized(width: 8, height: 4, method: .bilinear))
    }

    func testQuarterTurnsAndArbitraryRotation() {
        // 3x2 RGB with distinct pixels.
        let source = Image(width: 3, height: 2, format: .gray8, pixels: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(source.rotated(.clockwise).pixels, [4, 1, 5, 2, 6, 3])
        XCTAssertEqual(source.rotated(.halfTurn).pixels, [6, 5, 4, 3, 2, 1])
        XCTAssertEqual(source.rotated(.counterClockwise).pixels, [3, 6, 2, 5, 1, 4])
        XCTAssertEqual(source.rotated(.clockwise).rotated(.counterClockwise), source)
        XCTAssertEqual(source.rotated(degrees: 90), source.rotated(.clockwise))
        let square = Image(width: 100, height: 50, format: .rgb8)
        let turned = square.rotated(degrees: 30, fill: 255)
        XCTAssertEqual(turned.width, Int((100 * cos(Double.pi / 6) + 50 * sin(Double.pi / 6)).rounded(.up)))
        XCTAssertEqual(turned.pixel(x: 0, y: 0), [255, 255, 255], "corners are filled")
        XCTAssertEqual(turned.pixel(x: turned.width / 2, y: turned.height / 2), [0, 0, 0], "the centre is the image")
    }

    func testCropPadAndConversion() throws {
        let source = Image(width: 4, height: 3, format: .gray8, pixels: Array(0..<12).map(UInt8.init))
        let crop = try source.cropped(x: 1, y: 1, width: 2, height: 5)
        XCTAssertEqual(crop.width, 2)
        XCTAssertEqual(crop.height, 2)
        XCTAssertEqual(crop.pixels, [5, 6, 9, 10])
        XCTAssertThrowsError(try source.cropped(x: 10, y: 0, width: 2, height: 2))
        let padded = crop.padded(top: 1, left: 1, value: 9)
        XCTAssertEqual(padded.width, 3)
        XCTAssertEqual(padded.pixels, [9, 9, 9, 9, 5, 6, 9, 9, 10])
        let rgb = crop.converted(to: .rgb8)
        XCTAssertEqual(rgb.pixel(x: 1, y: 1), [10, 10, 10])
        XCTAssertEqual(Image(width: 1, height: 1, format: .rgb8, pixels: [255, 0, 0]).converted(to: .gray8).pixels, [76])
    }

    func testLetterboxMapsCornersBackToTheSource() throws {
        let source = Image(width: 200, height: 100, format: .rgb8, pixels: [UInt8](repeating: 200, count: 200 * 100 * 3))
        let box = try source.letterboxed(width: 128, height: 128, alignment: .corners)
        XCTAssertEqual(box.sourcePerOutput, 200.0 / 128, accuracy: 1e-12)
        XCTAssertEqual(box.origin.y, -50, accuracy: 1e-12)
        XCTAssertEqual(box.sourcePoint(ImagePoint(x: 128, y: 128)).x, 200, accuracy: 1e-9)
        XCTAssertEqual(box.image.pixel(x: 64, y: 5), [0, 0, 0], "bars above")
        XCTAssertEqual(box.image.pixel(x: 64, y: 64), [200, 200, 200])
    }

    func testTensorLayoutsAndNormalisation() {
        let source = Image(width: 2, height: 1, format: .rgb8, pixels: [0, 127, 255, 10, 20, 30])
        let nchw = source.tensor(layout: .nchw, channelOrder: .bgr, normalization: .symmetricUnit)
        XCTAssertEqual(nchw.shape, [1, 3, 1, 2])
        let values = nchw.floats()
        XCTAssertEqual(values[0], 1, accuracy: 1e-6)  // B of pixel 0 = 255
        XCTAssertEqual(values[4], -1, accuracy: 1e-6)  // R of pixel 0 = 0
        let nhwc = source.tensor(layout: .nhwc, channelOrder: .rgb)
        XCTAssertEqual(nhwc.shape, [1, 1, 2, 3])
        XCTAssertEqual(nhwc.floats(), [0, 127, 255, 10, 20, 30])
    }

    func testDrawingMarksPixelsInsideTheImageOnly() {
        var canvas = Image(width: 40, height: 20, format: .rgb8)
        canvas.drawRectangle(ImageRect(x: 2, y: 2, width: 10, height: 10), color: .white, thickness: 1)
        XCTAssertEqual(canvas.pixel(x: 2, y: 7), [255, 255, 255])
        XCTAssertEqual(canvas.pixel(x: 7, y: 7), [0, 0, 0])
        canvas.drawLine(from: ImagePoint(x: -1e12, y: 5), to: ImagePoint(x: 1e12, y: 5), color: .red, thickness: 3)
        canvas.drawText("Hi!", at: ImagePoint(x: 20, y: 5), color: .green, background: .black)
        XCTAssertTrue((20..<38).contains { x in (5..<15).contains { y in canvas.pixel(x: x, y: y) == [60, 200, 75] } })
        canvas.fillCircle(center: ImagePoint(x: 5, y: 15), radius: 2, color: .blue)
        XCTAssertEqual(canvas.pixel(x: 5, y: 15), [0, 130, 200])
    }

    func testHomographyRoundTrip() throws {
        let from = [ImagePoint(x: 0, y: 0), ImagePoint(x: 10, y: 0), ImagePoint(x: 10, y: 5), ImagePoint(x: 0, y: 5)]
        let to = [ImagePoint(x: 3, y: 2), ImagePoint(x: 20, y: 4), ImagePoint(x: 19, y: 15), ImagePoint(x: 1, y: 12)]
        let map = try XCTUnwrap(Homography(from: from, to: to))
        for (a, b) in zip(from, to) {
            XCTAssertEqual(map.apply(a).x, b.x, accuracy: 1e-9)
            XCTAssertEqual(map.apply(a).y, b.y, accuracy: 1e-9)
        }
        let inverse = try XCTUnwrap(map.inverted())
        XCTAssertEqual(inverse.apply(to[2]).x, 10, accuracy: 1e-9)
        XCTAssertNil(Homography(from: [ImagePoint](repeating: ImagePoint(x: 1, y: 1), count: 4), to: to))
    }
}
