import Foundation
import MedleyCore

/// The result of ``VoiceFeatureExtractor``: frame-level descriptors every 10 ms and their functionals.
public struct VoiceFeatures: Sendable, Equatable, Encodable {
    /// One row per 10 ms frame (see ``VoiceFeatureExtractor`` for the columns).
    public var frames: FeatureTable
    /// Functionals per descriptor, keyed by eGeMAPSv02-style names (`F0semitoneFrom27.5Hz_sma3nz`, ...).
    public var functionals: [String: Functionals]

    /// The frame table as CSV.
    public func csv() -> String { frames.csv() }

    /// `name,amean,stddevNorm,percentile20.0,percentile50.0,percentile80.0` lines.
    public func functionalsCSV() -> String {
        var out = "feature,amean,stddevNorm,percentile20.0,percentile50.0,percentile80.0\n"
        func f(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "" }
        for name in functionals.keys.sorted() {
            guard let v = functionals[name] else { continue }
            out += "\(name),\(f(v.mean)),\(f(v.stddevNorm)),\(f(v.percentile20)),\(f(v.percentile50)),\(f(v.percentile80))\n"
        }
        return out
    }
}

/// A voice descriptor set in the spirit of openSMILE's eGeMAPSv02 (Eyben et al. 2016), at 16 kHz, every 10 ms:
///
/// | column | eGeMAPS name | how |
/// |---|---|---|
/// | `f0_semitone` | F0semitoneFrom27.5Hz_sma3nz | pYIN f0 (55-1000 Hz, 64 ms frames), `12·log2(f0/27.5)`, voiced frames |
/// | `jitter` | jitterLocal_sma3nz | mean cycle-to-cycle period change / mean period (60 ms frames) |
/// | `shimmer_db` | shimmerLocaldB_sma3nz | mean |20·log10| of consecutive cycle amplitude ratios |
/// | `hnr_db` | HNRdBACF_sma3nz | `10·log10(r/(1−r))`, r the autocorrelation of the 60 ms Gaussian-windowed frame at the period over its energy (not corrected for the window, as openSMILE) |
/// | `loudness` | loudness_sma3 | Σ over 26 HTK mel bands of band power^0.33 (20 ms Hamming frames) |
/// | `alpha_ratio` | alphaRatioV_sma3nz | 10·log10(Σ|X|² 1-5 kHz / Σ|X|² 0-1 kHz) |
/// | `hammarberg` | hammarbergIndexV_sma3nz | 10·log10(max|X|² 0-2 kHz / max|X|² 2-5 kHz) |
/// | `slope_0_500`, `slope_500_1500` | slopeV0-500_sma3nz, slopeV500-1500_sma3nz | regression slope of the dB power spectrum (dB/Hz) |
/// | `mfcc1` … `mfcc4` | mfcc1_sma3 … mfcc4_sma3 | HTK-style MFCC (26 bands, log, DCT, lifter 22) |
/// | `spectral_flux` | spectralFlux_sma3 | RMS over the bins under 5 kHz of the change of |X| from the frame before (0 for the first) |
/// | `voiced` | – | pYIN voicing decision (1/0) |
///
/// The spectral columns use 20 ms Hamming frames (a 512-point FFT), as eGeMAPSv02's `frame25` level does despite
/// its name, and the band edges and formulas of its `cSpectral` component; the slopes are plain least-squares
/// fits. Every descriptor is smoothed by a 3-frame moving average ("sma3"); the voice-source and "V" descriptors are
/// kept on voiced frames only ("nz"), as eGeMAPS does, and their functionals use voiced frames only. Formants
/// are not computed. Feed mono 16 kHz samples with ``process(_:)``; ``finish()`` returns the table and the
/// functionals. Memory: one frame of work per analyser plus the series.
public final class VoiceFeatureExtractor {
    /// Analysis rate.
    public static let sampleRate = 16_000
    /// 10 ms hop (eGeMAPS).
    public static let hop = 160
    /// eGeMAPS's F0 range, Hz.
    static let minHz = 55.0, maxHz = 1000.0
    /// F0 reference for semitones (eGeMAPS: 27.5 Hz, A0).
    static let semitoneReference = 27.5

