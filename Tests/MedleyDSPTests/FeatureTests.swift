import Foundation
import MedleyAudio
import MedleyCore
@testable import MedleyDSP
import XCTest

/// Features against values printed by librosa 0.11 for the same synthetic signal (generated identically in
/// Swift and numpy), plus streaming invariance and bad input. The full-file comparisons with librosa (MFCC,
/// mel, chroma, spectral: correlation 1.000) are in bench/audio.sh.
final class FeatureTests: XCTestCase {
    /// 0.5·sin(440 Hz) + 0.25·sin(1234 Hz) at 22,050 Hz for 1 s, with a 2000-sample fade-in, as float32.
    static let signal: [Float] = {
        let rate = 22_050.0
        var y = (0..<22_050).map { n in
            Float(0.5 * sin(2 * Double.pi * 440 * Double(n) / rate)) + Float(0.25 * sin(2 * Double.pi * 1234 * Double(n) / rate))
        }
        for i in 0..<2000 { y[i] *= Float(Double(i) / 1999) }
        return y
    }()

    private func extract(_ set: FeatureSet, chunk: Int = 22_050) throws -> FeatureTable {
        let extractor = try FeatureExtractor(set: set)
        var start = 0
        while start < Self.signal.count {
            let end = min(Self.signal.count, start + chunk)
            try extractor.process(Array(Self.signal[start..<end]))
            start = end
        }
        return try extractor.finish()
    }

    func testMelFilterbankMatchesLibrosa() throws {
        let bank = try MelFilterbank(sampleRate: 22_050, fftLength: 2048)
        let m = bank.matrix
        XCTAssertEqual(m[1], 0.01618285, accuracy: 1e-7)
        XCTAssertEqual(m[2], 0.03236571, accuracy: 1e-7)
        XCTAssertEqual(m[3], 0.02899009, accuracy: 1e-7)
        XCTAssertEqual(m[50 * 1025 + 126], 0.00630006, accuracy: 1e-7)
        XCTAssertEqual(m[50 * 1025 + 125], 0)
    }

    func testMFCCMatchesLibrosa() throws {
        let table = try extract(.mfcc)
        XCTAssertEqual(table.frameCount, 44)  // 1 + 22050/512
        let expected10: [Float] = [-458.0647, 52.2629, 6.682251, -18.452087, -8.27689]
        let expected0: [Float] = [-452.3975, 60.626915, 14.742506, -13.610182, -9.372805]
        for k in 0..<5 {
            XCTAssertEqual(table.values[10 * 20 + k], expected10[k], accuracy: 2e-3)
            XCTAssertEqual(table.values[k], expected0[k], accuracy: 2e-3)
        }
    }

    func testLogMelFloorIsRelativeToTheWholeClip() throws {
        let table = try extract(.mel, chunk: 1000)
        let expected: [(Int, Float)] = [(0, -45.18518), (10, -45.18518), (20, -37.424587), (40, -45.18518), (100, -45.18518)]
        for (band, value) in expected { XCTAssertEqual(table.values[10 * 128 + band], value, accuracy: 1e-3) }
    }

    func testChromaWithEstimatedTuningMatchesLibrosa() throws {
        var tuning = TuningEstimator(sampleRate: 22_050, fftLength: 2048)
        let framer = try SpectrogramFramer()
        framer.push(Self.signal) { tuning.add($0.spectrum) }
        framer.finish { tuning.add($0.spectrum) }
        XCTAssertEqual(tuning.tuning, 0.02, accuracy: 1e-9)
        let table = try extract(.chroma)
        let expected: [Float] = [9.54e-07, 4.538e-04, 7.9206e-02, 2.8497e-01, 2.11609e-02, 3.26e-05, 1.35e-06, 1.8856e-03,
                                 2.23664e-01, 1.0, 1.8991e-01, 1.4814e-03]
        for k in 0..<12 { XCTAssertEqual(table.values[10 * 12 + k], expected[k], accuracy: 2e-5) }
    }

    func testSpectralCentroidMatchesLibrosa() throws {
        let table = try extract(.spectral)
        let centroid = try XCTUnwrap(table.column(named: "centroid"))
        XCTAssertEqual(centroid[0], 708.0913, accuracy: 0.01)
        XCTAssertEqual(centroid[10], 709.8845, accuracy: 0.01)
    }

    func testChunkingDoesNotChangeFeatures() throws {
        let a = try extract(.mfcc, chunk: 22_050), b = try extract(.mfcc, chunk: 777)
        XCTAssertEqual(a, b)
    }

