import Foundation
import XCTest
@testable import MedleySpeech

/// The vectorised math and row kernels against libm and plain loops (these run in debug builds too, where the
/// transformer itself uses the libm path).
final class WhisperKernelTests: XCTestCase {
    func testVectorExpMatchesLibm() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let lanes = VectorMath.Vector((0..<8).map { x + Float($0) * 0.013 })
            let result = VectorMath.exp(lanes)
            for i in 0..<8 {
                let expected = expf(lanes[i])
                worst = max(worst, abs(result[i] - expected) / expected)
            }
            x += 0.37
        }
        XCTAssertLessThan(worst, 4e-7)
        XCTAssertEqual(VectorMath.exp(VectorMath.Vector(repeating: -.infinity))[0], 0, accuracy: 1e-37)
    }

    func testVectorGELUMatchesLibm() {
        var worst: Float = 0
        var x: Float = -10
        while x < 10 {
            let lanes = VectorMath.Vector((0..<8).map { x + Float($0) * 0.011 })
            let result = VectorMath.gelu(lanes)
            for i in 0..<8 {
                let expected = 0.5 * lanes[i] * (1 + erff(lanes[i] / Float(2).squareRoot()))
                worst = max(worst, abs(result[i] - expected))
            }
            x += 0.09
        }
        XCTAssertLessThan(worst, 2e-6)
    }

    func testSoftmaxAndLogSumExp() {
        var row: [Float] = (0..<1501).map { Float(($0 * 37) % 101) / 10 - 3 }
        row[7] = -.infinity
        let logSum = row.withUnsafeBufferPointer { LogitMath.logSumExp($0.baseAddress!, count: $0.count) }
        let top = row.max()!
        let expected = top + log(row.reduce(Float(0)) { $0 + exp($1 - top) })
        XCTAssertEqual(logSum, expected, accuracy: 1e-5)
        row.withUnsafeMutableBufferPointer { TransformerKernels.softmax($0.baseAddress!, count: $0.count) }
        XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertEqual(row[7], 0, accuracy: 1e-30)   // e^-87 at most: the vector exp clamps its input
        XCTAssertEqual(LogitMath.argmax(row, count: row.count).index, row.firstIndex(of: row.max()!)!)
    }
}