    /// The frame table's columns.
    public static let columns = ["f0_semitone", "jitter", "shimmer_db", "hnr_db", "loudness", "alpha_ratio", "hammarberg",
                                 "slope_0_500", "slope_500_1500", "mfcc1", "mfcc2", "mfcc3", "mfcc4", "spectral_flux", "voiced"]
    /// Functional names for each column (voiced-only ones end in `nz`).
    static let functionalNames = ["F0semitoneFrom27.5Hz_sma3nz", "jitterLocal_sma3nz", "shimmerLocaldB_sma3nz",
                                  "HNRdBACF_sma3nz", "loudness_sma3", "alphaRatioV_sma3nz", "hammarbergIndexV_sma3nz",
                                  "slopeV0-500_sma3nz", "slopeV500-1500_sma3nz", "mfcc1_sma3", "mfcc2_sma3", "mfcc3_sma3",
                                  "mfcc4_sma3", "spectralFlux_sma3"]

    private let pitch: PitchTracker
    private let spectrum: SpectrogramFramer
    private var periods: FrameSlicer
    private var periodAnalysis: PeriodAnalysis
    private let mel: MelFilterbank
    private let dct = DCTII(inputCount: 26, outputCount: 5)
    private let frequencies: [Float]
    private var spectral: [[Float]] = []  // per frame: loudness, alpha, hammarberg, slope1, slope2, mfcc1-4, flux
    private var source: [[Float]] = []    // per frame: jitter, shimmer, hnr
    private var previous: [Float]
    private var framesSeen = 0
    private var melBuffer = [Float](repeating: 0, count: 26)
    private var cepstrum = [Float](repeating: 0, count: 5)
    private let lifter: [Float] = (0..<5).map { Float(1 + 11 * sin(Double.pi * Double($0) / 22)) }

    /// Creates an extractor for mono audio at 16 kHz.
    public init() throws {
        var pitchSettings = PitchSettings()
        pitchSettings.sampleRate = Self.sampleRate
        pitchSettings.frameLength = 1024
        pitchSettings.hop = Self.hop
        pitchSettings.minHz = Self.minHz
        pitchSettings.maxHz = Self.maxHz
        pitch = try PitchTracker(settings: pitchSettings)
        var stft = STFTSettings(fftLength: 512, hop: Self.hop, window: .hamming, periodicWindow: false, centered: true)
        stft.frameLength = 320
        spectrum = try SpectrogramFramer(settings: stft)
        periods = FrameSlicer(frameLength: 960, hop: Self.hop, centered: true)
        periodAnalysis = try PeriodAnalysis(sampleRate: Self.sampleRate, frameLength: 960, minHz: Self.minHz, maxHz: Self.maxHz)
        mel = try MelFilterbank(sampleRate: Self.sampleRate, fftLength: 512, bandCount: 26, minHz: 20, maxHz: 8000,
                                scale: .htk, normalization: .none)
        frequencies = (0..<257).map { Float($0) * Float(Self.sampleRate) / 512 }
        previous = [Float](repeating: 0, count: 257)
    }

    /// Analyses mono samples at 16 kHz.
    public func process(_ samples: UnsafeBufferPointer<Float>) throws {
        try pitch.process(samples)
        spectrum.push(samples) { spectralFrame($0) }
        periods.push(samples) { periodFrame($0) }
    }

    private func periodFrame(_ frame: UnsafePointer<Float>) {
        let r = periodAnalysis.analyse(frame)
        source.append([r.jitter, r.shimmer, r.hnr.isFinite ? r.hnr : .nan])
    }