    func testSoxrResamplerLengthAndChunking() throws {
        let input = (0..<16_000).map { Float(sin(Double($0) * 0.05)) }
        func run(_ chunk: Int) throws -> [Float] {
            let resampler = try SoxrResampler(inputRate: 16_000, outputRate: 22_050)
            var out: [Float] = []
            var start = 0
            while start < input.count {
                let end = min(input.count, start + chunk)
                try Array(input[start..<end]).withUnsafeBufferPointer { try resampler.push($0) { out += $0 } }
                start = end
            }
            try resampler.finish { out += $0 }
            return out
        }
        let whole = try run(16_000), pieces = try run(1234)
        XCTAssertEqual(whole.count, 22_050)  // ceil(16000·22050/16000)
        XCTAssertEqual(whole, pieces)
    }

    func testHTKStyleMFCCShape() throws {
        let extractor = try FeatureExtractor(set: .mfcc, settings: .htk)
        try extractor.process([Float](repeating: 0.1, count: 16_000).enumerated().map { Float(sin(Double($0.offset) * 0.1)) * $0.element })
        let table = try extractor.finish()
        XCTAssertEqual(table.columns.count, 13)
        XCTAssertEqual(table.frameCount, 1 + (16_000 - 400) / 160)
        XCTAssertTrue(table.values.allSatisfy { $0.isFinite })
    }

    func testFrameStoreSpillsToDiskAndReadsBack() throws {
        let store = FrameStore(width: 3, memoryLimit: 64)
        for i in 0..<20 { try [Float(i), Float(i) + 0.5, -Float(i)].withUnsafeBufferPointer { try store.append($0) } }
        var seen: [Float] = []
        try store.forEach { seen.append($0[0]) }
        XCTAssertEqual(seen, (0..<20).map(Float.init))
    }

    func testSilenceGivesFiniteFeaturesAndNullsInJSON() async throws {
        let path = try TestMedia.lavfi("silence-mono.wav", "anullsrc=r=16000:cl=mono", ["-t", "1"])
        for set in FeatureSet.allCases {
            let table = try await FeatureExtractor.analyze(path: path, set: set)
            XCTAssertEqual(table.frameCount, 44)
            let json = String(decoding: try JSONEncoder().encode(table), as: UTF8.self)
            XCTAssertFalse(json.contains("nan") || json.contains("inf"), "\(set)")
        }
    }

