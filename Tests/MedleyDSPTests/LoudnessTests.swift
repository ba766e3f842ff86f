import Foundation
import MedleyAudio
import MedleyCore
@testable import MedleyDSP
import XCTest

/// Loudness against ffmpeg's `ebur128` filter (always installed with Medley's FFmpeg), and bad input.
final class LoudnessTests: XCTestCase {
    func testKWeightingMatchesStandardTableAt48kHz() {
        let k = KWeightingFilter(sampleRate: 48_000)
        XCTAssertEqual(k.shelf.b0, 1.53512486, accuracy: 1e-8)
        XCTAssertEqual(k.shelf.b1, -2.69169619, accuracy: 1e-8)
        XCTAssertEqual(k.shelf.b2, 1.19839281, accuracy: 1e-8)
        XCTAssertEqual(k.shelf.a1, -1.69065929, accuracy: 1e-8)
        XCTAssertEqual(k.shelf.a2, 0.73248077, accuracy: 1e-8)
        XCTAssertEqual(k.highPass.a1, -1.99004745, accuracy: 1e-8)
        XCTAssertEqual(k.highPass.a2, 0.99007225, accuracy: 1e-8)
    }

    /// Checks Medley against ffmpeg on one file: integrated within 0.1 LU, true peak within 0.2 dB.
    private func compare(_ path: String, file: StaticString = #filePath, line: UInt = #line) async throws -> LoudnessResult {
        let ours = try await LoudnessMeter.analyze(path: path)
        let reference = try TestMedia.ffmpegLoudness(path)
        let integrated = try XCTUnwrap(ours.integratedLUFS, "no integrated loudness for \(path)", file: file, line: line)
        XCTAssertEqual(integrated, reference.integrated, accuracy: 0.1, "integrated, \(path)", file: file, line: line)
        XCTAssertEqual(try XCTUnwrap(ours.truePeakDBTP), reference.truePeak, accuracy: 0.2, "true peak, \(path)",
                       file: file, line: line)
        // ffmpeg's LRA is only meaningful with a few short-term (3 s) windows.
        if let range = ours.loudnessRangeLU, ours.duration >= 5 {
            XCTAssertEqual(range, reference.range, accuracy: 0.1, "LRA, \(path)", file: file, line: line)
        }
        return ours
    }

    func testSineAtKnownLevel() async throws {
        // lavfi's sine has amplitude 1/8 (-18.06 dBFS); 20 dB lower it peaks at -38.06 dBFS.
        let path = try TestMedia.lavfi("sine48.wav", "sine=f=1000:r=48000:d=4", ["-af", "volume=-20dB"])
        let result = try await compare(path)
        XCTAssertEqual(try XCTUnwrap(result.samplePeakDBFS), -20 - 20 * log10(8.0), accuracy: 0.01)
        // A full-scale 1 kHz sine reads -3.01 LUFS; this one is 38.06 dB lower.
        XCTAssertEqual(try XCTUnwrap(result.integratedLUFS), -3.01 - 38.06, accuracy: 0.05)
    }

    func testPinkNoise() async throws {
        let path = try TestMedia.lavfi("pink48.wav", "anoisesrc=color=pink:r=48000:d=5:seed=7:a=0.2")
        _ = try await compare(path)
    }

    func testSpeechWithPauses() async throws {
        guard TestMedia.available("espeak-ng") else { throw XCTSkip("espeak-ng is not installed") }
        _ = try await compare(try TestMedia.speech())
    }

    func testStereoWithDifferentChannels() async throws {
        let path = try TestMedia.lavfi("stereo44.wav", "aevalsrc=0.3*sin(2*PI*440*t)|0.1*sin(2*PI*3000*t):s=44100:d=4")
        let result = try await compare(path)
        XCTAssertEqual(result.channelCount, 2)
    }

    func testSurround51WeightsLFEAndSurrounds() async throws {
        // Different tones per channel: LFE must be ignored and the back channels weighted 1.41.
        let path = try TestMedia.lavfi(
            "surround51.wav",
            "aevalsrc=0.2*sin(2*PI*300*t)|0.2*sin(2*PI*500*t)|0.2*sin(2*PI*700*t)|0.9*sin(2*PI*50*t)|0.3*sin(2*PI*1100*t)|0.3*sin(2*PI*1300*t):s=48000:d=4:c=5.1")
        let result = try await compare(path)
        XCTAssertEqual(result.channelWeights, [1, 1, 1, 0, 1.41, 1.41])
    }

    func testSampleRatesFrom8kTo192k() async throws {
        for rate in [8_000, 16_000, 32_000, 96_000, 192_000] {
            let path = try TestMedia.lavfi("noise\(rate).wav", "anoisesrc=color=pink:r=\(rate):d=1.5:seed=3:a=0.3")
            let result = try await compare(path)
            XCTAssertEqual(result.sampleRate, rate)
        }
    }

