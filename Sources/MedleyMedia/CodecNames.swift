internal import CFFmpeg

/// FFmpeg's name for a codec id ("h264", "aac", "subrip").
func ffmpegCodecName(_ id: AVCodecID) -> String {
    avcodec_get_name(id).map { String(cString: $0) } ?? "unknown"
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
    return ffmpegCodecName(id)
}
