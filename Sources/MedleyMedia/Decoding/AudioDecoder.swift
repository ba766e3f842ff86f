internal import CFFmpeg
import MedleyCore

/// Decodes the audio of any file FFmpeg reads (audio files or the audio track of a video) to interleaved
/// Float32 at a requested sample rate and channel count, in chunks.
///
/// Streaming: memory stays flat whatever the file's length. The decoder keeps one reusable packet, one frame
/// and one sample queue that holds at most a chunk plus one decoded frame; each chunk you read is a new
/// ``AudioBuffer`` that you own. Use ``read(into:maxFrames:)`` to reuse one buffer's storage as well.
///
/// Chunks are contiguous: chunk *k+1* starts where chunk *k* ended, and ``AudioBuffer/startTime`` is the
/// time of its first frame in seconds from the start of the file (the container's start, shared with
/// ``VideoDecoder`` times). At the end the resampler is flushed, so no tail is lost: the total length is the
/// stream's length at the new rate, within a few samples.
///
/// Mono output is the mean of the input channels; other channel counts use swresample's standard
/// up/down-mix. Resampling uses swresample's default filter (the one `ffmpeg -ar` uses).
///
/// Threading: an instance is not thread-safe and not `Sendable`. Create it, read it and drop it in one task
/// (or hand it over whole). Instances for different files are independent.
public final class AudioDecoder {
    /// The file being decoded.
    public let path: String
    /// Output frames per second.
    public let sampleRate: Int
    /// Output channels (interleaved).
    public let channelCount: Int
    /// The index of the audio stream being decoded.
    public let streamIndex: Int
    /// The stream's own sample rate.
    public let sourceSampleRate: Int
    /// The stream's own channel count.
    public let sourceChannelCount: Int
    /// The audio stream's duration in seconds (the file's when the stream does not say), or nil when unknown.
    public let duration: Double?

    private let decoder: StreamDecoder
    private let frame: OwnedFrame
    private let fifo = SampleFIFO()
    private var resampler: DecodingResampler?
    private var firstTime: Double?
    private var emittedFrames = 0
    private var finished = false

    /// The rates Medley accepts for output, in Hz (FFmpeg's resampler works far beyond; this catches typos).
    private static let acceptedRates = 1000...768_000
    /// The channel counts Medley accepts for output.
    private static let acceptedChannels = 1...16

    /// Opens `path` and its audio stream for decoding.
    ///
    /// - Parameters:
    ///   - sampleRate: output rate in Hz (e.g. 16 000 for speech models).
    ///   - channels: output channel count; 1 gives the mean of all input channels.
    ///   - streamIndex: the stream to decode; nil picks FFmpeg's best audio stream.
    /// - Throws: `fileNotFound`, `isDirectory`, `emptyFile`, `unreadableMedia`, `noStream` (no audio),
    ///   `unsupportedCodec` (no decoder in this FFmpeg), `invalidArgument` (bad rate, channels or index).
    public init(path: String, sampleRate: Int, channels: Int, streamIndex: Int? = nil) throws {
        guard Self.acceptedRates.contains(sampleRate) else {
            throw MedleyError.invalidArgument("sample rate \(sampleRate) Hz is out of range (\(Self.acceptedRates))")
        }
        guard Self.acceptedChannels.contains(channels) else {
            throw MedleyError.invalidArgument("channel count \(channels) is out of range (\(Self.acceptedChannels))")
        }
        let container = try InputContainer(path: path)
        Self.enlargePCMPackets(container)
        let stream = try container.selectStream(type: AVMEDIA_TYPE_AUDIO, kind: "audio", requested: streamIndex)
        let decoder = try StreamDecoder(container: container, stream: stream, threadCount: 1)
        self.path = path
        self.sampleRate = sampleRate
        self.channelCount = channels
        self.streamIndex = Int(stream.pointee.index)
        self.decoder = decoder
        self.frame = try OwnedFrame()
        sourceSampleRate = Int(decoder.context.pointee.sample_rate)
        sourceChannelCount = Int(decoder.context.pointee.ch_layout.nb_channels)
        duration = decoder.duration
    }

    /// WAV (and Wave64) packets of 64 KiB rather than the demuxer's 4 KiB: a 10-minute 44.1 kHz stereo file is then
    /// 1,600 packets rather than 25,800, each with its own demux, decode and conversion calls (measured with the
    /// ffmpeg command line: 0.19-0.25 s of CPU instead of 0.28-0.34 s to decode that file). The samples are the same.
    private static func enlargePCMPackets(_ container: InputContainer) {
        guard ["wav", "w64"].contains(container.formatName),
              let demuxer = container.context.pointee.priv_data else { return }
        // The option is read at every packet; a demuxer without it just returns an error code, which changes nothing.
        _ = av_opt_set_int(demuxer, "max_size", Self.pcmPacketBytes, 0)
    }

    /// Bytes per WAV packet (FFmpeg 5.1's default is 4096).
    private static let pcmPacketBytes: Int64 = 1 << 16

