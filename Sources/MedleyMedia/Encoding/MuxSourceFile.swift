internal import CFFmpeg
import MedleyCore

/// An input file opened for packet copying by ``Muxer``: owns its `AVFormatContext` and closes it in deinit.
///
/// Errors name the file. Not thread-safe.
final class MuxSourceFile {
    let path: String
    let context: UnsafeMutablePointer<AVFormatContext>

    /// Opens `path` and reads its stream parameters.
    init(path: String) throws {
        try requireReadableFile(path)
        self.path = path
        var raw: UnsafeMutablePointer<AVFormatContext>?
        let code = avformat_open_input(&raw, path, nil, nil)
        guard code >= 0, let raw else { throw MedleyError.unreadableMedia(path: path, reason: ffmpegErrorString(code)) }
        context = raw
        let infoCode = avformat_find_stream_info(raw, nil)
        if infoCode < 0 { throw MedleyError.unreadableMedia(path: path, reason: ffmpegErrorString(infoCode)) }
        // FFmpeg's "tty" demuxer reads a text file that starts with an ANSI escape (a saved coloured log, say)
        // as "ANSI art" video; that is never what a caller means.
        if String(cString: raw.pointee.iformat.pointee.name) == "tty" {
            throw MedleyError.unreadableMedia(path: path, reason: "this is a text file, not audio or video")
        }
    }

    deinit {
        var raw: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&raw)
    }

    /// A stream by index. Indices come from FFmpeg (best-stream search, `nb_streams`, demuxed packets), and
    /// FFmpeg keeps every entry below `nb_streams` non-null.
    func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream> { context.pointee.streams[Int(index)]! }

    var streamIndices: Range<Int32> { 0..<Int32(context.pointee.nb_streams) }

    /// The stream FFmpeg ranks best for `type`, or nil. Cover art (an attached picture) is not video.
    func bestStream(_ type: AVMediaType) -> Int32? {
        let index = av_find_best_stream(context, type, -1, -1, nil, 0)
        guard index >= 0 else { return nil }
        if type == AVMEDIA_TYPE_VIDEO && (stream(index).pointee.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0 {
            return nil
        }
        return index
    }

    /// All streams of `type` (cover art excluded).
    func streams(of type: AVMediaType) -> [Int32] {
        streamIndices.filter {
            let stream = self.stream($0)
            return stream.pointee.codecpar.pointee.codec_type == type
                && (stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC) == 0
        }
    }

    /// Reads the next packet into `packet`; false at the end of the file.
    func read(into packet: UnsafeMutablePointer<AVPacket>) throws -> Bool {
        let code = av_read_frame(context, packet)
        if isEndOfFile(code) { return false }
        if code < 0 { throw MedleyError.unreadableMedia(path: path, reason: ffmpegErrorString(code)) }
        return true
    }
}

/// FFmpeg's name for a codec id ("h264", "aac", "subrip").
func ffmpegCodecName(_ id: AVCodecID) -> String {
    String(cString: avcodec_get_name(id))
}
