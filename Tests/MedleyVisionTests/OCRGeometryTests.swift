import Foundation
import MedleyCore
@testable import MedleyVision
import XCTest

/// The pieces of PP-OCR's post-processing against OpenCV and pyclipper outputs in reference.json, and the small
/// decoders (CTC, ONNX metadata, line order).
final class OCRGeometryTests: XCTestCase {
    private typealias Support = VisionTestSupport

    func testMinAreaRectEqualsOpenCVOnContours() throws {
        for (index, c) in try Support.referenceCases("minAreaRect").enumerated() {
            let width = Support.int(c["width"]), height = Support.int(c["height"])
            let packed = Support.bytes(c["mask"])
            let mask = (0..<(width * height)).map { i in (packed[i / 8] >> (7 - UInt8(i % 8))) & 1 }
            let regions = TextRegions.find(in: mask, width: width, height: height)
            let region = try XCTUnwrap(regions.max { $0.count < $1.count })
            let rect = MinAreaRect.of(region)
            let expected = (c["points"] as? [[NSNumber]] ?? []).map { SIMD2<Float>($0[0].floatValue, $0[1].floatValue) }
            let size = (c["size"] as? [NSNumber] ?? []).map(\.floatValue)
            XCTAssertEqual(rect.shortSide, size.min() ?? 0, accuracy: 1e-4, "case \(index): short side")
            XCTAssertEqual(max(rect.width, rect.height), size.max() ?? 0, accuracy: 1e-4, "case \(index): long side")
            // The same corners in any order. Upright boxes come out bit for bit (their corners are what PP-OCR
            // truncates); rotated ones can differ in the last bits where OpenCV 5 parameterises the rectangle
            // differently.
            for corner in rect.corners {
                let nearest = expected.map { ((($0 - corner) * ($0 - corner)).sum()).squareRoot() }.min() ?? .infinity
                XCTAssertLessThan(nearest, 1e-4, "case \(index): corner \(corner) of \(expected)")
            }
            if rect.angle == -90 || rect.angle == 0 {
                XCTAssertEqual(Set(rect.corners.map { [$0.x, $0.y] }), Set(expected.map { [$0.x, $0.y] }), "case \(index)")
            }
        }
    }

    func testRoundOffsetEqualsPyclipper() throws {
        for (index, c) in try Support.referenceCases("offset").enumerated() {
            let box = (c["box"] as? [[NSNumber]] ?? []).map { SIMD2<Float>($0[0].floatValue, $0[1].floatValue) }
            let grown = PolygonOffset.grow(box, by: Support.double(c["distance"]))
            let expected = (c["output"] as? [[NSNumber]] ?? []).map { SIMD2<Int32>(Int32($0[0].intValue), Int32($0[1].intValue)) }
            // Clipper's union drops collinear points, which are never hull vertices: compare the hulls.
            let hull = Set(MinAreaRect.convexHull(grown).map { [grown[$0].x, grown[$0].y] })
            let expectedHull = Set(MinAreaRect.convexHull(expected).map { [expected[$0].x, expected[$0].y] })
            XCTAssertEqual(hull, expectedHull, "case \(index)")
        }
    }

    func testCTCGreedyDecodingDropsBlanksAndRepeats() {
        let decoder = CTCDecoder(characterList: "a\nb\nc")
        XCTAssertEqual(decoder.classes, ["blank", "a", "b", "c", " "])
        // Steps: a a blank a b space (argmax per row), 5 classes each.
        let rows: [[Float]] = [[0, 0.9, 0, 0, 0.1], [0, 0.8, 0, 0, 0.2], [0.7, 0.3, 0, 0, 0], [0, 0.6, 0.4, 0, 0],
                               [0, 0, 1, 0, 0], [0, 0, 0, 0.1, 0.9]]
        let flat = rows.flatMap { $0 }
        let (text, confidence) = flat.withUnsafeBufferPointer { decoder.decode($0, steps: rows.count) }
        XCTAssertEqual(text, "aab ")
        XCTAssertEqual(confidence, (0.9 + 0.6 + 1 + 0.9) / 4, accuracy: 1e-6)
        let blank = [Float](repeating: 0, count: 5).enumerated().map { $0.offset == 0 ? Float(1) : 0 }
        let empty = blank.withUnsafeBufferPointer { decoder.decode($0, steps: 1) }
        XCTAssertEqual(empty.text, "")
        XCTAssertEqual(empty.confidence, 0)
    }

    func testONNXMetadataReaderSkipsFieldsAndReadsEntries() throws {
        // ModelProto: ir_version (1, varint 8), producer_name (2, "x"), a fixed64 field (9), then two
        // metadata_props (14) entries.
        func entry(_ key: String, _ value: String) -> [UInt8] {
            let body = [0x0A, UInt8(key.utf8.count)] + Array(key.utf8) + [0x12, UInt8(value.utf8.count)] + Array(value.utf8)
            return [0x72, UInt8(body.count)] + body
        }
        let message: [UInt8] = [0x08, 0x08, 0x12, 0x01, 0x78, 0x49, 1, 2, 3, 4, 5, 6, 7, 8]
            + entry("character", "a\nb") + entry("k", "v")
        let metadata = try message.withUnsafeBufferPointer { try ONNXMetadata.parse($0, path: "test.onnx") }
        XCTAssertEqual(metadata, ["character": "a\nb", "k": "v"])
        let truncated = Array(message.dropLast(3))
        XCTAssertThrowsError(try truncated.withUnsafeBufferPointer { try ONNXMetadata.parse($0, path: "test.onnx") })
    }

    func testRecogniserMetadataHoldsPPOCRv4CharacterTable() throws {
        let model = try VisionTestSupport.store.resolve(id: OCREngine.recognizerModelID)
        let metadata = try ONNXMetadata.read(path: try model.url(role: "weights").path)
        let decoder = CTCDecoder(characterList: try XCTUnwrap(metadata["character"]))
        // 6,623 characters plus blank and space: the model's 6,625 classes (notes/vision-models.md, 2.7).
        XCTAssertEqual(decoder.classes.count, 6625)
        XCTAssertEqual(decoder.classes.last, " ")
        XCTAssertTrue(decoder.classes.contains("A") && decoder.classes.contains("7") && decoder.classes.contains("%"))
    }

    func testLineOrderGroupsRowsLeftToRight() {
        func box(_ x: Float, _ y: Float) -> [SIMD2<Float>] { [SIMD2(x, y), SIMD2(x + 50, y), SIMD2(x + 50, y + 20), SIMD2(x, y + 20)] }
        let sorted = LineOrder.sorted([box(300, 104), box(20, 100), box(20, 150), box(300, 40)])
        XCTAssertEqual(sorted.map { $0[0] }, [SIMD2(300, 40), SIMD2(20, 100), SIMD2(300, 104), SIMD2(20, 150)])
    }
}