    private func spectralFrame(_ frame: SpectrogramFrame) {
        let p = frame.spectrum
        // Bands and formulas as openSMILE's cSpectral computes them for eGeMAPSv02 (see the type's table).
        var low: Float = 0, high: Float = 0, peakLow: Float = 0, peakHigh: Float = 0
        var fluxSum: Float = 0
        var fluxBins = 0
        for k in 0..<p.count {
            let f = frequencies[k]
            guard f <= 5000 else { break }
            if f < 1000 { low += p[k] } else { high += p[k] }
            if f < 2000 { peakLow = max(peakLow, p[k]) } else { peakHigh = max(peakHigh, p[k]) }
            if f < 5000 {
                let m = p[k].squareRoot()
                fluxSum += (m - previous[k]) * (m - previous[k])
                previous[k] = m
                fluxBins += 1
            }
        }
        let tiny: Float = 1e-10
        let alpha = 10 * log10(max(high, tiny) / max(low, tiny))
        let hammarberg = 10 * log10(max(peakLow, tiny) / max(peakHigh, tiny))
        func slope(_ from: Float, _ to: Float) -> Float {
            var n: Float = 0, sx: Float = 0, sy: Float = 0, sxx: Float = 0, sxy: Float = 0
            for k in 0..<p.count where frequencies[k] >= from && frequencies[k] <= to {
                let x = frequencies[k], y = 10 * log10(max(p[k], tiny))
                n += 1; sx += x; sy += y; sxx += x * x; sxy += x * y
            }
            let d = n * sxx - sx * sx
            return d != 0 ? (n * sxy - sx * sy) / d : 0
        }
        let flux: Float = framesSeen == 0 || fluxBins == 0 ? 0 : (fluxSum / Float(fluxBins)).squareRoot()
        framesSeen += 1
        var loudness: Float = 0
        melBuffer.withUnsafeMutableBufferPointer { m in
            mel.apply(p.baseAddress!, into: m.baseAddress!)
            for b in 0..<26 {
                loudness += pow(max(m[b], 0), 0.33)
                m[b] = log(max(m[b], tiny))
            }
            cepstrum.withUnsafeMutableBufferPointer { c in dct.apply(m.baseAddress!, into: c.baseAddress!) }
        }
        let mfcc = (1...4).map { cepstrum[$0] * lifter[$0] }
        spectral.append([loudness, alpha, hammarberg, slope(0, 500), slope(500, 1500)] + mfcc + [flux])
    }

    /// Ends the stream and returns the frame table and the functionals.
    public func finish() throws -> VoiceFeatures {
        spectrum.finish { spectralFrame($0) }
        periods.finish { periodFrame($0) }
        let track = try pitch.finish()
        let count = min(track.frames.count, spectral.count, source.count)
        var columns = [[Float]](repeating: [Float](repeating: .nan, count: count), count: Self.columns.count)
        for t in 0..<count {
            let voiced = track.frames[t].f0 != nil
            columns[0][t] = track.frames[t].f0.map { Float(12 * log2($0 / Self.semitoneReference)) } ?? .nan
            for j in 0..<3 { columns[1 + j][t] = voiced ? source[t][j] : .nan }
            columns[4][t] = spectral[t][0]
            for j in 1..<5 { columns[4 + j][t] = voiced ? spectral[t][j] : .nan }
            for j in 5..<10 { columns[4 + j][t] = spectral[t][j] }
            columns[14][t] = voiced ? 1 : 0
        }
        for c in 0..<14 { columns[c] = Self.smooth(columns[c]) }
        var values = [Float](repeating: 0, count: count * Self.columns.count)
        for t in 0..<count { for c in 0..<Self.columns.count { values[t * Self.columns.count + c] = columns[c][t] } }
        let hop = Double(Self.hop) / Double(Self.sampleRate)
        let table = FeatureTable(columns: Self.columns, times: (0..<count).map { Double($0) * hop }, values: values,
                                 sampleRate: Self.sampleRate, hopSeconds: hop)
        var functionals: [String: Functionals] = [:]
        for (c, name) in Self.functionalNames.enumerated() { functionals[name] = Functionals(columns[c]) }
        return VoiceFeatures(frames: table, functionals: functionals)
    }

    /// 3-frame moving average over the finite neighbours; non-finite frames stay non-finite ("sma3", "nz").
    static func smooth(_ x: [Float]) -> [Float] {
        var out = x
        for i in x.indices where x[i].isFinite {
            var sum: Float = 0, n: Float = 0
            for j in max(0, i - 1)...min(x.count - 1, i + 1) where x[j].isFinite { sum += x[j]; n += 1 }
            out[i] = sum / n
        }
        return out
    }
}

@available(*, unavailable, message: "a VoiceFeatureExtractor is a per-stream state machine; use one per task")
extension VoiceFeatureExtractor: Sendable {}
