internal import CFFmpeg
import MedleyCore

// The one owning Swift wrapper for each FFmpeg handle that MedleyMedia allocates per use. Decoding and writing
// share them; each frees its handle in `deinit`, so a throwing initialiser of an owner leaks nothing.

/// An owned `AVPacket`, allocated once and reused across a read, decode or encode loop; freed in `deinit`.
final class OwnedPacket {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() throws {
        guard let packet = av_packet_alloc() else { throw MedleyError.internal("av_packet_alloc failed (out of memory)") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}

/// An owned `AVFrame`, allocated once and reused for every frame of a loop; freed in `deinit`.
final class OwnedFrame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() throws {
        guard let frame = av_frame_alloc() else { throw MedleyError.internal("av_frame_alloc failed (out of memory)") }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    /// The frame's presentation time in stream time-base units (best effort), or nil when unknown.
    var timestamp: Int64? {
        let best = pointer.pointee.best_effort_timestamp
        if best != medley_av_nopts_value() { return best }
        let pts = pointer.pointee.pts
        return pts == medley_av_nopts_value() ? nil : pts
    }

    /// The plane pointers as the array-of-pointers that swscale and swresample take.
    func withPlanes<R>(_ body: (UnsafePointer<UnsafePointer<UInt8>?>, UnsafePointer<Int32>) throws -> R) rethrows -> R {
        try withUnsafePointer(to: &pointer.pointee.data) { data in
            try withUnsafePointer(to: &pointer.pointee.linesize) { linesize in
                try data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { planes in
                    try linesize.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                        try body(planes, strides)
                    }
                }
            }
        }
    }
}

/// An owned `AVCodecContext` (a decoder or an encoder); freed in `deinit`.
final class OwnedCodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    /// Allocates a context for `codec`; the caller configures and opens it.
    init(codec: UnsafePointer<AVCodec>) throws {
        guard let context = avcodec_alloc_context3(codec) else {
            throw MedleyError.internal("avcodec_alloc_context3 failed (out of memory)")
        }
        pointer = context
    }

    /// Opens a decoder for `stream` of the file at `path`: the stream's codec parameters and time base, then
    /// `configure` (threads, error handling) just before `avcodec_open2`.
    ///
    /// - Throws: `unsupportedCodec` when this FFmpeg build has no decoder for the stream's codec,
    ///   `unreadableMedia` when the decoder refuses the stream's parameters. Both name `path`.
    convenience init(
        decoding stream: UnsafeMutablePointer<AVStream>, path: String,
        configure: (UnsafeMutablePointer<AVCodecContext>) -> Void = { _ in }
    ) throws {
        guard let parameters = stream.pointee.codecpar else {
            throw MedleyError.unreadableMedia(path: path, reason: "stream \(stream.pointee.index) has no codec parameters")
        }
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw MedleyError.unsupportedCodec(path: path, codec: codecDisplayName(parameters))
        }
        try self.init(codec: codec)
        let copied = avcodec_parameters_to_context(pointer, parameters)
        guard copied >= 0 else { throw MedleyError.unreadableMedia(path: path, reason: ffmpegErrorString(copied)) }
        pointer.pointee.pkt_timebase = stream.pointee.time_base
        configure(pointer)
        let opened = avcodec_open2(pointer, codec, nil)
        guard opened >= 0 else {
            throw MedleyError.unreadableMedia(
                path: path, reason: "cannot open the \(codecDisplayName(parameters)) decoder: \(ffmpegErrorString(opened))")
        }
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }
}
