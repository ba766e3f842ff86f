internal import CFFmpeg
import MedleyCore

/// PCM in any FFmpeg sample format → resampler → FIFO → audio encoder → packets.
///
/// Encoders such as AAC (1024), Opus (960 at 48 kHz) and MP3 (1152) take frames of exactly `frame_size`
/// samples; callers push any number of samples and the `AVAudioFifo` regroups them. Owns every C handle it
/// creates and frees them in deinit, on success or error. Not thread-safe.
final class AudioEncodingPipeline {
    struct Settings {
        /// FFmpeg encoder name ("aac", "libopus", ...).
        var encoderName: String
        /// Rate of the PCM that will be pushed; the encoder runs at it when it supports it.
        var inputSampleRate: Int
        var channelCount: Int
        /// Bits per second; nil leaves the encoder's default.
        var bitRate: Int?
        /// Forces the encoder's rate (Opus: 48 kHz).
        var requiredSampleRate: Int?
        /// The container wants codec headers in extradata.
        var globalHeader: Bool
        /// When the encoder cannot take `channelCount` channels: downmix to stereo (true) or throw (false).
        var allowDownmix: Bool
    }

    /// Used when the encoder takes frames of any size (PCM): big enough to keep per-frame overhead low.
    private static let variableFrameSize: Int32 = 4096

    private let codec: OwnedCodecContext
    private let displayPath: String
    private let fifo: OpaquePointer
    private let converted: OwnedFrame
    private var convertedCapacity: Int32 = 0
    private let encodeFrame: OwnedFrame
    private let packet: OwnedPacket
    private var resampler: OpaquePointer?
    private var inputLayout = AVChannelLayout()
    private var inputFormat = AV_SAMPLE_FMT_NONE
    private var inputRate: Int32 = 0
    /// Samples per encoder frame.
    private let frameSize: Int32
    private let acceptsShortLastFrame: Bool
    private var nextPTS: Int64 = 0

    /// The open encoder context; its parameters go into the output stream (`avcodec_parameters_from_context`).
    var context: UnsafeMutablePointer<AVCodecContext> { codec.pointer }
    /// The rate the encoder runs at (may differ from the input rate).
    var sampleRate: Int { Int(context.pointee.sample_rate) }
    var channelCount: Int { Int(context.pointee.ch_layout.nb_channels) }

    /// Opens the encoder. Errors name `displayPath`.
    init(_ settings: Settings, displayPath: String) throws {
        self.displayPath = displayPath
        guard let encoder = avcodec_find_encoder_by_name(settings.encoderName) else {
            throw MedleyError.unsupportedCodec(path: displayPath, codec: settings.encoderName)
        }
        codec = try OwnedCodecContext(codec: encoder)
        converted = try OwnedFrame()
        encodeFrame = try OwnedFrame()
        packet = try OwnedPacket()
        let context = codec.pointer

        context.pointee.sample_fmt = Self.sampleFormat(for: encoder)
        let rate = settings.requiredSampleRate ?? Self.sampleRate(for: encoder, preferring: settings.inputSampleRate)
        context.pointee.sample_rate = Int32(rate)
        context.pointee.time_base = AVRational(num: 1, den: Int32(rate))
        try Self.setChannelLayout(
            of: context, encoder: encoder, channels: settings.channelCount, allowDownmix: settings.allowDownmix,
            displayPath: displayPath, encoderName: settings.encoderName)
        if let bitRate = settings.bitRate { context.pointee.bit_rate = Int64(bitRate) }
        if settings.globalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }

        var code = avcodec_open2(context, encoder, nil)
        if code < 0 {
            throw MedleyError.writeFailed(
                path: displayPath,
                reason: "cannot open the \(settings.encoderName) encoder at \(rate) Hz, "
                    + "\(settings.channelCount) channel(s): \(ffmpegErrorString(code))")
        }

        let variable = (encoder.pointee.capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0
        frameSize = (context.pointee.frame_size > 0 && !variable) ? context.pointee.frame_size : Self.variableFrameSize
        acceptsShortLastFrame =
            variable || context.pointee.frame_size == 0
            || (encoder.pointee.capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME) != 0

        guard
            let fifo = av_audio_fifo_alloc(
                context.pointee.sample_fmt, context.pointee.ch_layout.nb_channels, frameSize * 2)
        else { throw MedleyError.internal("av_audio_fifo_alloc failed: out of memory") }
        self.fifo = fifo

        let frame = encodeFrame.pointer
        frame.pointee.format = context.pointee.sample_fmt.rawValue
        frame.pointee.sample_rate = context.pointee.sample_rate
        frame.pointee.nb_samples = frameSize
        code = av_channel_layout_copy(&frame.pointee.ch_layout, &context.pointee.ch_layout)
        if code >= 0 { code = av_frame_get_buffer(frame, 0) }
        if code < 0 { throw MedleyError.internal("allocating an audio frame: \(ffmpegErrorString(code))") }
    }

