internal import CFFmpeg
import MedleyCore

/// An output file being written by one FFmpeg muxer: owns the `AVFormatContext` and its `AVIOContext`.
///
/// Errors name `displayPath` (the file the caller asked for), not the temporary file actually written.
/// Not thread-safe; one writer uses it at a time.
final class OutputContainer {
    let context: UnsafeMutablePointer<AVFormatContext>
    let displayPath: String
    private var headerWritten = false
    private var trailerWritten = false

    /// Opens `path` for writing with the muxer named `muxerName` (nil: guess from the extension).
    init(path: String, muxerName: String?, displayPath: String) throws {
        self.displayPath = displayPath
        var raw: UnsafeMutablePointer<AVFormatContext>?
        let code = avformat_alloc_output_context2(&raw, nil, muxerName, path)
        guard code >= 0, let raw else {
            throw MedleyError.writeFailed(
                path: displayPath,
                reason: "no FFmpeg muxer \(muxerName ?? "for this extension") (\(ffmpegErrorString(code)))")
        }
        context = raw
        if (raw.pointee.oformat.pointee.flags & AVFMT_NOFILE) == 0 {
            let openCode = avio_open(&raw.pointee.pb, path, AVIO_FLAG_WRITE)
            // Every stored property is set, so deinit frees the context when this throws.
            if openCode < 0 { throw MedleyError.writeFailed(path: displayPath, reason: ffmpegErrorString(openCode)) }
        }
    }

    deinit {
        // avformat_free_context runs the muxer's deinit when the header was written but not the trailer.
        if context.pointee.pb != nil { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    /// True when the container wants codec headers in extradata (MP4, Matroska, Ogg) rather than in-band.
    var wantsGlobalHeader: Bool { (context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER) != 0 }

    /// The muxer's short name ("mp4", "matroska", ...).
    var muxerName: String { String(cString: context.pointee.oformat.pointee.name) }

    /// Adds a stream; its parameters are the caller's to fill in before ``writeHeader(options:)``.
    func addStream() throws -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(context, nil) else {
            throw MedleyError.internal("avformat_new_stream failed for \(displayPath): out of memory")
        }
        return stream
    }

    /// Sets container-level tags.
    func setMetadata(_ tags: [(String, String)]) throws {
        for (key, value) in tags {
            let code = av_dict_set(&context.pointee.metadata, key, value, 0)
            if code < 0 { throw failure("setting tag \(key)", code) }
        }
    }

    /// Writes the header; the muxer may change each stream's `time_base` here.
    func writeHeader(options: [(String, String)] = []) throws {
        var dictionary: OpaquePointer?
        defer { av_dict_free(&dictionary) }
        for (key, value) in options {
            let code = av_dict_set(&dictionary, key, value, 0)
            if code < 0 { throw failure("setting muxer option \(key)", code) }
        }
        let code = avformat_write_header(context, &dictionary)
        if code < 0 { throw failure("writing the header", code) }
        headerWritten = true
    }

    /// Writes one packet (already in the stream's time base, with `stream_index` set). Takes the packet's
    /// data: the packet is blank on return, as `av_interleaved_write_frame` leaves it.
    func write(_ packet: UnsafeMutablePointer<AVPacket>) throws {
        let code = av_interleaved_write_frame(context, packet)
        if code < 0 { throw failure("writing a packet", code) }
    }

    /// Flushes the interleaving queue, writes the trailer and closes the file.
    func finish() throws {
        guard headerWritten, !trailerWritten else { return }
        trailerWritten = true
        let code = av_write_trailer(context)
        if code < 0 { throw failure("writing the trailer", code) }
        if context.pointee.pb != nil {
            let closeCode = avio_closep(&context.pointee.pb)
            if closeCode < 0 { throw failure("closing the file", closeCode) }
        }
    }

    func failure(_ step: String, _ code: Int32) -> MedleyError {
        .writeFailed(path: displayPath, reason: "\(step): \(ffmpegErrorString(code))")
    }
}