    func testSampleRatesAndVideoInput() async throws {
        for rate in [8_000, 192_000] {
            let path = try TestMedia.lavfi("tone\(rate).wav", "sine=f=440:r=\(rate):d=0.5")
            let table = try await FeatureExtractor.analyze(path: path, set: .mfcc)
            XCTAssertEqual(table.frameCount, 1 + 11_025 / 512)
        }
        let video = try TestMedia.lavfi("feature-video.mkv", "testsrc2=s=64x48:r=5:d=1",
                                        ["-f", "lavfi", "-i", "sine=f=300:r=44100:d=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "flac"])
        let table = try await FeatureExtractor.analyze(path: video, set: .chroma)
        XCTAssertGreaterThan(table.frameCount, 40)
    }

    func testVoiceSetOnSpeech() async throws {
        guard TestMedia.available("espeak-ng") else { throw XCTSkip("espeak-ng is not installed") }
        let result = try await VoiceFeatureExtractor.analyze(path: try TestMedia.speech())
        let f0 = try XCTUnwrap(result.functionals["F0semitoneFrom27.5Hz_sma3nz"]?.mean)
        XCTAssertGreaterThan(f0, 15)  // espeak's default voice is around 100-140 Hz: 22-28 semitones above 27.5 Hz
        XCTAssertLessThan(f0, 35)
        XCTAssertNotNil(result.functionals["loudness_sma3"]?.percentile80)
        XCTAssertEqual(result.frames.columns.count, VoiceFeatureExtractor.columns.count)
    }

    /// The spectral voice descriptors follow eGeMAPSv02's definitions: the alpha ratio and Hammarberg index in
    /// power dB between their bands, the flux as the unnormalised change of the magnitude spectrum (so it grows
    /// with the level), and `stddevNorm` keeps the mean's sign as openSMILE's does.
    func testVoiceSpectralDescriptorsFollowEGeMAPS() throws {
        func analyse(_ samples: [Float]) throws -> VoiceFeatures {
            let extractor = try VoiceFeatureExtractor()
            try samples.withUnsafeBufferPointer { try extractor.process($0) }
            return try extractor.finish()
        }
        /// A 200 Hz voice-like tone: partials (Hz, amplitude).
        func partials(_ list: [(Double, Double)], seconds: Double = 1) -> [Float] {
            (0..<Int(seconds * 16_000)).map { n in
                let t = Double(n) / 16_000
                return Float(list.reduce(0) { $0 + $1.1 * sin(2 * Double.pi * $1.0 * t) })
            }
        }
        func column(_ features: VoiceFeatures, _ name: String) throws -> [Float] {
            let index = try XCTUnwrap(VoiceFeatureExtractor.columns.firstIndex(of: name))
            let width = features.frames.columns.count
            return (0..<features.frames.times.count).map { features.frames.values[$0 * width + index] }
        }

        // Power 0.25 at 200 Hz and 0.01 at 3 kHz: alpha ratio 10·log10(0.01/0.25) = -14 dB, Hammarberg +14 dB.
        let dark = try analyse(partials([(200, 0.5), (400, 0.05), (3000, 0.1)]))
        let darkAlpha = try XCTUnwrap(dark.functionals["alphaRatioV_sma3nz"]?.percentile50)
        let darkHammarberg = try XCTUnwrap(dark.functionals["hammarbergIndexV_sma3nz"]?.percentile50)
        XCTAssertEqual(darkAlpha, 10 * log10(0.01 / (0.25 + 0.0025)), accuracy: 0.5)
        XCTAssertEqual(darkHammarberg, 10 * log10(0.25 / 0.01), accuracy: 0.5)
        // The 3 kHz partial twice as loud as the fundamental: both turn over.
        let bright = try analyse(partials([(200, 0.2), (400, 0.05), (3000, 0.4)]))
        XCTAssertGreaterThan(try XCTUnwrap(bright.functionals["alphaRatioV_sma3nz"]?.percentile50), 5)
        XCTAssertLessThan(try XCTUnwrap(bright.functionals["hammarbergIndexV_sma3nz"]?.percentile50), -5)

        // Flux: a steady tone changes nothing after its first frames; at twice the level a change is twice the flux.
        XCTAssertLessThan(try column(dark, "spectral_flux")[20..<80].max() ?? 1, 1e-3 * (try column(dark, "spectral_flux").max() ?? 0))
        let quiet = partials([(300, 0.1)], seconds: 0.5) + partials([(1200, 0.1)], seconds: 0.5)
        let quietFlux = try column(try analyse(quiet), "spectral_flux").max() ?? 0
        let loudFlux = try column(try analyse(quiet.map { $0 * 2 }), "spectral_flux").max() ?? 0
        XCTAssertGreaterThan(quietFlux, 0)
        XCTAssertEqual(loudFlux / quietFlux, 2, accuracy: 0.01)

        // stddevNorm keeps the sign of the mean.
        XCTAssertEqual(try XCTUnwrap(Functionals([-1, -2, -3]).stddevNorm), -(2.0 / 3).squareRoot() / 2, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(Functionals([1, 2, 3]).stddevNorm), (2.0 / 3).squareRoot() / 2, accuracy: 1e-6)
    }

    /// HNR falls as noise is added to a voice-like tone, and the period is one cycle, not two.
    func testHNRFallsWithNoise() throws {
        var state: UInt64 = 42
        func noise() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) * 2 - 1
        }
        func hnr(noiseLevel: Double) throws -> Double {
            let extractor = try VoiceFeatureExtractor()
            let samples: [Float] = (0..<16_000).map { n in
                let t = Double(n) / 16_000
                let voice = 0.4 * sin(2 * Double.pi * 150 * t) + 0.2 * sin(2 * Double.pi * 300 * t) + 0.1 * sin(2 * Double.pi * 450 * t)
                return Float(voice + noiseLevel * noise())
            }
            try samples.withUnsafeBufferPointer { try extractor.process($0) }
            return try XCTUnwrap(try extractor.finish().functionals["HNRdBACF_sma3nz"]?.percentile50)
        }
        // Uncorrected for the window, as openSMILE's, the HNR of a perfectly periodic 150 Hz tone is capped by the
        // 60 ms Gaussian window's own autocorrelation at one period (0.925: 10.9 dB); noise at 21 dB SNR takes a
        // little off, at 9 dB SNR much more.
        let clean = try hnr(noiseLevel: 0.001), some = try hnr(noiseLevel: 0.05), much = try hnr(noiseLevel: 0.2)
        XCTAssertEqual(clean, 10 * log10(0.925 / 0.075), accuracy: 0.3)
        XCTAssertGreaterThan(clean, some)
        XCTAssertGreaterThan(some, much + 3)
    }
}