    deinit {
        av_audio_fifo_free(fifo)
        swr_free(&resampler)
        av_channel_layout_uninit(&inputLayout)
    }

    /// Converts and queues `count` samples per channel from `planes` (one pointer for interleaved formats,
    /// one per channel for planar ones), encoding every full frame. `emit` receives each packet in the
    /// encoder's time base; the packet is unreferenced after `emit` returns.
    func push(
        planes: UnsafeMutablePointer<UnsafePointer<UInt8>?>, count: Int32, format: AVSampleFormat,
        layout: UnsafePointer<AVChannelLayout>, rate: Int32,
        emit: (UnsafeMutablePointer<AVPacket>) throws -> Void
    ) throws {
        guard count > 0 else { return }
        try configureResampler(format: format, layout: layout, rate: rate)
        try convert(planes: planes, count: count)
        while av_audio_fifo_size(fifo) >= frameSize { try encodeFromFIFO(frameSize, emit: emit) }
    }

    /// Drains the resampler and the FIFO (the last frame short or padded with silence, as the encoder
    /// allows), then flushes the encoder's delayed packets.
    func finish(emit: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        if resampler != nil { try convert(planes: nil, count: 0) }
        while av_audio_fifo_size(fifo) >= frameSize { try encodeFromFIFO(frameSize, emit: emit) }
        let rest = av_audio_fifo_size(fifo)
        if rest > 0 { try encodeFromFIFO(rest, emit: emit) }
        let code = avcodec_send_frame(context, nil)
        if code < 0 && !isEndOfFile(code) { throw failure("flushing the encoder", code) }
        try receivePackets(emit: emit)
    }

    // MARK: - Steps

    private func configureResampler(
        format: AVSampleFormat, layout: UnsafePointer<AVChannelLayout>, rate: Int32
    ) throws {
        if resampler != nil && format == inputFormat && rate == inputRate
            && av_channel_layout_compare(&inputLayout, layout) == 0
        {
            return
        }
        swr_free(&resampler)
        av_channel_layout_uninit(&inputLayout)
        var code = av_channel_layout_copy(&inputLayout, layout)
        if code < 0 { throw failure("copying the channel layout", code) }
        if inputLayout.order == AV_CHANNEL_ORDER_UNSPEC {
            // Decoders of formats without a layout (raw PCM) leave the order unspecified: assume the default.
            let channels = inputLayout.nb_channels
            av_channel_layout_uninit(&inputLayout)
            av_channel_layout_default(&inputLayout, channels)
        }
        inputFormat = format
        inputRate = rate
        code = swr_alloc_set_opts2(
            &resampler, &context.pointee.ch_layout, context.pointee.sample_fmt, context.pointee.sample_rate,
            &inputLayout, format, rate, 0, nil)
        if code >= 0 { code = swr_init(resampler) }
        if code < 0 {
            swr_free(&resampler)
            throw failure("setting up the resampler (\(rate) Hz → \(context.pointee.sample_rate) Hz)", code)
        }
    }

    /// Runs the resampler (`planes == nil` drains it) and appends its output to the FIFO.
    private func convert(planes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int32) throws {
        while true {
            let capacity = swr_get_out_samples(resampler, count)
            if capacity < 0 { throw failure("resampling", capacity) }
            if capacity == 0 { return }
            try reserveConverted(capacity)
            let produced = swr_convert(resampler, converted.pointer.pointee.extended_data, capacity, planes, count)
            if produced < 0 { throw failure("resampling", produced) }
            if produced > 0 {
                let written = av_audio_fifo_write(fifo, rawPlanes(converted.pointer), produced)
                if written < produced {
                    throw failure("queueing samples", written < 0 ? written : medley_averror(ENOMEM))
                }
            }
            // With input, one call converts all of it; when draining, repeat until the resampler is empty.
            if planes != nil || produced == 0 { return }
        }
    }

    private func reserveConverted(_ capacity: Int32) throws {
        guard capacity > convertedCapacity else { return }
        let frame = converted.pointer
        av_frame_unref(frame)
        frame.pointee.format = context.pointee.sample_fmt.rawValue
        frame.pointee.nb_samples = capacity
        var code = av_channel_layout_copy(&frame.pointee.ch_layout, &context.pointee.ch_layout)
        if code >= 0 { code = av_frame_get_buffer(frame, 0) }
        if code < 0 { throw failure("allocating a conversion buffer", code) }
        convertedCapacity = capacity
    }

