internal import CFFmpeg
import MedleyCore

/// One output track of a ``Muxer`` run, fed with the demuxed packets of its source stream.
///
/// Tracks are built (and their output streams added) before the header is written; they read the output
/// stream's final time base only when packets flow, because the muxer may change it in the header.
protocol MuxTrack: AnyObject {
    /// The source stream's packet; the caller unreferences it afterwards.
    func consume(_ packet: UnsafeMutablePointer<AVPacket>, into output: OutputContainer) throws
    /// Drains delayed output (decoders, encoders) at the end of the input.
    func finish(into output: OutputContainer) throws
    var summary: MuxSummary.Track { get }
}

/// Copies packets unchanged, only rescaling their timestamps: no decoding, no quality loss.
final class StreamCopyTrack: MuxTrack {
    private let source: UnsafeMutablePointer<AVStream>
    private let target: UnsafeMutablePointer<AVStream>
    let summary: MuxSummary.Track

    init(
        source: UnsafeMutablePointer<AVStream>, sourcePath: String, output: OutputContainer,
        kind: MuxSummary.Track.Kind
    ) throws {
        self.source = source
        target = try output.addStream()
        guard let parameters = target.pointee.codecpar else {
            throw MedleyError.internal("a new FFmpeg stream has no codec parameters")
        }
        let code = avcodec_parameters_copy(parameters, source.pointee.codecpar)
        if code < 0 { throw output.failure("copying stream parameters", code) }
        parameters.pointee.codec_tag = Self.codecTag(for: source.pointee.codecpar, in: output)
        target.pointee.time_base = source.pointee.time_base
        target.pointee.avg_frame_rate = source.pointee.avg_frame_rate
        target.pointee.r_frame_rate = source.pointee.r_frame_rate
        target.pointee.sample_aspect_ratio = source.pointee.sample_aspect_ratio
        try copySideData(from: source, to: target, output: output)
        summary = MuxSummary.Track(
            kind: kind, source: sourcePath, codec: ffmpegCodecName(parameters.pointee.codec_id), copied: true)
    }

    var stream: UnsafeMutablePointer<AVStream> { target }

    func consume(_ packet: UnsafeMutablePointer<AVPacket>, into output: OutputContainer) throws {
        av_packet_rescale_ts(packet, source.pointee.time_base, target.pointee.time_base)
        packet.pointee.stream_index = target.pointee.index
        packet.pointee.pos = -1
        try output.write(packet)
    }

    func finish(into output: OutputContainer) throws {}

    /// Keeps the source's codec tag (say `hvc1` rather than `hev1`) when the output container knows it for the
    /// same codec, as the ffmpeg tool does; otherwise 0 lets the muxer choose.
    private static func codecTag(for parameters: UnsafePointer<AVCodecParameters>, in output: OutputContainer) -> UInt32
    {
        let tag = parameters.pointee.codec_tag
        guard tag != 0 else { return 0 }
        guard let tags = output.context.pointee.oformat.pointee.codec_tag else { return 0 }
        if av_codec_get_id(tags, tag) == parameters.pointee.codec_id { return tag }
        var known: UInt32 = 0
        return av_codec_get_tag2(tags, parameters.pointee.codec_id, &known) == 0 ? tag : 0
    }
}

/// Stream-level side data (a phone video's rotation matrix, for instance) travels with a copied stream.
private func copySideData(
    from source: UnsafeMutablePointer<AVStream>, to target: UnsafeMutablePointer<AVStream>, output: OutputContainer
) throws {
    guard let entries = source.pointee.side_data else { return }
    for index in 0..<Int(source.pointee.nb_side_data) {
        let entry = entries[index]
        guard let data = av_stream_new_side_data(target, entry.type, entry.size) else {
            throw output.failure("copying stream side data", medley_averror(ENOMEM))
        }
        data.update(from: entry.data, count: entry.size)
    }
}

/// Decodes an audio stream and re-encodes it to AAC, for codecs the output container cannot hold.
final class AudioTranscodeTrack: MuxTrack {
    private let source: UnsafeMutablePointer<AVStream>
    private let sourcePath: String
    private let decoder: OwnedCodecContext
    private let pipeline: AudioEncodingPipeline
    private let target: UnsafeMutablePointer<AVStream>
    private let frame: OwnedFrame
    let summary: MuxSummary.Track

