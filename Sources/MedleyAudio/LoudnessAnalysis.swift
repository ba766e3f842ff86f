import MedleyCore
import MedleyDSP
import MedleyMedia

extension LoudnessMeter {
    /// Measures a file's loudness (EBU R128 / BS.1770-4) at its own sample rate and channel count.
    ///
    /// The audio is decoded with its native channels (never downmixed) into FFmpeg's default layout for that
    /// count, whose channel weights come from ``LoudnessMeter/channelWeights(forChannelCount:)``. Files whose
    /// layout differs from the default for their channel count (say 3.0 rather than 2.1) are remixed into the
    /// default layout by the decoder first.
    ///
    /// - Parameters:
    ///   - path: any file FFmpeg reads with an audio stream (video files: their audio).
    ///   - keepSeries: also return momentary and short-term loudness every 100 ms.
    ///   - progress: receives seconds decoded.
    public static func analyze(path: String, keepSeries: Bool = false,
                               progress: any ProgressReporter = SilentProgress()) async throws -> LoudnessResult {
        let format = try AudioAnalysis.sourceFormat(path: path)
        var meter = try LoudnessMeter(sampleRate: format.sampleRate, channelCount: format.channels, keepSeries: keepSeries)
        // Decoding on a thread of its own, overlapped with the K-weighting here (and the true peak on a third).
        try DecodePipeline.run(produce: { sink in
            try AudioAnalysis.decode(path: path, sampleRate: format.sampleRate, channels: format.channels,
                                     stage: "loudness", progress: progress, handingTo: sink)
        }, consume: { meter.process($0) })
        return meter.finish()
    }
}
