import MedleyCore
import MedleyDSP
import MedleyMedia

extension AudioAnalysis {
    /// Decodes `path` to mono at its own rate (the mean of the channels, as librosa.load) and resamples it with
    /// soxr HQ to `sampleRate` (librosa.load's resampler), calling `body` with each chunk.
    ///
    /// Decoding and resampling run on a thread of their own (``DecodePipeline``), `body` on the caller's.
    ///
    /// - Returns: the number of samples delivered at `sampleRate`.
    @discardableResult
    static func decodeMono(path: String, sampleRate: Int, stage: String, progress: any ProgressReporter,
                           _ body: (UnsafeBufferPointer<Float>) throws -> Void) throws -> Int {
        let format = try sourceFormat(path: path)
        var delivered = 0
        try DecodePipeline.run(produce: { sink in
            let resampler = try SoxrResampler(inputRate: format.sampleRate, outputRate: sampleRate)
            try decode(path: path, sampleRate: format.sampleRate, channels: 1, stage: stage, progress: progress) { chunk in
                try resampler.push(chunk, sink.emit)
            }
            try resampler.finish(sink.emit)
        }, consume: { chunk in
            delivered += chunk.count
            try body(chunk)
        })
        return delivered
    }
}

extension FeatureExtractor {
    /// Computes one feature set over a file: decoded to mono, resampled with soxr HQ to the settings' rate
    /// (22,050 Hz by default, as librosa.load), then analysed in a stream.
    public static func analyze(path: String, set: FeatureSet, settings: FeatureSettings = FeatureSettings(),
                               progress: any ProgressReporter = SilentProgress()) async throws -> FeatureTable {
        let extractor = try FeatureExtractor(set: set, settings: settings)
        try AudioAnalysis.decodeMono(path: path, sampleRate: settings.sampleRate, stage: "features", progress: progress) {
            try extractor.process($0)
        }
        return try extractor.finish()
    }
}

extension VoiceFeatureExtractor {
    /// The eGeMAPS-style voice set of a file, decoded to mono and resampled with soxr HQ to 16 kHz.
    public static func analyze(path: String, progress: any ProgressReporter = SilentProgress()) async throws -> VoiceFeatures {
        let extractor = try VoiceFeatureExtractor()
        try AudioAnalysis.decodeMono(path: path, sampleRate: sampleRate, stage: "voice", progress: progress) {
            try extractor.process($0)
        }
        return try extractor.finish()
    }
}
