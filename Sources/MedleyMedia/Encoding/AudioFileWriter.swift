internal import CFFmpeg
import MedleyCore

/// Writes audio to a file chunk by chunk: WAV, FLAC, MP3, Opus or AAC, with tags.
///
/// Create it, call ``write(_:)`` with buffers of any length, then ``finish()``. Until `finish()` returns, the
/// bytes go to a hidden temporary file in the output's folder; `finish()` renames it over `path`. If a call
/// throws, or the writer is released (or ``cancel()``ed) before `finish()`, the temporary file is removed and
/// `path` is left as it was: there is never a partial output.
///
/// Samples are resampled when the codec needs it (Opus always runs at 48 kHz; MP3 and AAC take a fixed set of
/// rates) and regrouped into the encoder's frame size (AAC 1024, Opus 960, MP3 1152) internally.
///
/// **Threading:** a writer holds FFmpeg state and is not `Sendable`; use it from one task or thread at a time.
/// **Ownership:** the writer owns its FFmpeg handles and frees them when released; `write(_:)` copies what it
/// needs from the buffer.
public final class AudioFileWriter {
    /// The output path (the file appears there only when ``finish()`` succeeds).
    public let path: String
    /// The format being written.
    public let format: AudioFileFormat
    /// The rate of the buffers ``write(_:)`` accepts.
    public let sampleRate: Int
    /// The channel count of the buffers ``write(_:)`` accepts.
    public let channelCount: Int
    /// The sample rate stored in the file (48,000 for Opus; otherwise `sampleRate` unless the codec cannot
    /// store it, as MP3 cannot store 96 kHz).
    public var encodedSampleRate: Int { pipeline.sampleRate }
    /// Frames written so far, at `sampleRate`.
    public private(set) var framesWritten = 0

    private enum State { case open, finished, failed }
    private var state = State.open
    private let temporary: TemporaryOutputFile
    private var container: OutputContainer?
    private let pipeline: AudioEncodingPipeline
    private let stream: UnsafeMutablePointer<AVStream>
    private var inputLayout = AVChannelLayout()
    /// Frames per call into the encoder: bounds the conversion buffer for long buffers.
    private static let chunkFrames = 32_768

    /// Opens a writer; nothing appears at `path` until ``finish()``.
    ///
    /// - Parameters:
    ///   - path: The output file. Its folder must exist; an existing file is replaced on `finish()`.
    ///   - format: The format; nil picks it from the extension (`.wav .flac .mp3 .opus .ogg .m4a .aac`).
    ///     When given, the extension must be one of the format's ``AudioFileFormat/fileExtensions``.
    ///   - sampleRate: Rate of the buffers that will be written (Hz).
    ///   - channels: Channel count of the buffers (1-8; MP3 and Opus take 1 or 2).
    ///   - bitRate: Bits per second for the lossy formats (ignored by WAV and FLAC); nil keeps the encoder's
    ///     default.
    ///   - metadata: Tags for the container, such as `title`, `comment`, `description`. Every value is kept in
    ///     every format: where the tag format cannot hold a key (WAV's RIFF INFO has a fixed set of keys; FFmpeg
    ///     stores `comment` and `description` in the one Vorbis `DESCRIPTION` field of FLAC and Ogg) the value
    ///     is appended to `comment` (comment, then description, then `key: value` lines).
    /// - Throws: ``MedleyError`` naming `path`: `invalidArgument` for a bad extension, rate, channel count
    ///   or tag; `writeFailed` when the folder is missing or FFmpeg fails; `unsupportedCodec` when this FFmpeg
    ///   build lacks the encoder.
    public init(
        path: String, format: AudioFileFormat? = nil, sampleRate: Int, channels: Int, bitRate: Int? = nil,
        metadata: [String: String] = [:]
    ) throws {
        let (chosen, plan) = try AudioContainerPlan.make(path: path, format: format)
        guard (1...maximumSampleRate).contains(sampleRate) else {
            throw MedleyError.invalidArgument(
                "\(path): sample rate \(sampleRate) Hz is out of range (1...\(maximumSampleRate))")
        }
        guard (1...plan.maximumChannels).contains(channels) else {
            throw MedleyError.invalidArgument(
                "\(path): \(chosen) takes 1 to \(plan.maximumChannels) channels, not \(channels); "
                    + "mix the audio down first")
        }
        if let bitRate, bitRate <= 0 {
            throw MedleyError.invalidArgument("\(path): bit rate must be positive, not \(bitRate)")
        }
        try validateTags(metadata)
        self.path = path
        self.format = chosen
        self.sampleRate = sampleRate
        self.channelCount = channels
        av_channel_layout_default(&inputLayout, Int32(channels))

        temporary = try TemporaryOutputFile(for: path)
        do {
            let container = try OutputContainer(
                path: temporary.temporaryPath, muxerName: plan.muxerName, displayPath: path)
            pipeline = try AudioEncodingPipeline(
                .init(
                    encoderName: plan.encoderName, inputSampleRate: sampleRate, channelCount: channels,
                    bitRate: chosen.isLossless ? nil : bitRate, requiredSampleRate: plan.requiredSampleRate,
                    globalHeader: container.wantsGlobalHeader, allowDownmix: false),
                displayPath: path)
            stream = try container.addStream()
            var code = avcodec_parameters_from_context(stream.pointee.codecpar, pipeline.context)
            if code < 0 { throw container.failure("copying codec parameters", code) }
            stream.pointee.time_base = pipeline.context.pointee.time_base
            let tags = containerTags(metadata, style: plan.tagStyle)
            try container.setMetadata(tags)
            if plan.tagsOnStream {
                for (key, value) in tags {
                    code = av_dict_set(&stream.pointee.metadata, key, value, 0)
                    if code < 0 { throw container.failure("setting tag \(key)", code) }
                }
            }
            try container.writeHeader(options: plan.muxerOptions)
            self.container = container
        } catch {
            temporary.discard()
            av_channel_layout_uninit(&inputLayout)
            throw error
        }
    }

