import Foundation
import MedleyCore
import MedleyDSP
import MedleyMedia

/// What ``LoudnessNormalizer/normalize(input:output:targetLUFS:truePeakLimit:progress:)`` did.
public struct NormalizationResult: Sendable, Equatable, Encodable {
    /// The input's measurements.
    public var input: LoudnessResult
    /// Gain applied, in dB.
    public var gainDB: Double
    /// Integrated loudness of the written audio (before any lossy encoding), LUFS.
    public var outputIntegratedLUFS: Double
    /// True peak of the written audio (before any lossy encoding), dBTP.
    public var outputTruePeakDBTP: Double?
    /// True when the true-peak limit acted: the look-ahead limiter reduced some peaks, or (without the limiter)
    /// the gain was lowered so that the target was not reached.
    public var limitedByTruePeak: Bool
    /// Frames the limiter turned down (0 without the limiter).
    public var limitedFrames: Int
    /// The deepest gain reduction of the limiter in dB (0 when it did nothing).
    public var limiterReductionDB: Double
    /// The output file.
    public var output: String

    enum CodingKeys: String, CodingKey {
        case input
        case gainDB = "gain_db"
        case outputIntegratedLUFS = "output_integrated_lufs"
        case outputTruePeakDBTP = "output_true_peak_dbtp"
        case limitedByTruePeak = "limited_by_true_peak"
        case limitedFrames = "limited_frames"
        case limiterReductionDB = "limiter_reduction_db"
        case output
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(input, forKey: .input)
        try c.encode((gainDB * 1000).rounded() / 1000, forKey: .gainDB)
        try c.encode((outputIntegratedLUFS * 1000).rounded() / 1000, forKey: .outputIntegratedLUFS)
        try c.encode(outputTruePeakDBTP.map { ($0 * 1000).rounded() / 1000 }, forKey: .outputTruePeakDBTP)
        try c.encode(limitedByTruePeak, forKey: .limitedByTruePeak)
        try c.encode(limitedFrames, forKey: .limitedFrames)
        try c.encode((limiterReductionDB * 1000).rounded() / 1000, forKey: .limiterReductionDB)
        try c.encode(output, forKey: .output)
    }
}

