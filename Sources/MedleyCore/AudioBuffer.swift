/// A block of PCM audio as 32-bit floats in [-1, 1].
///
/// Samples are **interleaved**: for stereo, `samples` is `[L0, R0, L1, R1, ...]`. Mono audio (what speech
/// and analysis code works on) is therefore just one sample per frame. `frameCount * channelCount ==
/// samples.count` always holds.
public struct AudioBuffer: Sendable, Equatable {
    /// Interleaved samples, `frameCount * channelCount` of them.
    public var samples: [Float]
    /// Frames per second (Hz).
    public var sampleRate: Int
    /// Number of interleaved channels (at least 1).
    public var channelCount: Int
    /// Time of the first frame in seconds from the start of the stream.
    public var startTime: Double

    /// Creates a buffer. `samples.count` must be a multiple of `channelCount`.
    public init(samples: [Float], sampleRate: Int, channelCount: Int = 1, startTime: Double = 0) {
        precondition(channelCount > 0 && sampleRate > 0, "AudioBuffer needs a positive rate and channel count")
        precondition(samples.count % channelCount == 0, "sample count must be a multiple of the channel count")
        self.samples = samples
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.startTime = startTime
    }

    /// Number of frames (samples per channel).
    public var frameCount: Int { samples.count / channelCount }

    /// Duration in seconds.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// The samples of one channel (copied out of the interleaved storage).
    public func channel(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < channelCount, "channel index out of range")
        if channelCount == 1 { return samples }
        var out = [Float](repeating: 0, count: frameCount)
        for frame in 0..<frameCount { out[frame] = samples[frame * channelCount + index] }
        return out
    }

    /// The mean of all channels, as a mono buffer.
    public func mixedToMono() -> AudioBuffer {
        if channelCount == 1 { return self }
        var out = [Float](repeating: 0, count: frameCount)
        let scale = 1 / Float(channelCount)
        for frame in 0..<frameCount {
            var sum: Float = 0
            for c in 0..<channelCount { sum += samples[frame * channelCount + c] }
            out[frame] = sum * scale
        }
        return AudioBuffer(samples: out, sampleRate: sampleRate, channelCount: 1, startTime: startTime)
    }

    /// Appends another buffer with the same rate and channel count.
    public mutating func append(_ other: AudioBuffer) {
        precondition(other.sampleRate == sampleRate && other.channelCount == channelCount, "format mismatch")
        samples.append(contentsOf: other.samples)
    }
}