    private func encodeFromFIFO(_ count: Int32, emit: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        let frame = encodeFrame.pointer
        frame.pointee.nb_samples = frameSize
        var code = av_frame_make_writable(frame)
        if code < 0 { throw failure("preparing a frame", code) }
        let read = av_audio_fifo_read(fifo, rawPlanes(frame), count)
        if read < count { throw failure("reading queued samples", read < 0 ? read : medley_averror(EIO)) }
        if count < frameSize && !acceptsShortLastFrame {
            code = av_samples_set_silence(
                frame.pointee.extended_data, count, frameSize - count, frame.pointee.ch_layout.nb_channels,
                context.pointee.sample_fmt)
            if code < 0 { throw failure("padding the last frame", code) }
        } else {
            frame.pointee.nb_samples = count
        }
        frame.pointee.pts = nextPTS
        nextPTS += Int64(frame.pointee.nb_samples)
        code = avcodec_send_frame(context, frame)
        if code < 0 { throw failure("encoding", code) }
        try receivePackets(emit: emit)
    }

    private func receivePackets(emit: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        let packet = self.packet.pointer
        while true {
            let code = avcodec_receive_packet(context, packet)
            if isAgain(code) || isEndOfFile(code) { return }
            if code < 0 { throw failure("encoding", code) }
            defer { av_packet_unref(packet) }
            try emit(packet)
        }
    }

    private func failure(_ step: String, _ code: Int32) -> MedleyError {
        .writeFailed(path: displayPath, reason: "\(step): \(ffmpegErrorString(code))")
    }

    // MARK: - Encoder choices

    /// Float first (our samples are float), then 16-bit, then 32-bit integer. FLAC offers only integers and
    /// lists 16-bit first, so FLAC output is 16-bit.
    private static func sampleFormat(for encoder: UnsafePointer<AVCodec>) -> AVSampleFormat {
        guard let list = encoder.pointee.sample_fmts else { return AV_SAMPLE_FMT_FLT }
        var offered: [AVSampleFormat] = []
        var index = 0
        while list[index] != AV_SAMPLE_FMT_NONE {
            offered.append(list[index])
            index += 1
        }
        let preference = [AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_FLTP]
        return preference.first(where: offered.contains) ?? offered.first ?? AV_SAMPLE_FMT_FLT
    }

    /// The input rate when the encoder supports it, else the lowest supported rate above it, else the highest.
    private static func sampleRate(for encoder: UnsafePointer<AVCodec>, preferring rate: Int) -> Int {
        guard let list = encoder.pointee.supported_samplerates else { return rate }
        var rates: [Int] = []
        var index = 0
        while list[index] != 0 {
            rates.append(Int(list[index]))
            index += 1
        }
        if rates.isEmpty || rates.contains(rate) { return rate }
        return rates.filter { $0 > rate }.min() ?? rates.max() ?? rate
    }

    private static func setChannelLayout(
        of context: UnsafeMutablePointer<AVCodecContext>, encoder: UnsafePointer<AVCodec>, channels: Int,
        allowDownmix: Bool, displayPath: String, encoderName: String
    ) throws {
        var wanted = AVChannelLayout()
        av_channel_layout_default(&wanted, Int32(channels))
        defer { av_channel_layout_uninit(&wanted) }
        var chosen: UnsafePointer<AVChannelLayout>?
        var fallback: UnsafePointer<AVChannelLayout>?
        if let list = encoder.pointee.ch_layouts {
            var index = 0
            while list[index].nb_channels != 0 {
                let candidate = list + index
                if av_channel_layout_compare(candidate, &wanted) == 0 {
                    chosen = candidate
                    break
                }
                if chosen == nil && candidate.pointee.nb_channels == Int32(channels) { chosen = candidate }
                if candidate.pointee.nb_channels == 2 { fallback = candidate }
                index += 1
            }
            if chosen == nil {
                guard allowDownmix, let fallback else {
                    throw MedleyError.invalidArgument(
                        "\(displayPath): the \(encoderName) encoder cannot write \(channels) channel(s); "
                            + "mix the audio down (for example with AudioBuffer.mixedToMono()) "
                            + "or choose another format")
                }
                chosen = fallback
            }
        }
        let code =
            chosen.map { av_channel_layout_copy(&context.pointee.ch_layout, $0) }
            ?? av_channel_layout_copy(&context.pointee.ch_layout, &wanted)
        if code < 0 { throw MedleyError.internal("copying a channel layout: \(ffmpegErrorString(code))") }
    }
}

/// A frame's plane pointers as the `void **` that `av_audio_fifo_read/write` take.
private func rawPlanes(_ frame: UnsafeMutablePointer<AVFrame>) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
    UnsafeMutableRawPointer(frame.pointee.extended_data).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
}
