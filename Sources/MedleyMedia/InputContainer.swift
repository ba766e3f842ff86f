internal import CFFmpeg
import MedleyCore

/// An opened input file: owns one `AVFormatContext` and closes it in `deinit`.
///
/// Not thread-safe: one decoder uses it from one thread (or task) at a time.
final class InputContainer {
    let path: String
    let context: UnsafeMutablePointer<AVFormatContext>

    /// Opens `path`, reads the headers and probes the streams.
    ///
    /// Throws `fileNotFound`, `isDirectory` or `emptyFile` for bad paths (before FFmpeg sees them) and
    /// `unreadableMedia` when FFmpeg cannot open or parse the file.
    /// - Parameter demuxerOptions: FFmpeg demuxer options (e.g. `pattern_type=none` for single images);
    ///   options a demuxer does not know are ignored.
    init(path: String, demuxerOptions: [String: String] = [:]) throws {
        try requireReadableFile(path)
        self.path = path
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        var options: OpaquePointer? = nil
        for (key, value) in demuxerOptions {
            let set = av_dict_set(&options, key, value, 0)
            guard set >= 0 else {
                av_dict_free(&options)
                throw MedleyError.internal("av_dict_set(\(key)): \(ffmpegErrorString(set))")
            }
        }
        let openResult = avformat_open_input(&context, path, nil, &options)
        av_dict_free(&options)
        guard openResult >= 0, let opened = context else {
            throw MedleyError.unreadableMedia(path: path, reason: ffmpegErrorString(openResult))
        }
        self.context = opened
        let infoResult = avformat_find_stream_info(opened, nil)
        if infoResult < 0 {
            // deinit closes the context.
            throw MedleyError.unreadableMedia(path: path, reason: ffmpegErrorString(infoResult))
        }
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = self.context
        avformat_close_input(&context)
    }

    /// The demuxer's short name list, e.g. "mov,mp4,m4a,3gp,3g2,mj2".
    var formatName: String {
        guard let name = context.pointee.iformat?.pointee.name else { return "unknown" }
        return String(cString: name)
    }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    /// The container-level tags (`comment`, `encoder`, MP4 `mdta` keys...).
    var tags: [String: String] {
        var tags: [String: String] = [:]
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let next = av_dict_get(context.pointee.metadata, "", entry, AV_DICT_IGNORE_SUFFIX) {
            if let key = next.pointee.key, let value = next.pointee.value {
                tags[String(cString: key)] = String(cString: value)
            }
            entry = next
        }
        return tags
    }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream>? {
        guard index >= 0, index < streamCount, let streams = context.pointee.streams else { return nil }
        return streams[index]
    }

    /// The container's start time in seconds (0 when unknown). Decoders report times relative to it, so
    /// audio and video times of one file share one zero.
    var startTime: Double {
        let start = context.pointee.start_time
        if start == medley_av_nopts_value() { return 0 }
        return Double(start) / Double(medley_av_time_base())
    }

    /// The container's duration in seconds, or nil when unknown.
    var duration: Double? {
        let duration = context.pointee.duration
        if duration == medley_av_nopts_value() || duration <= 0 { return nil }
        return Double(duration) / Double(medley_av_time_base())
    }

    /// Picks a stream of `type`: the explicitly requested index (checked), or FFmpeg's best stream.
    ///
    /// - Throws: `invalidArgument` for an index out of range, `noStream` when the file (or the requested
    ///   stream) has no stream of that type.
    func selectStream(type: AVMediaType, kind: String, requested: Int?) throws -> UnsafeMutablePointer<AVStream> {
        if let requested {
            guard let stream = stream(requested) else {
                throw MedleyError.invalidArgument(
                    "\(path): stream index \(requested) does not exist (the file has \(streamCount) streams)")
            }
            guard stream.pointee.codecpar.pointee.codec_type == type else {
                throw MedleyError.noStream(path: path, kind: "\(kind) (stream \(requested) is not \(kind))")
            }
            return stream
        }
        let best = av_find_best_stream(context, type, -1, -1, nil, 0)
        if best >= 0, let stream = stream(Int(best)) { return stream }
        // av_find_best_stream skips streams without a decoder; fall back to any stream of the type so the
        // caller can report the codec as unsupported rather than "no stream".
        for index in 0..<streamCount {
            if let stream = stream(index), stream.pointee.codecpar.pointee.codec_type == type { return stream }
        }
        throw MedleyError.noStream(path: path, kind: kind)
    }

    /// The last error `av_read_frame` returned other than end-of-file, if any.
    private(set) var readError: Int32?

    /// Reads the next packet into `packet`. Returns false at the end of the file.
    ///
    /// A read error after the headers (a truncated or damaged file) ends the stream like end-of-file, as
    /// with the ffmpeg CLI: what was decoded stays valid. The error is kept in ``readError`` so a decoder
    /// that got nothing at all can report it.
    func readPacket(into packet: OwnedPacket) -> Bool {
        av_packet_unref(packet.pointer)
        let result = av_read_frame(context, packet.pointer)
        if result >= 0 { return true }
        if !isEndOfFile(result) { readError = result }
        return false
    }
}
