internal import CFFmpeg
import MedleyCore

/// An owned `AVPacket`, allocated once and reused for every read; freed in `deinit`.
final class DemuxedPacket {
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

/// An owned `AVFrame`, allocated once and reused for every decoded frame; freed in `deinit`.
final class DecodedFrame {
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

/// A name for a stream's codec that helps a person: FFmpeg's codec name, or the raw tag for codecs FFmpeg
/// does not know at all.
func codecDisplayName(_ parameters: UnsafePointer<AVCodecParameters>) -> String {
    let id = parameters.pointee.codec_id
    if id == AV_CODEC_ID_NONE, parameters.pointee.codec_tag != 0 {
        var buffer = [CChar](repeating: 0, count: 32)
        let tag = buffer.withUnsafeMutableBufferPointer { pointer -> String in
            guard let base = pointer.baseAddress, let text = av_fourcc_make_string(base, parameters.pointee.codec_tag) else {
                return "?"
            }
            return String(cString: text)
        }
        return "unknown (tag \(tag))"
    }
    guard let name = avcodec_get_name(id) else { return "unknown" }
    return String(cString: name)
}