    deinit {
        // Close the file before removing it; an unfinished writer leaves nothing behind.
        container = nil
        if state != .finished { temporary.discard() }
        av_channel_layout_uninit(&inputLayout)
    }

    /// Encodes `buffer`, which must have the writer's sample rate and channel count.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` for a mismatched buffer or a writer that is finished
    ///   or failed; ``MedleyError/writeFailed(path:reason:)`` when encoding fails, after which the writer is
    ///   failed and its temporary file removed.
    public func write(_ buffer: AudioBuffer) throws {
        try requireOpen()
        guard buffer.sampleRate == sampleRate, buffer.channelCount == channelCount else {
            throw MedleyError.invalidArgument(
                "\(path): the writer takes \(sampleRate) Hz, \(channelCount) channel(s); got \(buffer.sampleRate) Hz, "
                    + "\(buffer.channelCount) channel(s)")
        }
        try failing {
            try buffer.samples.withUnsafeBufferPointer { samples in
                guard let base = samples.baseAddress else { return }
                var start = 0
                while start < buffer.frameCount {
                    let count = min(Self.chunkFrames, buffer.frameCount - start)
                    var plane: UnsafePointer<UInt8>? = UnsafeRawPointer(base + start * channelCount)
                        .assumingMemoryBound(to: UInt8.self)
                    try pipeline.push(
                        planes: &plane, count: Int32(count), format: AV_SAMPLE_FMT_FLT, layout: &inputLayout,
                        rate: Int32(sampleRate), emit: writePacket)
                    start += count
                }
            }
        }
        framesWritten += buffer.frameCount
    }

    /// Flushes the encoder, completes the file and moves it to ``path``. Calling it again does nothing.
    ///
    /// - Throws: ``MedleyError/writeFailed(path:reason:)``; the temporary file is then removed.
    public func finish() throws {
        if state == .finished { return }
        try requireOpen()
        try failing {
            try pipeline.finish(emit: writePacket)
            try container?.finish()
            container = nil
            try temporary.commit()
        }
        state = .finished
    }

    /// Abandons the output: removes the temporary file and leaves `path` untouched. Later calls throw.
    public func cancel() {
        guard state == .open else { return }
        state = .failed
        container = nil
        temporary.discard()
    }

    private func requireOpen() throws {
        switch state {
        case .open: return
        case .finished: throw MedleyError.invalidArgument("\(path): the audio writer is already finished")
        case .failed: throw MedleyError.invalidArgument("\(path): the audio writer failed or was cancelled earlier")
        }
    }

    /// Runs `body`; on a throw, discards the output before rethrowing.
    private func failing(_ body: () throws -> Void) throws {
        do { try body() } catch {
            cancel()
            throw error
        }
    }

    private func writePacket(_ packet: UnsafeMutablePointer<AVPacket>) throws {
        guard let container else { throw MedleyError.internal("audio writer for \(path) has no open container") }
        packet.pointee.stream_index = stream.pointee.index
        av_packet_rescale_ts(packet, pipeline.context.pointee.time_base, stream.pointee.time_base)
        try container.write(packet)
    }
}

/// The highest rate FFmpeg's resampler and our formats are asked to handle (768 kHz, DXD x 2).
private let maximumSampleRate = 768_000

/// One-shot audio file writing.
public enum AudioWriter {
    /// Writes `buffer` to `path` in one call, atomically (see ``AudioFileWriter``).
    ///
    /// Blocking; safe to call from any thread, as each call has its own FFmpeg state.
    ///
    /// - Parameters:
    ///   - buffer: The audio; it is read, not retained.
    ///   - path: The output; the format comes from its extension unless `format` is given.
    ///   - format: The format, or nil for the extension's.
    ///   - bitRate: Bits per second for lossy formats; nil for the encoder's default.
    ///   - metadata: Container tags (see ``AudioFileWriter/init(path:format:sampleRate:channels:bitRate:metadata:)``).
    /// - Throws: ``MedleyError`` naming `path`; no file is left behind on error.
    public static func write(
        _ buffer: AudioBuffer, to path: String, format: AudioFileFormat? = nil, bitRate: Int? = nil,
        metadata: [String: String] = [:]
    ) throws {
        let writer = try AudioFileWriter(
            path: path, format: format, sampleRate: buffer.sampleRate, channels: buffer.channelCount,
            bitRate: bitRate, metadata: metadata)
        try writer.write(buffer)
        try writer.finish()
    }
}
