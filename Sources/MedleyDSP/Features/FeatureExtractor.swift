import Foundation
import MedleyCore

/// Frame-level spectral features of a mono stream: log-mel, MFCC, chroma or the spectral descriptors.
///
/// Feed mono samples at ``FeatureSettings/sampleRate`` with ``process(_:)`` and call ``finish()`` once. With the
/// default settings every value matches librosa 0.11 on the same samples (see ``FeatureSet`` for the functions).
///
/// Streaming and memory: the STFT runs frame by frame. Features that need the whole clip keep what they need
/// in a ``FrameStore`` (memory up to 32 MiB, then a temporary file): log-mel and MFCC keep the unfloored log-mel
/// frames until the clip's maximum is known for `top_db` (128 floats per frame); chroma keeps the power
/// spectra until the tuning is estimated (1025 floats per frame). HTK-style MFCCs (no `top_db`) and the spectral
/// set stream directly. The returned table is the series you asked for.
///
/// Threading: not thread-safe; one per stream.
public final class FeatureExtractor {
    /// The feature set.
    public let set: FeatureSet
    /// The settings.
    public let settings: FeatureSettings

    private let framer: SpectrogramFramer
    private let mel: MelFilterbank?
    private let dct: DCTII?
    private let decibels: PowerToDecibels
    private let store: FrameStore?
    private var tuning: TuningEstimator?
    private var spectral: SpectralDescriptors?
    private var maximum = -Float.infinity
    private var melBuffer: [Float]
    private var rows: [Float] = []
    private var frames = 0
    private let lifterWeights: [Float]

    /// Creates an extractor.
    public init(set: FeatureSet, settings: FeatureSettings = FeatureSettings()) throws {
        guard settings.sampleRate > 0 else { throw MedleyError.invalidArgument("feature sample rate must be positive") }
        self.set = set
        self.settings = settings
        let scale: SpectrumScale = .power
        framer = try SpectrogramFramer(settings: settings.stft, scale: scale)
        let bins = settings.stft.binCount
        decibels = PowerToDecibels(topDB: settings.topDB)
        switch set {
        case .mel, .mfcc:
            mel = try MelFilterbank(sampleRate: settings.sampleRate, fftLength: settings.stft.fftLength,
                                    bandCount: settings.melBands, minHz: settings.minHz, maxHz: settings.maxHz,
                                    scale: settings.melScale, normalization: settings.melNormalization)
            dct = set == .mfcc ? DCTII(inputCount: settings.melBands, outputCount: settings.mfccCount) : nil
            let streamsDirectly = set == .mfcc && settings.mfccStyle == .htk
            store = streamsDirectly ? nil : FrameStore(width: settings.melBands)
        case .chroma:
            mel = nil
            dct = nil
            store = FrameStore(width: bins)
            tuning = TuningEstimator(sampleRate: settings.sampleRate, fftLength: settings.stft.fftLength)
        case .spectral:
            mel = nil
            dct = nil
            store = nil
            spectral = SpectralDescriptors(sampleRate: settings.sampleRate, fftLength: settings.stft.fftLength,
                                           rolloffPercent: settings.rolloffPercent)
        }
        melBuffer = [Float](repeating: 0, count: max(settings.melBands, 1))
        let count = settings.mfccCount
        lifterWeights = (0..<count).map { n in
            settings.lifter > 0 ? Float(1 + Double(settings.lifter) / 2 * sin(Double.pi * Double(n) / Double(settings.lifter))) : 1
        }
    }

    /// The column names of the table this extractor returns.
    public var columns: [String] {
        switch set {
        case .mel: return (0..<settings.melBands).map { "mel_\($0)" }
        case .mfcc: return (0..<min(settings.mfccCount, settings.melBands)).map { "mfcc_\($0)" }
        case .chroma: return ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"].map { "chroma_\($0)" }
        case .spectral: return SpectralDescriptors.columns
        }
    }

    /// Analyses mono samples at ``FeatureSettings/sampleRate``.
    public func process(_ samples: UnsafeBufferPointer<Float>) throws {
        try framer.push(samples) { try handle($0) }
    }

    /// Array convenience for ``process(_:)``.
    public func process(_ samples: [Float]) throws {
        try samples.withUnsafeBufferPointer { try process($0) }
    }

    private func handle(_ frame: SpectrogramFrame) throws {
        frames += 1
        switch set {
        case .mel, .mfcc:
            guard let mel else { return }
            try melBuffer.withUnsafeMutableBufferPointer { m in
                let base = m.baseAddress!
                mel.apply(frame.spectrum.baseAddress!, into: base)
                if settings.mfccStyle == .htk && set == .mfcc {
                    for i in 0..<settings.melBands { base[i] = log(max(base[i], 1e-10)) }
                    appendCepstrum(base)
                    return
                }
                maximum = max(maximum, decibels.decibels(base, count: settings.melBands))
                try store?.append(UnsafeBufferPointer(m))
            }
        case .chroma:
            tuning?.add(frame.spectrum)
            try store?.append(frame.spectrum)
        case .spectral:
            spectral?.add(frame, into: &rows)
        }
    }

    private func appendCepstrum(_ logMel: UnsafePointer<Float>) {
        guard let dct else { return }
        let start = rows.count
        rows.append(contentsOf: repeatElement(0, count: dct.outputCount))
        rows.withUnsafeMutableBufferPointer { r in
            dct.apply(logMel, into: r.baseAddress! + start)
            for i in 0..<dct.outputCount { r[start + i] *= lifterWeights[i] }
        }
    }

    /// Ends the stream and returns one row per frame.
    public func finish() throws -> FeatureTable {
        try framer.finish { try handle($0) }
        switch set {
        case .mel:
            try store?.forEach { frame in
                decibels.floor(frame.baseAddress!, count: frame.count, maximum: maximum)
                rows.append(contentsOf: frame)
            }
        case .mfcc:
            try store?.forEach { frame in
                decibels.floor(frame.baseAddress!, count: frame.count, maximum: maximum)
                appendCepstrum(frame.baseAddress!)
            }
        case .chroma:
            let estimate = tuning?.tuning ?? 0
            let bank = ChromaFilterbank(sampleRate: settings.sampleRate, fftLength: settings.stft.fftLength, tuning: estimate)
            var chroma = [Float](repeating: 0, count: 12)
            try store?.forEach { frame in
                chroma.withUnsafeMutableBufferPointer { bank.apply(frame.baseAddress!, into: $0.baseAddress!) }
                rows.append(contentsOf: chroma)
            }
        case .spectral:
            break
        }
        let hop = Double(settings.stft.hop) / Double(settings.sampleRate)
        // Centred frames sit on t·hop; uncentred (Kaldi) frames are stamped at their centre.
        let offset = settings.stft.centered ? 0 : Double(settings.stft.frameLength ?? settings.stft.fftLength) / 2 / Double(settings.sampleRate)
        let times = (0..<frames).map { Double($0) * hop + offset }
        return FeatureTable(columns: columns, times: times, values: rows, sampleRate: settings.sampleRate, hopSeconds: hop)
    }
}

@available(*, unavailable, message: "a FeatureExtractor is a per-stream state machine; use one per task")
extension FeatureExtractor: Sendable {}