    func testClippedAudio() async throws {
        let path = try TestMedia.lavfi("clipped.wav", "sine=f=200:r=48000:d=3", ["-af", "volume=20dB,alimiter=limit=1:level=false,volume=0dB"])
        _ = try await compare(path)
    }

    func testDCOffsetIsRemovedByKWeighting() async throws {
        let tone = try TestMedia.lavfi("tone-dc0.wav", "aevalsrc=0.25*sin(2*PI*1000*t):s=48000:d=3")
        let offset = try TestMedia.lavfi("tone-dc.wav", "aevalsrc=0.25+0.25*sin(2*PI*1000*t):s=48000:d=3")
        let a = try await LoudnessMeter.analyze(path: tone), b = try await LoudnessMeter.analyze(path: offset)
        // The high pass removes the offset after a short transient.
        XCTAssertEqual(try XCTUnwrap(a.integratedLUFS), try XCTUnwrap(b.integratedLUFS), accuracy: 0.05)
        // DC alone: only the high pass's start-up transient is heard, in the first gating block (as in ffmpeg).
        let dcOnly = try TestMedia.lavfi("dc.wav", "aevalsrc=0.5:s=48000:d=3")
        let c = try await LoudnessMeter.analyze(path: dcOnly)
        XCTAssertEqual(try XCTUnwrap(c.integratedLUFS), try TestMedia.ffmpegLoudness(dcOnly).integrated, accuracy: 0.1)
    }

    func testDigitalSilenceGivesNullWithReason() async throws {
        let path = try TestMedia.lavfi("silence.wav", "anullsrc=r=48000:cl=stereo", ["-t", "2"])
        let result = try await LoudnessMeter.analyze(path: path)
        XCTAssertNil(result.integratedLUFS)
        XCTAssertEqual(result.reason, "silence")
        XCTAssertNil(result.truePeakDBTP)
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        XCTAssertTrue(json.contains("\"integrated_lufs\":null"), json)
        XCTAssertFalse(json.contains("nan") || json.contains("inf"), json)
    }

    func testShorterThan400msIsTooShortToGate() async throws {
        let path = try TestMedia.lavfi("short.wav", "sine=f=440:r=48000:d=0.3")
        let result = try await LoudnessMeter.analyze(path: path)
        XCTAssertNil(result.integratedLUFS)
        XCTAssertEqual(result.reason, "too short to gate")
        XCTAssertNotNil(result.truePeakDBTP)
    }

