import Foundation
import MedleyAudio
import MedleyCore
@testable import MedleyDSP
import XCTest

/// Tempo and beats on generated click tracks (tempo within 2 %), beat spacing, silence and bad input.
final class RhythmTests: XCTestCase {
    private func clicks(bpm: Double, seconds: Double, rate: Int = 22_050) -> [Float] {
        let period = 60 / bpm
        return (0..<Int(seconds * Double(rate))).map { n in
            let t = Double(n) / Double(rate)
            let phase = t.truncatingRemainder(dividingBy: period)
            return Float(0.8 * exp(-60 * phase) * sin(2 * Double.pi * 1000 * t))
        }
    }

    func testTempoOfClickTracks60To180BPM() throws {
        for bpm in [60.0, 90.0, 120.0, 150.0, 180.0] {
            let tracker = try BeatTracker()
            try tracker.process(clicks(bpm: bpm, seconds: 12))
            let result = try tracker.finish()
            XCTAssertEqual(result.tempoBPM, bpm, accuracy: bpm * 0.02, "\(bpm) BPM")
            // Beats fall on the clicks (within 70 ms), one per period.
            let period = 60 / bpm
            for beat in result.beats {
                let offset = beat.truncatingRemainder(dividingBy: period)
                XCTAssertLessThan(min(offset, period - offset), 0.07, "\(bpm) BPM beat \(beat)")
            }
            XCTAssertGreaterThan(result.beats.count, Int(10 / period) - 2)
            XCTAssertGreaterThanOrEqual(result.onsets.count, result.beats.count)
        }
    }

    func testLibrosaCompatibleModeKeepsTheGrid() throws {
        let tracker = try BeatTracker(librosaCompatible: true)
        try tracker.process(clicks(bpm: 120, seconds: 12))
        let result = try tracker.finish()
        XCTAssertEqual(result.tempoBPM, 117.45383523, accuracy: 1e-6)  // librosa's value on this grid
    }

    func testQuickselectMedianMatchesSorting() {
        var seed: UInt64 = 7
        for count in [1, 2, 3, 127, 128] {
            for _ in 0..<50 {
                var values = (0..<count).map { _ -> Float in
                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                    return Float(seed >> 40 % 17) / 3  // many ties, like band differences clipped at 0
                }
                let sorted = values.sorted()
                let expected = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
                XCTAssertEqual(OnsetStrength.median(&values), expected)
            }
        }
    }

    func testSilenceHasNoBeats() async throws {
        let path = try TestMedia.lavfi("beats-silence.wav", "anullsrc=r=44100:cl=stereo", ["-t", "3"])
        let result = try await BeatTracker.analyze(path: path)
        XCTAssertEqual(result.tempoBPM, 0)
        XCTAssertTrue(result.beats.isEmpty)
        XCTAssertTrue(result.onsets.isEmpty)
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        XCTAssertTrue(json.contains("\"tempo_bpm\":0"), json)
    }

    func testNoAudioStream() async throws {
        let path = try TestMedia.lavfi("beats-video-only.mp4", "testsrc2=s=64x48:r=5:d=1", ["-pix_fmt", "yuv420p"])
        do {
            _ = try await BeatTracker.analyze(path: path)
            XCTFail("expected an error")
        } catch let error as MedleyError {
            XCTAssertEqual(error, .noStream(path: path, kind: "audio"))
        }
    }

    func testEmptyPathAndMissingFile() async throws {
        do {
            _ = try await PitchTracker.analyze(path: "/nonexistent/file.wav")
            XCTFail("expected an error")
        } catch let error as MedleyError {
            XCTAssertEqual(error, .fileNotFound(path: "/nonexistent/file.wav"))
        }
    }
}
