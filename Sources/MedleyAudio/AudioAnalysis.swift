import MedleyCore
import MedleyMedia

/// File-level audio analysis: the streaming analysers of MedleyDSP fed by MedleyMedia's decoder.
///
/// Every entry point decodes the file in chunks (memory stays flat), reports progress in seconds of audio,
/// and throws ``MedleyError/cancelled`` soon after its task is cancelled.
public enum AudioAnalysis {
    /// Frames per decoded chunk (about 0.7 s at 48 kHz): large enough to amortise calls, small enough for
    /// prompt cancellation and progress.
    static let chunkFrames = 1 << 15

    /// The rate and channel count of the audio stream FFmpeg picks for `path` (what the decoder would decode).
    static func sourceFormat(path: String) throws -> (sampleRate: Int, channels: Int, duration: Double?) {
        try requireReadableFile(path)
        let probe = try AudioDecoder(path: path, sampleRate: 48_000, channels: 1)
        return (probe.sourceSampleRate, probe.sourceChannelCount, probe.duration)
    }

    /// Decodes `path` at `sampleRate` and `channels`, calling `body` with each chunk of interleaved samples.
    ///
    /// - Returns: the number of frames decoded.
    @discardableResult
    static func decode(path: String, sampleRate: Int, channels: Int, stage: String, progress: any ProgressReporter,
                       _ body: (UnsafeBufferPointer<Float>) throws -> Void) throws -> Int {
        try decode(path: path, sampleRate: sampleRate, channels: channels, stage: stage, progress: progress,
                   chunks: { samples in try samples.withUnsafeBufferPointer(body) })
    }

    /// ``decode(path:sampleRate:channels:stage:progress:_:)`` handing each decoded chunk's storage to a
    /// ``DecodePipeline`` without copying it.
    @discardableResult
    static func decode(path: String, sampleRate: Int, channels: Int, stage: String, progress: any ProgressReporter,
                       handingTo sink: DecodePipeline.Sink) throws -> Int {
        try decode(path: path, sampleRate: sampleRate, channels: channels, stage: stage, progress: progress,
                   chunks: { samples in try sink.hand(&samples) })
    }

    /// The decoding loop: `body` gets each chunk's sample array and may take its storage (leaving another array).
    private static func decode(path: String, sampleRate: Int, channels: Int, stage: String,
                               progress: any ProgressReporter,
                               chunks body: (inout [Float]) throws -> Void) throws -> Int {
        let decoder = try AudioDecoder(path: path, sampleRate: sampleRate, channels: channels)
        var buffer = AudioBuffer(samples: [], sampleRate: sampleRate, channelCount: channels)
        var frames = 0
        var reported = -1.0
        while try decoder.read(into: &buffer, maxFrames: chunkFrames) {
            if Task.isCancelled { throw MedleyError.cancelled }
            let count = buffer.frameCount
            try body(&buffer.samples)
            frames += count
            let seconds = Double(frames) / Double(sampleRate)
            if seconds - reported >= 1 {
                progress.report(ProgressEvent(stage: stage, completed: seconds, total: decoder.duration, unit: "s"))
                reported = seconds
            }
        }
        progress.report(ProgressEvent(stage: stage, completed: Double(frames) / Double(sampleRate),
                                      total: decoder.duration, unit: "s"))
        return frames
    }
}