    func testVideoFileUsesItsAudio() async throws {
        let path = TestMedia.folder + "/video.mp4"
        if !FileManager.default.fileExists(atPath: path) {
            try TestMedia.run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=3",
                                         "-f", "lavfi", "-i", "sine=f=500:r=48000:d=3", "-pix_fmt", "yuv420p",
                                         "-c:v", "libx264", "-c:a", "aac", "-shortest", path])
        }
        _ = try await compare(path)
    }

    func testFileWithoutAudioStream() async throws {
        let path = try TestMedia.lavfi("silent-video.mp4", "testsrc2=s=64x48:r=5:d=1", ["-pix_fmt", "yuv420p"])
        do {
            _ = try await LoudnessMeter.analyze(path: path)
            XCTFail("expected an error")
        } catch let error as MedleyError {
            XCTAssertEqual(error, .noStream(path: path, kind: "audio"))
        }
    }

    func testSeriesAndStreamingChunksAgree() throws {
        // Same signal in one chunk or in odd-sized chunks gives identical results.
        let rate = 16_000
        let signal = (0..<(rate * 4)).map { i in Float(0.3 * sin(2 * Double.pi * 440 * Double(i) / Double(rate))) * (i < rate * 2 ? 1 : 0.3) }
        var whole = try LoudnessMeter(sampleRate: rate, channelCount: 1, keepSeries: true)
        whole.process(signal)
        var pieces = try LoudnessMeter(sampleRate: rate, channelCount: 1, keepSeries: true)
        var start = 0
        while start < signal.count {
            let end = min(signal.count, start + 977)
            pieces.process(Array(signal[start..<end]))
            start = end
        }
        let a = whole.finish(), b = pieces.finish()
        XCTAssertEqual(try XCTUnwrap(a.integratedLUFS), try XCTUnwrap(b.integratedLUFS), accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(a.loudnessRangeLU), try XCTUnwrap(b.loudnessRangeLU), accuracy: 1e-9)
        XCTAssertEqual(a.truePeakDBTP, b.truePeakDBTP)
        XCTAssertEqual(a.momentary?.count, 37)  // blocks ending at 0.4, 0.5, ..., 4.0 s
        XCTAssertEqual(a.shortTerm?.count, 11)
    }

    func testNormalizeReachesTargetAndRespectsTruePeak() async throws {
        let input = try TestMedia.lavfi("quiet.wav", "anoisesrc=color=pink:r=48000:d=3:seed=5:a=0.05")
        let output = TestMedia.folder + "/normalized.wav"
        let result = try await LoudnessNormalizer.normalize(input: input, output: output, targetLUFS: -16, truePeakLimit: -1)
        XCTAssertFalse(result.limitedByTruePeak)
        let check = try await LoudnessMeter.analyze(path: output)
        XCTAssertEqual(try XCTUnwrap(check.integratedLUFS), -16, accuracy: 0.1)
        // A loud target whose gain would push the peaks above the limit: the limiter turns them down.
        let loud = TestMedia.folder + "/loud.flac"
        let limited = try await LoudnessNormalizer.normalize(input: input, output: loud, targetLUFS: -10, truePeakLimit: -1)
        XCTAssertTrue(limited.limitedByTruePeak)
        XCTAssertGreaterThan(limited.limitedFrames, 0)
        let loudCheck = try await LoudnessMeter.analyze(path: loud)
        XCTAssertLessThanOrEqual(try XCTUnwrap(loudCheck.truePeakDBTP), -1 + 0.02)
        XCTAssertEqual(try XCTUnwrap(loudCheck.integratedLUFS), -10, accuracy: 0.1)
        XCTAssertEqual(loudCheck.duration, 3, accuracy: 0.001)  // the limiter's delay is flushed, nothing lost
        // Without the limiter the gain is lowered instead.
        let plain = TestMedia.folder + "/plain.flac"
        let lowered = try await LoudnessNormalizer.normalize(input: input, output: plain, targetLUFS: -10, truePeakLimit: -1,
                                                             useLimiter: false)
        XCTAssertTrue(lowered.limitedByTruePeak)
        let plainCheck = try await LoudnessMeter.analyze(path: plain)
        XCTAssertEqual(try XCTUnwrap(plainCheck.truePeakDBTP), -1, accuracy: 0.05)
        XCTAssertLessThan(try XCTUnwrap(plainCheck.integratedLUFS), -10.5)
    }

    func testLimiterKeepsTruePeakOnASineBurst() throws {
        // A tone at +6 dBFS-equivalent bursts between quiet parts: every oversampled value must end under -1 dBTP.
        let rate = 48_000
        let signal = (0..<(rate * 2)).map { n -> Float in
            let t = Double(n) / Double(rate)
            let level = (t > 0.5 && t < 1.2) ? 2.0 : 0.1
            return Float(level * sin(2 * Double.pi * 997 * t))
        }
        let limiter = TruePeakLimiter(sampleRate: rate, channelCount: 1, limitDB: -1)
        var out: [Float] = []
        var start = 0
        while start < signal.count {
            let end = min(signal.count, start + 4000)
            Array(signal[start..<end]).withUnsafeBufferPointer { limiter.process($0) { out += $0 } }
            start = end
        }
        limiter.finish { out += $0 }
        XCTAssertEqual(out.count, signal.count)
        var meter = try LoudnessMeter(sampleRate: rate, channelCount: 1)
        meter.process(out)
        XCTAssertLessThanOrEqual(try XCTUnwrap(meter.finish().truePeakDBTP), -1)
        // Output frame k is input frame k (the delay is only in time); quiet parts pass unchanged.
        XCTAssertEqual(out[1000], signal[1000], accuracy: 1e-6)
        XCTAssertEqual(out[90_000], signal[90_000], accuracy: 1e-3)  // release nearly complete
    }

    /// A 3-hour file, streamed (memory stays flat). Slow in debug builds: `MEDLEY_LONG_TESTS=1` with a
    /// release build (`swift test -c release -Xswiftc -enable-testing`); bench/audio.sh runs it too.
    func testThreeHourFileStreams() async throws {
        guard ProcessInfo.processInfo.environment["MEDLEY_LONG_TESTS"] != nil else {
            throw XCTSkip("set MEDLEY_LONG_TESTS=1 (release build) for the 3-hour streaming test")
        }
        let path = try TestMedia.lavfi("three-hours.opus", "sine=f=440:r=48000:d=10800", ["-c:a", "libopus", "-b:a", "8k", "-ac", "1"])
        let result = try await LoudnessMeter.analyze(path: path)
        XCTAssertEqual(result.duration, 10800, accuracy: 1)
        XCTAssertNotNil(result.integratedLUFS)
    }
}
