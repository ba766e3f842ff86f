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

    /// Tracks `samples`: the tempo is within 2 % of `bpm`, every beat falls within 70 ms of a true beat (one per
    /// period from 0), and beats cover the track but for its first and last `margin` seconds.
    @discardableResult
    private func assertTempoAndBeats(_ samples: [Float], bpm: Double, margin: Double = 1,
                                     file: StaticString = #filePath, line: UInt = #line) throws -> BeatResult {
        let tracker = try BeatTracker()
        try tracker.process(samples)
        let result = try tracker.finish()
        XCTAssertEqual(result.tempoBPM, bpm, accuracy: bpm * 0.02, "\(bpm) BPM", file: file, line: line)
        let period = 60 / bpm
        for beat in result.beats {
            let offset = beat.truncatingRemainder(dividingBy: period)
            XCTAssertLessThan(min(offset, period - offset), 0.07, "\(bpm) BPM beat \(beat)", file: file, line: line)
        }
        let seconds = Double(samples.count) / 22_050
        XCTAssertGreaterThan(result.beats.count, Int((seconds - 2 * margin) / period) - 2, "\(bpm) BPM", file: file, line: line)
        return result
    }

    func testTempoOfClickTracks60To180BPM() throws {
        for bpm in [60.0, 90.0, 120.0, 150.0, 180.0] {
            let result = try assertTempoAndBeats(clicks(bpm: bpm, seconds: 12), bpm: bpm)
            XCTAssertGreaterThanOrEqual(result.onsets.count, result.beats.count)
        }
    }

    /// A rock pattern: kick (55 Hz) on beats 1 and 3, snare (noise) on 2 and 4, closed hi-hat on the eighths, as
    /// bench/audio/peers.py makes it with ffmpeg (there the noise is ffmpeg's `random`, here a seeded generator).
    private func drums(bpm: Double, seconds: Double, rate: Int = 22_050) -> [Float] {
        let p = 60 / bpm
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func noise() -> Double {  // uniform in -1...1 from a 64-bit LCG's high bits
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
        return (0..<Int(seconds * Double(rate))).map { n in
            let t = Double(n) / Double(rate)
            let kick = 0.9 * exp(-25 * t.truncatingRemainder(dividingBy: 2 * p)) * sin(2 * Double.pi * 55 * t)
            let snare = 0.5 * exp(-30 * (t + p).truncatingRemainder(dividingBy: 2 * p)) * noise()
            let hat = 0.15 * exp(-120 * t.truncatingRemainder(dividingBy: p / 2)) * noise()
            return Float(kick + snare + hat)
        }
    }

    /// The metrical level: quiet hi-hat eighths do not double 60 and 80 BPM (librosa reads 117 and 161), and kick
    /// and snare alternating at 180 BPM are both beats (librosa reads 89, snare to snare).
    func testTempoOfDrumTracksIsTheKickAndSnareBeat() throws {
        for bpm in [60.0, 80.0, 120.0, 160.0, 180.0] {
            try assertTempoAndBeats(drums(bpm: bpm, seconds: 20), bpm: bpm)
        }
    }

    /// The accent checks on their own: beats alternating strong and weak are halved to the strong ones, and
    /// midpoints as loud as the beats double them; the limits of 50 and 190 BPM hold.
    func testMetricalLevelHalvesAlternatingAccentsAndDoublesLoudMidpoints() {
        // RMS blocks: a rise of 1.0 every 20 blocks and of 0.05 at the 10 blocks between.
        var rms = [Float](repeating: 0, count: 400)
        for frame in stride(from: 0, to: 400, by: 20) { rms[frame] = 1 }
        for frame in stride(from: 10, to: 400, by: 20) { rms[frame] = 0.05 }
        let level = MetricalLevel(rms: rms)
        let beats = Array(stride(from: 0, to: 400, by: 10))
        let halved = level.choose(beats: beats, bpm: 120)
        XCTAssertEqual(halved.bpm, 60)
        XCTAssertEqual(halved.beats, Array(stride(from: 0, to: 400, by: 20)))
        XCTAssertEqual(level.choose(beats: beats, bpm: 90).bpm, 90, "45 BPM is under the slowest level")
        // The strong beats alone: their midpoints are the weak accents, so no doubling.
        XCTAssertEqual(level.choose(beats: halved.beats, bpm: 60).bpm, 60)

        var even = [Float](repeating: 0, count: 400)
        for frame in stride(from: 0, to: 400, by: 10) { even[frame] = frame % 20 == 0 ? 0.6 : 1 }
        let doubled = MetricalLevel(rms: even).choose(beats: Array(stride(from: 0, to: 400, by: 20)), bpm: 90)
        XCTAssertEqual(doubled.bpm, 180)
        XCTAssertEqual(doubled.beats, Array(stride(from: 0, to: 390, by: 10)))
        XCTAssertEqual(MetricalLevel(rms: even).choose(beats: Array(stride(from: 0, to: 400, by: 20)), bpm: 100).bpm,
                       100, "200 BPM is over the fastest level")
        XCTAssertEqual(level.choose(beats: Array(beats.prefix(7)), bpm: 120).bpm, 120, "too few beats to judge")
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