    /// Reads the next chunk of at most `maxFrames` frames; nil once the stream is exhausted.
    ///
    /// Every chunk but the last has exactly `maxFrames` frames.
    public func read(maxFrames: Int) throws -> AudioBuffer? {
        var buffer = AudioBuffer(samples: [], sampleRate: sampleRate, channelCount: channelCount)
        return try read(into: &buffer, maxFrames: maxFrames) ? buffer : nil
    }

    /// Reads the next chunk into `buffer`, reusing its sample storage; returns false (and leaves `buffer`
    /// empty) at the end.
    ///
    /// The fast path for long files: no allocation once `buffer` has grown to `maxFrames`.
    public func read(into buffer: inout AudioBuffer, maxFrames: Int) throws -> Bool {
        guard maxFrames > 0 else { throw MedleyError.invalidArgument("maxFrames must be positive, got \(maxFrames)") }
        let wanted = maxFrames * channelCount
        while fifo.count < wanted && !finished {
            if try decoder.nextFrame(into: frame) {
                try convertCurrentFrame()
            } else {
                try resampler?.flush(into: fifo)
                finished = true
            }
        }
        buffer.samples.removeAll(keepingCapacity: true)
        buffer.sampleRate = sampleRate
        buffer.channelCount = channelCount
        buffer.startTime = (firstTime ?? 0) + Double(emittedFrames) / Double(sampleRate)
        if fifo.count == 0 { return false }
        fifo.pop(wanted, appendingTo: &buffer.samples)
        emittedFrames += buffer.samples.count / channelCount
        return true
    }

    /// The remaining audio as an async sequence of chunks of `frameCount` frames (the last may be shorter).
    ///
    /// Each step checks for cancellation and throws ``MedleyError/cancelled`` when the task is cancelled.
    /// The sequence reads from this decoder: do not call ``read(maxFrames:)`` while iterating it.
    public func chunks(frameCount: Int) -> AudioChunks {
        AudioChunks(decoder: self, frameCount: frameCount)
    }

    /// Decodes a whole file at once. Convenient for short clips; use the streaming API for long ones (this
    /// holds the entire result in memory).
    public static func readAll(path: String, sampleRate: Int, channels: Int) throws -> AudioBuffer {
        let decoder = try AudioDecoder(path: path, sampleRate: sampleRate, channels: channels)
        var all = AudioBuffer(samples: [], sampleRate: sampleRate, channelCount: channels)
        if let duration = decoder.duration {
            all.samples.reserveCapacity(Int((duration * Double(sampleRate)).rounded(.up) + 4096) * channels)
        }
        var chunk = AudioBuffer(samples: [], sampleRate: sampleRate, channelCount: channels)
        var first = true
        while try decoder.read(into: &chunk, maxFrames: 1 << 16) {
            if first {
                all.startTime = chunk.startTime
                first = false
            }
            all.samples.append(contentsOf: chunk.samples)
        }
        return all
    }

    private func convertCurrentFrame() throws {
        let pointer = frame.pointer
        if firstTime == nil {
            let time = frame.timestamp.map { decoder.seconds($0) } ?? 0
            firstTime = max(0, time)
        }
        if let current = resampler, !current.matches(pointer) {
            // The stream changed format mid-way (rate, layout): finish the old converter, start a new one.
            try current.flush(into: fifo)
            resampler = nil
        }
        if resampler == nil {
            resampler = try DecodingResampler(frame: pointer, outputRate: sampleRate, outputChannels: channelCount, path: path)
        }
        try resampler?.convert(pointer, into: fifo)
    }
}

@available(*, unavailable, message: "an AudioDecoder must be used from one task at a time")
extension AudioDecoder: Sendable {}

/// The chunks of an ``AudioDecoder`` as an `AsyncSequence` (see ``AudioDecoder/chunks(frameCount:)``).
///
/// Iterate it once, in one task. Cancellation of that task ends the iteration with ``MedleyError/cancelled``.
public struct AudioChunks: AsyncSequence {
    /// Each element is one chunk.
    public typealias Element = AudioBuffer
    /// Decoding errors are ``MedleyError``s; cancellation is ``MedleyError/cancelled``.
    public typealias Failure = any Error

    let decoder: AudioDecoder
    let frameCount: Int

    /// An iterator reading from the decoder; make one per sequence.
    public func makeAsyncIterator() -> Iterator {
        Iterator(decoder: decoder, frameCount: frameCount)
    }

    /// Reads one chunk per step from the decoder.
    public struct Iterator: AsyncIteratorProtocol {
        let decoder: AudioDecoder
        let frameCount: Int

        /// The next chunk, or nil at the end; throws ``MedleyError/cancelled`` when the task is cancelled.
        public mutating func next() async throws -> AudioBuffer? {
            try step()
        }

        /// Like ``next()``, running on the caller's actor so the decoder never crosses an isolation boundary.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> AudioBuffer? {
            try step()
        }

        private func step() throws -> AudioBuffer? {
            if Task.isCancelled { throw MedleyError.cancelled }
            return try decoder.read(maxFrames: frameCount)
        }
    }
}
