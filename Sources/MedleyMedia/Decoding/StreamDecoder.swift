internal import CFFmpeg
import MedleyCore

/// One opened decoder (an ``OwnedCodecContext``) fed from one stream of an ``InputContainer``.
///
/// Drives FFmpeg's send/receive loop: ``nextFrame(into:)`` reads packets of its stream (skipping others) until
/// the codec returns a frame, drains the codec at the end of the file and reports the end once. Not
/// thread-safe.
final class StreamDecoder {
    let container: InputContainer
    let stream: UnsafeMutablePointer<AVStream>
    private let codec: OwnedCodecContext
    let streamIndex: Int32
    /// Seconds per timestamp unit.
    let timeBase: Double

    private let packet: OwnedPacket
    private var draining = false
    private var finished = false
    /// True once the codec returned at least one frame.
    private(set) var decodedAny = false
    /// Decode errors seen so far (damaged packets or frames that the codec rejected and that were skipped).
    private(set) var errorCount = 0
    private var lastError: Int32 = 0

    /// Decode errors in a row after which the stream is given up as unreadable.
    private static let maximumConsecutiveErrors = 200

    /// Opens a decoder for `stream`.
    ///
    /// - Parameter threadCount: decoder threads; 0 lets FFmpeg choose (one per core). Frame and slice
    ///   threading are both allowed.
    /// - Parameter strict: fail on damaged data instead of concealing it (FFmpeg's `err_detect explode`).
    ///   Right for still images, where a concealed picture is a wrong answer; streams keep FFmpeg's default
    ///   of skipping damaged packets.
    /// - Throws: `unsupportedCodec` when this FFmpeg build has no decoder for the stream's codec,
    ///   `unreadableMedia` when the decoder refuses the stream's parameters.
    init(container: InputContainer, stream: UnsafeMutablePointer<AVStream>, threadCount: Int = 0, strict: Bool = false) throws {
        self.container = container
        self.stream = stream
        self.streamIndex = stream.pointee.index
        let timeBase = stream.pointee.time_base
        self.timeBase = timeBase.den == 0 ? 0 : Double(timeBase.num) / Double(timeBase.den)
        self.packet = try OwnedPacket()
        codec = try OwnedCodecContext(decoding: stream, path: container.path) { context in
            context.pointee.thread_count = Int32(max(0, threadCount))
            context.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
            if strict { context.pointee.err_recognition |= AV_EF_EXPLODE }
        }
        // Let the demuxer skip the other streams' data (as the ffmpeg CLI does for streams it does not use):
        // the audio of a video file then reads no video packets at all.
        for index in 0..<container.streamCount where index != Int(streamIndex) {
            container.stream(index)?.pointee.discard = AVDISCARD_ALL
        }
    }

    /// The open codec context.
    var context: UnsafeMutablePointer<AVCodecContext> { codec.pointer }

    /// The stream's duration in seconds (the container's when the stream does not say), or nil when unknown.
    var duration: Double? {
        let streamDuration = stream.pointee.duration
        if streamDuration != medley_av_nopts_value() && streamDuration > 0 && timeBase > 0 {
            return Double(streamDuration) * timeBase
        }
        return container.duration
    }

    /// Decodes the next frame of the stream into `frame` (replacing what it held). Returns false at the end.
    ///
    /// Damaged packets are skipped as the ffmpeg CLI does. The stream is reported unreadable only when
    /// nothing at all could be decoded from it, or after many decode errors in a row.
    func nextFrame(into frame: OwnedFrame) throws -> Bool {
        if finished { return false }
        var consecutiveErrors = 0
        while true {
            let received = avcodec_receive_frame(context, frame.pointer)
            if received >= 0 {
                decodedAny = true
                return true
            }
            if isEndOfFile(received) {
                finished = true
                try reportIfNothingDecoded()
                return false
            }
            if !isAgain(received) {
                try noteError(received, consecutive: &consecutiveErrors)
                continue
            }
            if draining {
                // The codec asked for input while draining: it has nothing more to give.
                finished = true
                try reportIfNothingDecoded()
                return false
            }
            if container.readPacket(into: packet) {
                if packet.pointer.pointee.stream_index != streamIndex { continue }
                let sent = avcodec_send_packet(context, packet.pointer)
                if sent < 0 && !isAgain(sent) { try noteError(sent, consecutive: &consecutiveErrors) }
            } else {
                let sent = avcodec_send_packet(context, nil)
                if sent < 0 && !isEndOfFile(sent) { try noteError(sent, consecutive: &consecutiveErrors) }
                draining = true
            }
        }
    }

    /// Moves to the last keyframe at or before `seconds` (stream time, relative to the container start) and
    /// resets the codec. Frames before `seconds` must be decoded and skipped by the caller.
    func seek(to seconds: Double) throws {
        guard timeBase > 0 else { throw MedleyError.invalidArgument("\(container.path): the stream has no time base; cannot seek") }
        let target = Int64(((seconds + container.startTime) / timeBase).rounded(.down))
        let result = av_seek_frame(container.context, streamIndex, target, AVSEEK_FLAG_BACKWARD)
        guard result >= 0 else {
            throw MedleyError.unreadableMedia(path: container.path, reason: "cannot seek to \(seconds) s: \(ffmpegErrorString(result))")
        }
        avcodec_flush_buffers(context)
        draining = false
        finished = false
    }

    /// Goes back to the very start of the file: by byte position where the container allows it (MPEG-TS and
    /// other unindexed formats, where a timestamp seek can land past the first keyframe), else by timestamp.
    func rewind() throws {
        if av_seek_frame(container.context, -1, 0, AVSEEK_FLAG_BYTE) < 0 {
            let result = av_seek_frame(container.context, streamIndex, Int64(container.startTime / max(timeBase, .leastNonzeroMagnitude)),
                                       AVSEEK_FLAG_BACKWARD)
            guard result >= 0 else {
                throw MedleyError.unreadableMedia(path: container.path, reason: "cannot seek back to the start: \(ffmpegErrorString(result))")
            }
        }
        avcodec_flush_buffers(context)
        draining = false
        finished = false
    }

    /// Seconds from the container start for a timestamp of this stream.
    func seconds(_ timestamp: Int64) -> Double {
        Double(timestamp) * timeBase - container.startTime
    }

    private func noteError(_ code: Int32, consecutive: inout Int) throws {
        errorCount += 1
        lastError = code
        consecutive += 1
        if consecutive >= Self.maximumConsecutiveErrors {
            throw MedleyError.unreadableMedia(
                path: container.path, reason: "\(consecutive) decode errors in a row, last: \(ffmpegErrorString(code))")
        }
    }

    private func reportIfNothingDecoded() throws {
        guard !decodedAny else { return }
        if errorCount > 0 {
            throw MedleyError.unreadableMedia(path: container.path, reason: "no frame could be decoded: \(ffmpegErrorString(lastError))")
        }
        if let readError = container.readError {
            throw MedleyError.unreadableMedia(path: container.path, reason: ffmpegErrorString(readError))
        }
    }
}
