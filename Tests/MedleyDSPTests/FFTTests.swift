import Foundation
import XCTest
@testable import MedleyDSP

final class FFTTests: XCTestCase {
    private func naiveDFT(_ x: [Float]) -> (re: [Double], im: [Double]) {
        let n = x.count
        var re = [Double](repeating: 0, count: n / 2 + 1), im = re
        for k in 0...(n / 2) {
            for j in 0..<n {
                let angle = -2 * Double.pi * Double((j * k) % n) / Double(n)
                re[k] += Double(x[j]) * cos(angle)
                im[k] += Double(x[j]) * sin(angle)
            }
        }
        return (re, im)
    }

    func testRealFFTMatchesDFTForManyLengths() throws {
        // Powers of two, mixed radix (3, 5, 7), odd lengths and lengths with large primes (Bluestein).
        for n in [1, 2, 3, 4, 5, 6, 8, 12, 15, 30, 64, 97, 100, 210, 400, 441, 1000, 1025, 2048, 2 * 401] {
            let x = (0..<n).map { Float(sin(Double($0) * 0.37) + 0.1 * Double($0 % 7)) }
            let fft = try RealFFT(length: n)
            let (re, im) = fft.forward(x)
            let reference = naiveDFT(x)
            let scale = reference.re.map(abs).max() ?? 1
            for k in 0..<fft.binCount {
                XCTAssertEqual(Double(re[k]), reference.re[k], accuracy: 1e-5 * max(1, scale), "n=\(n) k=\(k) re")
                XCTAssertEqual(Double(im[k]), reference.im[k], accuracy: 1e-5 * max(1, scale), "n=\(n) k=\(k) im")
            }
        }
    }

    func testOwnCodeAndFFmpegAgreeOnPowersOfTwo() throws {
        for n in [16, 256, 2048, 4096, 960, 400, 1920] {
            let x = (0..<n).map { Float(cos(Double($0) * 0.11)) + Float($0 % 5) * 0.01 }
            let a = try RealFFT(length: n, allowFFmpeg: false).forward(x), b = try RealFFT(length: n).forward(x)
            for k in 0...(n / 2) {
                XCTAssertEqual(a.real[k], b.real[k], accuracy: 1e-3, "n=\(n) k=\(k)")
                XCTAssertEqual(a.imaginary[k], b.imaginary[k], accuracy: 1e-3, "n=\(n) k=\(k)")
            }
        }
    }

    func testComplexInverseRoundTrip() throws {
        for n in [7, 16, 60, 127] {
            let fft = try ComplexFFT(length: n)
            let re0 = (0..<n).map { Float($0 % 5) - 2 }, im0 = (0..<n).map { Float($0 % 3) }
            var re = re0, im = im0
            re.withUnsafeMutableBufferPointer { r in
                im.withUnsafeMutableBufferPointer { i in
                    fft.forward(real: r.baseAddress!, imaginary: i.baseAddress!)
                    fft.inverse(real: r.baseAddress!, imaginary: i.baseAddress!)
                }
            }
            for j in 0..<n {
                XCTAssertEqual(re[j] / Float(n), re0[j], accuracy: 1e-4)
                XCTAssertEqual(im[j] / Float(n), im0[j], accuracy: 1e-4)
            }
        }
    }

    func testRejectsBadLength() {
        XCTAssertThrowsError(try RealFFT(length: 0))
    }

    /// Release-mode measurement behind bench/RESULTS.md: `MEDLEY_DSP_BENCH=1 swift test -c release
    /// -Xswiftc -enable-testing --filter FFTTests/testSpeedAgainstFFmpeg`.
    func testSpeedAgainstFFmpeg() throws {
        guard ProcessInfo.processInfo.environment["MEDLEY_DSP_BENCH"] != nil else {
            throw XCTSkip("set MEDLEY_DSP_BENCH=1 (release build) to time the FFT against FFmpeg's av_tx")
        }
        for n in [512, 1024, 2048, 4096, 400, 960, 1000, 1025] {
            let x = (0..<n).map { Float(sin(Double($0) * 0.37)) }
            let ours = try RealFFT(length: n, allowFFmpeg: false)
            var re = [Float](repeating: 0, count: n / 2 + 1), im = re
            let reps = max(200, 2_000_000 / n)
            var sink: Float = 0
            let start = Date()
            x.withUnsafeBufferPointer { xp in
                for _ in 0..<reps {
                    ours.forward(xp.baseAddress!, real: &re, imaginary: &im)
                    sink += re[1]
                }
            }
            let oursTime = Date().timeIntervalSince(start) / Double(reps) * 1e6
            var theirs = "unsupported"
            if let tx = try? FFmpegRealTransform(length: n) {
                let txReps = n.nonzeroBitCount == 1 ? reps : 20
                let t0 = Date()
                x.withUnsafeBufferPointer { xp in
                    for _ in 0..<txReps { sink += tx.forward(xp.baseAddress!)[2] }
                }
                theirs = String(format: "%.2f us", Date().timeIntervalSince(t0) / Double(txReps) * 1e6)
            }
            print(String(format: "FFT n=%5d  medley's own code %.2f us   av_tx %@", n, oursTime, theirs), sink > .infinity ? "" : "")
        }
    }
}
