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
    /// True when the gain was lowered to keep the true peak at the limit, so the target was not reached.
    public var limitedByTruePeak: Bool
    /// The output file.
    public var output: String

    enum CodingKeys: String, CodingKey {
        case input
        case gainDB = "gain_db"
        case outputIntegratedLUFS = "output_integrated_lufs"
        case outputTruePeakDBTP = "output_true_peak_dbtp"
        case limitedByTruePeak = "limited_by_true_peak"
        case output
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(input, forKey: .input)
        try c.encode((gainDB * 1000).rounded() / 1000, forKey: .gainDB)
        try c.encode((outputIntegratedLUFS * 1000).rounded() / 1000, forKey: .outputIntegratedLUFS)
        try c.encode(outputTruePeakDBTP.map { ($0 * 1000).rounded() / 1000 }, forKey: .outputTruePeakDBTP)
        try c.encode(limitedByTruePeak, forKey: .limitedByTruePeak)
        try c.encode(output, forKey: .output)
    }
}

/// Two-pass loudness normalisation (EBU R128 style): measure, then apply one static gain.
public enum LoudnessNormalizer {
    /// Normalises `input` to `targetLUFS` integrated loudness and writes `output` (format from its extension)
    /// at the input's sample rate and channel count, atomically (nothing appears at `output` on error).
    ///
    /// True-peak limit: when the gain would lift the true peak above `truePeakLimit` dBTP, the gain is
    /// **lowered** until the true peak equals the limit (``NormalizationResult/limitedByTruePeak`` is then
    /// true and the output is quieter than the target). A static gain keeps the programme's dynamics intact;
    /// no limiter or compressor is applied. Lossy output formats (MP3, AAC, Opus) can move the true peak by a
    /// few tenths of a dB; prefer WAV or FLAC, or leave headroom.
    ///
    /// - Throws: `invalidArgument` when the input is silent or too short to gate, plus decoding and writing
    ///   errors.
    public static func normalize(input: String, output: String, targetLUFS: Double, truePeakLimit: Double = -1,
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
        if let peak = measured.truePeakDBTP, peak + gain > truePeakLimit {
            gain = truePeakLimit - peak
            limited = true
        }
        let linear = Float(pow(10, gain / 20))
        let writer = try AudioFileWriter(path: output, sampleRate: format.sampleRate, channels: format.channels)
        var chunk = AudioBuffer(samples: [], sampleRate: format.sampleRate, channelCount: format.channels)
        try AudioAnalysis.decode(path: input, sampleRate: format.sampleRate, channels: format.channels,
                                 stage: "write", progress: progress) { samples in
            chunk.samples.removeAll(keepingCapacity: true)
            chunk.samples.append(contentsOf: samples)
            for i in chunk.samples.indices { chunk.samples[i] *= linear }
            try writer.write(chunk)
        }
        try writer.finish()
        return NormalizationResult(
            input: measured, gainDB: gain, outputIntegratedLUFS: integrated + gain,
            outputTruePeakDBTP: measured.truePeakDBTP.map { $0 + gain }, limitedByTruePeak: limited, output: output)
    }
}