    /// FFmpeg's native AAC encoder: plays everywhere MP4 does and needs no external library.
    static let encoderName = "aac"

    init(
        source: UnsafeMutablePointer<AVStream>, sourcePath: String, output: OutputContainer, bitRate: Int?
    ) throws {
        self.source = source
        self.sourcePath = sourcePath
        decoder = try OwnedCodecContext(decoding: source, path: sourcePath)
        // The decoder opened, so the stream has codec parameters.
        let parameters = source.pointee.codecpar!
        let channels = Int(parameters.pointee.ch_layout.nb_channels)
        guard channels > 0, parameters.pointee.sample_rate > 0 else {
            throw MedleyError.unreadableMedia(
                path: sourcePath, reason: "the audio stream has no sample rate or channels")
        }
        pipeline = try AudioEncodingPipeline(
            .init(
                encoderName: Self.encoderName, inputSampleRate: Int(parameters.pointee.sample_rate),
                channelCount: channels, bitRate: bitRate, requiredSampleRate: nil,
                globalHeader: output.wantsGlobalHeader, allowDownmix: true),
            displayPath: output.displayPath)
        frame = try OwnedFrame()
        target = try output.addStream()
        let code = avcodec_parameters_from_context(target.pointee.codecpar, pipeline.context)
        if code < 0 { throw output.failure("copying codec parameters", code) }
        target.pointee.time_base = pipeline.context.pointee.time_base
        summary = MuxSummary.Track(kind: .audio, source: sourcePath, codec: "aac", copied: false)
    }

    var stream: UnsafeMutablePointer<AVStream> { target }

    func consume(_ packet: UnsafeMutablePointer<AVPacket>, into output: OutputContainer) throws {
        let code = avcodec_send_packet(decoder.pointer, packet)
        // A damaged packet costs a few milliseconds of sound, as with the ffmpeg tool, not the whole run.
        if code == medley_averror(EINVAL) || code == medley_averror_invaliddata() { return }
        if code < 0 { throw MedleyError.unreadableMedia(path: sourcePath, reason: ffmpegErrorString(code)) }
        try drainDecoder(into: output)
    }

    func finish(into output: OutputContainer) throws {
        let code = avcodec_send_packet(decoder.pointer, nil)
        if code < 0 && !isEndOfFile(code) {
            throw MedleyError.unreadableMedia(path: sourcePath, reason: ffmpegErrorString(code))
        }
        try drainDecoder(into: output)
        try pipeline.finish { try write($0, into: output) }
    }

    private func drainDecoder(into output: OutputContainer) throws {
        let frame = self.frame.pointer
        while true {
            let code = avcodec_receive_frame(decoder.pointer, frame)
            if isAgain(code) || isEndOfFile(code) { return }
            if code < 0 { throw MedleyError.unreadableMedia(path: sourcePath, reason: ffmpegErrorString(code)) }
            defer { av_frame_unref(frame) }
            let planes = UnsafeMutableRawPointer(frame.pointee.extended_data)
                .assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
            try pipeline.push(
                planes: planes, count: frame.pointee.nb_samples, format: AVSampleFormat(rawValue: frame.pointee.format),
                layout: &frame.pointee.ch_layout, rate: frame.pointee.sample_rate
            ) { try write($0, into: output) }
        }
    }

    private func write(_ packet: UnsafeMutablePointer<AVPacket>, into output: OutputContainer) throws {
        av_packet_rescale_ts(packet, pipeline.context.pointee.time_base, target.pointee.time_base)
        packet.pointee.stream_index = target.pointee.index
        try output.write(packet)
    }
}

/// Converts a text subtitle stream (SubRip, WebVTT, ASS) to MP4's `mov_text` (3GPP timed text).
///
/// FFmpeg 5.1 cannot copy SubRip packets into MP4, so each cue is decoded to an `AVSubtitle` and encoded again.
final class MovTextTrack: MuxTrack {
    private let source: UnsafeMutablePointer<AVStream>
    private let sourcePath: String
    private let decoder: OwnedCodecContext
    private let encoder: OwnedCodecContext
    private let target: UnsafeMutablePointer<AVStream>
    private let packet: OwnedPacket
    /// Reused output buffer; the ffmpeg tool uses the same bound for one encoded subtitle.
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    let summary: MuxSummary.Track

