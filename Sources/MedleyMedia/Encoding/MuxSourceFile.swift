internal import CFFmpeg
import MedleyCore

/// An input file of a ``Muxer`` run: an ``InputContainer`` seen as streams to copy, with the muxer's rules
/// for which files and streams count.
///
/// Errors name the file. Not thread-safe.
struct MuxSourceFile {
    let input: InputContainer

    var path: String { input.path }

    /// Opens `path` and reads its stream parameters (errors as ``InputContainer/init(path:demuxerOptions:)``).
    init(path: String) throws {
        input = try InputContainer(path: path)
        // FFmpeg's "tty" demuxer reads a text file that starts with an ANSI escape (a saved coloured log, say)
        // as "ANSI art" video; that is never what a caller means.
        if input.formatName == "tty" {
            throw MedleyError.unreadableMedia(path: path, reason: "this is a text file, not audio or video")
        }
    }

    /// A stream by index. Indices come from FFmpeg (best-stream search, `nb_streams`, demuxed packets), and
    /// FFmpeg keeps every entry below `nb_streams` non-null.
    func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream> { input.context.pointee.streams[Int(index)]! }

    var streamIndices: Range<Int32> { 0..<Int32(input.streamCount) }

    /// The stream FFmpeg ranks best for `type`, or nil. Cover art (an attached picture) is not video.
    func bestStream(_ type: AVMediaType) -> Int32? {
        let index = av_find_best_stream(input.context, type, -1, -1, nil, 0)
        guard index >= 0 else { return nil }
        if type == AVMEDIA_TYPE_VIDEO && (stream(index).pointee.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0 {
            return nil
        }
        return index
    }

    /// ``bestStream(_:)``, or `noStream` naming the file and `kind` ("video", "audio", "subtitle").
    func requireBestStream(_ type: AVMediaType, kind: String) throws -> Int32 {
        guard let index = bestStream(type) else { throw MedleyError.noStream(path: path, kind: kind) }
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

    /// Reads the next packet into `packet`; false at the end of the file. Unlike decoding, muxing stops at a
    /// read error: a copy must not end early without saying so.
    func read(into packet: OwnedPacket) throws -> Bool {
        if input.readPacket(into: packet) { return true }
        if let code = input.readError { throw MedleyError.unreadableMedia(path: path, reason: ffmpegErrorString(code)) }
        return false
    }
}
