import Foundation
import MedleyAudio
import MedleyCore
@testable import MedleyDSP
import XCTest

/// Pitch accuracy on generated tones and a sweep (median error ≤ 10 cents), voicing in silence, bad input.
final class PitchTests: XCTestCase {
    private func track(_ signal: [Float], method: PitchMethod, rate: Int = 22_050) throws -> PitchTrack {
        var settings = PitchSettings()
        settings.method = method
        settings.sampleRate = rate
        let tracker = try PitchTracker(settings: settings)
        try tracker.process(signal)
        return try tracker.finish()
    }

    private func cents(_ a: Double, _ b: Double) -> Double { abs(1200 * log2(a / b)) }

    private func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.isEmpty ? .nan : s[s.count / 2]
    }

    func testPureAndHarmonicTones() throws {
        let rate = 22_050.0
        for f in [110.0, 261.63, 440.0, 987.77] {
            let pure = (0..<22_050).map { Float(0.5 * sin(2 * Double.pi * f * Double($0) / rate)) }
            let harmonic = (0..<22_050).map { n -> Float in
                let t = Double(n) / rate
                return Float(0.4 * sin(2 * Double.pi * f * t) + 0.3 * sin(4 * Double.pi * f * t) + 0.2 * sin(6 * Double.pi * f * t))
            }
            for signal in [pure, harmonic] {
                for method in PitchMethod.allCases {
                    let frames = try track(signal, method: method).frames.dropFirst(3).dropLast(3)
                    let errors = frames.compactMap { $0.f0 }.map { cents($0, f) }
                    XCTAssertGreaterThan(errors.count, frames.count * 9 / 10, "\(method) \(f) Hz voiced")
                    XCTAssertLessThanOrEqual(median(errors), 10, "\(method) \(f) Hz")
                }
            }
        }
    }

    func testSweep100To1000Hz() throws {
        // Exponential sweep: f(t) = 100·10^(t/T), phase = 2π·100·T/ln10·(10^(t/T) − 1).
        let rate = 22_050.0, seconds = 3.0
        let signal = (0..<Int(rate * seconds)).map { n -> Float in
            let t = Double(n) / rate
            return Float(0.5 * sin(2 * Double.pi * 100 * seconds / log(10) * (pow(10, t / seconds) - 1)))
        }
        for method in PitchMethod.allCases {
            let frames = try track(signal, method: method).frames
            var errors: [Double] = []
            for frame in frames where frame.time > 0.1 && frame.time < seconds - 0.1 {
                guard let f0 = frame.f0 else { continue }
                errors.append(cents(f0, 100 * pow(10, frame.time / seconds)))
            }
            XCTAssertGreaterThan(errors.count, 100)
            XCTAssertLessThanOrEqual(median(errors), 10, "\(method) sweep")
        }
    }

    func testSilenceAndNoiseFloorHaveNoVoicedFrames() throws {
        let silence = [Float](repeating: 0, count: 22_050)
        XCTAssertTrue(try track(silence, method: .pyin).frames.allSatisfy { $0.f0 == nil })
        // A noise floor near -80 dBFS. On a 10 s white-noise floor at -75 dBFS librosa.pyin voices 140 of 431
        // frames (bench/audio.sh); the silence gate voices none.
        var seed: UInt64 = 42
        let floor = (0..<22_050).map { _ -> Float in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: seed >> 11) % 1000) / 1000 * 1e-4
        }
        XCTAssertTrue(try track(floor, method: .pyin).frames.allSatisfy { $0.f0 == nil })
    }

    func testBetaPrior() {
        // Beta(2, 18): CDF(x) = 1 − (1−x)^19 − 19x(1−x)^18.
        for x in [0.01, 0.05, 0.1, 0.3] {
            let exact = 1 - pow(1 - x, 19) - 19 * x * pow(1 - x, 18)
            XCTAssertEqual(PYINObservation.betaCDF(x, 2, 18), exact, accuracy: 1e-9)
        }
    }

    func testRejectsBadRange() {
        var settings = PitchSettings()
        settings.minHz = 500
        settings.maxHz = 100
        XCTAssertThrowsError(try PitchTracker(settings: settings))
    }

    func testFileAtHighRateAndShortFile() async throws {
        let path = try TestMedia.lavfi("pitch-tone96k.flac", "sine=f=330:r=96000:d=1")
        let result = try await PitchTracker.analyze(path: path)
        let voiced = result.frames.compactMap { $0.f0 }
        XCTAssertLessThanOrEqual(median(voiced.map { cents($0, 330) }), 10)
        let short = try TestMedia.lavfi("pitch-short.wav", "sine=f=330:r=16000:d=0.01")
        let tiny = try await PitchTracker.analyze(path: short)
        XCTAssertEqual(tiny.frames.count, 1)
        let csv = tiny.csv()
        XCTAssertTrue(csv.hasPrefix("time,f0,voiced_probability\n"))
    }
}