/// Two-pass loudness normalisation (EBU R128 style): measure, then apply one static gain.
public enum LoudnessNormalizer {
    /// Normalises `input` to `targetLUFS` integrated loudness and writes `output` (format from its extension)
    /// at the input's sample rate and channel count, atomically (nothing appears at `output` on error).
    ///
    /// Pass 1 measures the input. Pass 2 applies the gain `target − integrated`; when that would lift the true
    /// peak above `truePeakLimit` dBTP, a ``TruePeakLimiter`` (2 ms look-ahead, 100 ms release, 0.1 dB safety
    /// margin) turns down just those peaks, so the target is reached and the true peak stays at the limit. With
    /// `useLimiter: false` the gain is **lowered** instead until the true peak equals the limit (the output is then
    /// quieter than the target, with the dynamics untouched). The written audio is measured again on the way out;
    /// the result reports those figures. Lossy output formats (MP3, AAC, Opus) can move the true peak by a few tenths
    /// of a dB after that measurement; prefer WAV or FLAC, or leave headroom.
    ///
    /// - Throws: `invalidArgument` when the input is silent or too short to gate, plus decoding and writing
    ///   errors.
    public static func normalize(input: String, output: String, targetLUFS: Double, truePeakLimit: Double = -1,
                                 useLimiter: Bool = true,
                                 progress: any ProgressReporter = SilentProgress()) async throws -> NormalizationResult {
        guard (-70.0...0).contains(targetLUFS) else {
            throw MedleyError.invalidArgument("target \(targetLUFS) LUFS is out of range (-70...0)")
        }
        guard (-30.0...0).contains(truePeakLimit) else {
            throw MedleyError.invalidArgument("true-peak limit \(truePeakLimit) dBTP is out of range (-30...0)")
        }
        let format = try AudioAnalysis.sourceFormat(path: input)
        var meter = try LoudnessMeter(sampleRate: format.sampleRate, channelCount: format.channels)
        try AudioAnalysis.decode(path: input, sampleRate: format.sampleRate, channels: format.channels,
                                 stage: "measure", progress: progress) { meter.process($0) }
        let measured = meter.finish()
        guard let integrated = measured.integratedLUFS else {
            throw MedleyError.invalidArgument(
                "\(input): cannot normalise: integrated loudness is undefined (\(measured.reason ?? "no gated blocks"))")
        }
        var gain = targetLUFS - integrated
        var limited = false
        var limiting = false
        if let peak = measured.truePeakDBTP, peak + gain > truePeakLimit {
            limited = true
            if useLimiter { limiting = true } else { gain = truePeakLimit - peak }
        }
        // Limiting lowers the loudness a little; measure the limited output and raise the gain to make up for it
        // (a few measurement passes without writing), then write once.
        if limiting {
            // Loudness grows more slowly than the gain once the limiter works: secant steps on (gain, loudness).
            let initial = gain
            var previous: (gain: Double, loudness: Double)? = (initial, targetLUFS)  // the unlimited prediction
            for _ in 0..<Self.makeUpPasses {
                let result = try render(input: input, format: format, gain: gain, limitDB: truePeakLimit, progress: progress,
                                        write: nil)
                guard let reached = result.loudness.integratedLUFS, abs(reached - targetLUFS) > Self.makeUpTolerance else { break }
                var slope = 1.0
                if let (g0, l0) = previous, gain != g0, reached != l0 { slope = max(0.1, min(1, (reached - l0) / (gain - g0))) }
                previous = (gain, reached)
                gain = min(gain + (targetLUFS - reached) / slope, initial + Self.maximumMakeUpDB)
            }
        }
        let writer = try AudioFileWriter(path: output, sampleRate: format.sampleRate, channels: format.channels)
        var chunk = AudioBuffer(samples: [], sampleRate: format.sampleRate, channelCount: format.channels)
        let rendered = try render(input: input, format: format, gain: gain, limitDB: limiting ? truePeakLimit : nil,
                                  progress: progress) { samples in
            chunk.samples.removeAll(keepingCapacity: true)
            chunk.samples.append(contentsOf: samples)
            try writer.write(chunk)
        }
        try writer.finish()
        let written = rendered.loudness
        return NormalizationResult(
            input: measured, gainDB: gain, outputIntegratedLUFS: written.integratedLUFS ?? integrated + gain,
            outputTruePeakDBTP: written.truePeakDBTP, limitedByTruePeak: limited,
            limitedFrames: rendered.limitedFrames, limiterReductionDB: rendered.reductionDB, output: output)
    }

    /// Measurement passes that raise the gain to make up for the loudness the limiter removes.
    static let makeUpPasses = 5
    /// Close enough to the target to stop making up, LU.
    static let makeUpTolerance = 0.05
    /// The most gain added on top of `target − integrated` to make up for limiting, dB.
    static let maximumMakeUpDB = 6.0

    /// Decodes `input`, applies `gain` dB (and a true-peak limiter at `limitDB` when given), measures the result
    /// and hands it to `write` when given.
    private static func render(input: String, format: (sampleRate: Int, channels: Int, duration: Double?), gain: Double,
                               limitDB: Double?, progress: any ProgressReporter,
                               write: ((UnsafeBufferPointer<Float>) throws -> Void)?)
        throws -> (loudness: LoudnessResult, limitedFrames: Int, reductionDB: Double) {
        let linear = Float(pow(10, gain / 20))
        let limiter = limitDB.map { TruePeakLimiter(sampleRate: format.sampleRate, channelCount: format.channels, limitDB: $0) }
        var meter = try LoudnessMeter(sampleRate: format.sampleRate, channelCount: format.channels)
        var scaled: [Float] = []
        func emit(_ samples: UnsafeBufferPointer<Float>) throws {
            meter.process(samples)
            try write?(samples)
        }
        try AudioAnalysis.decode(path: input, sampleRate: format.sampleRate, channels: format.channels,
                                 stage: write == nil ? "limit" : "write", progress: progress) { samples in
            scaled.removeAll(keepingCapacity: true)
            scaled.append(contentsOf: samples)
            for i in scaled.indices { scaled[i] *= linear }
            try scaled.withUnsafeBufferPointer { gained in
                if let limiter { try limiter.process(gained, emit) } else { try emit(gained) }
            }
        }
        try limiter?.finish(emit)
        let reduction = limiter.map { -20 * log10(Double($0.deepestGain)) } ?? 0
        return (meter.finish(), limiter?.limitedFrames ?? 0, reduction)
    }
}
