import MedleyCore
@testable import MedleyVision
import XCTest

/// The emulated libjpeg-turbo round trip against Pillow's real one (quality 75, 4:2:0), pixel for pixel.
final class JPEGRoundTripTests: XCTestCase {
    func testRoundTripEqualsPillowAndLibjpegTurbo() throws {
        for c in try VisionTestSupport.referenceCases("jpeg") {
            let width = VisionTestSupport.int(c["width"]), height = VisionTestSupport.int(c["height"])
            let source = Image(width: width, height: height, format: .rgb8, pixels: VisionTestSupport.bytes(c["input"]))
            let decoded = JPEGRoundTrip.apply(to: source, quality: 75)
            XCTAssertEqual(decoded.pixels, VisionTestSupport.bytes(c["output"]), "\(width)x\(height)")
        }
    }

    func testQuantisationTablesScaleLikeLibjpeg() {
        XCTAssertEqual(Array(JPEGRoundTrip.quantTable(JPEGRoundTrip.luminanceTable, quality: 75).prefix(4)), [8, 6, 5, 8])
        XCTAssertEqual(JPEGRoundTrip.quantTable(JPEGRoundTrip.luminanceTable, quality: 100), [Int](repeating: 1, count: 64))
        XCTAssertEqual(JPEGRoundTrip.quantTable(JPEGRoundTrip.chrominanceTable, quality: 1).max(), 255)
        // Reciprocal quantisation agrees with rounded division.
        for quant in [1, 5, 8, 16, 99, 255] {
            let divisor = JPEGRoundTrip.Divisor(quant)
            for value in stride(from: -9000, through: 9000, by: 7) {
                let d = quant << 3
                let expected = value < 0 ? -((-value + d / 2) / d) : (value + d / 2) / d
                XCTAssertEqual(divisor.quantise(value), expected, "\(value) / \(d)")
            }
        }
    }

    func testFlatBlocksSurvive() {
        let grey = Image(width: 16, height: 16, format: .rgb8, pixels: [UInt8](repeating: 128, count: 16 * 16 * 3))
        XCTAssertEqual(JPEGRoundTrip.apply(to: grey, quality: 75), grey)
    }
}