    /// Milliseconds: `AVSubtitle` display times are in milliseconds.
    private static let milliseconds = AVRational(num: 1, den: 1000)

    init(source: UnsafeMutablePointer<AVStream>, sourcePath: String, output: OutputContainer) throws {
        self.source = source
        self.sourcePath = sourcePath
        decoder = try OwnedCodecContext(decoding: source, path: sourcePath)
        guard let encoderCodec = avcodec_find_encoder(AV_CODEC_ID_MOV_TEXT) else {
            throw MedleyError.unsupportedCodec(path: output.displayPath, codec: "mov_text")
        }
        encoder = try OwnedCodecContext(codec: encoderCodec)
        encoder.pointer.pointee.time_base = Self.milliseconds
        // The mov_text encoder parses the ASS header the text decoders produce (styles, default font).
        if let header = decoder.pointer.pointee.subtitle_header, decoder.pointer.pointee.subtitle_header_size > 0 {
            let size = Int(decoder.pointer.pointee.subtitle_header_size)
            guard let copy = av_mallocz(size + 1)?.assumingMemoryBound(to: UInt8.self) else {
                throw MedleyError.internal("av_mallocz failed: out of memory")
            }
            copy.update(from: header, count: size)
            encoder.pointer.pointee.subtitle_header = copy
            encoder.pointer.pointee.subtitle_header_size = Int32(size)
        }
        var code = avcodec_open2(encoder.pointer, encoderCodec, nil)
        if code < 0 { throw output.failure("opening the mov_text encoder", code) }

        packet = try OwnedPacket()
        target = try output.addStream()
        code = avcodec_parameters_from_context(target.pointee.codecpar, encoder.pointer)
        if code < 0 { throw output.failure("copying codec parameters", code) }
        target.pointee.time_base = Self.milliseconds
        summary = MuxSummary.Track(kind: .subtitle, source: sourcePath, codec: "mov_text", copied: false)
    }

    var stream: UnsafeMutablePointer<AVStream> { target }

    func consume(_ input: UnsafeMutablePointer<AVPacket>, into output: OutputContainer) throws {
        var subtitle = AVSubtitle()
        var got: Int32 = 0
        let code = avcodec_decode_subtitle2(decoder.pointer, &subtitle, &got, input)
        if code < 0 { throw MedleyError.unreadableMedia(path: sourcePath, reason: ffmpegErrorString(code)) }
        guard got != 0 else { return }
        defer { avsubtitle_free(&subtitle) }
        guard subtitle.num_rects > 0, subtitle.pts != medley_av_nopts_value() else { return }

        // As the ffmpeg tool does: fold the display offset into pts, so the encoder sees a cue starting at 0.
        let start =
            av_rescale_q(subtitle.pts, AVRational(num: 1, den: medley_av_time_base()), Self.milliseconds)
            + Int64(subtitle.start_display_time)
        let duration = Int64(subtitle.end_display_time) - Int64(subtitle.start_display_time)
        subtitle.end_display_time = UInt32(clamping: max(0, duration))
        subtitle.start_display_time = 0

        let size = buffer.withUnsafeMutableBufferPointer {
            avcodec_encode_subtitle(encoder.pointer, $0.baseAddress, Int32($0.count), &subtitle)
        }
        if size < 0 { throw output.failure("encoding a subtitle", size) }
        let packet = self.packet.pointer
        defer { av_packet_unref(packet) }
        let allocated = av_new_packet(packet, size)
        if allocated < 0 { throw output.failure("allocating a subtitle packet", allocated) }
        buffer.withUnsafeBufferPointer { encoded in
            if let base = encoded.baseAddress { packet.pointee.data.update(from: base, count: Int(size)) }
        }
        packet.pointee.pts = start
        packet.pointee.dts = start
        packet.pointee.duration = max(0, duration)
        av_packet_rescale_ts(packet, Self.milliseconds, target.pointee.time_base)
        packet.pointee.stream_index = target.pointee.index
        try output.write(packet)
    }

    func finish(into output: OutputContainer) throws {}
}
