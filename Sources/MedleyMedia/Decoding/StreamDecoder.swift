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

    /// When true, frames that no other frame is predicted from are not decoded at all (FFmpeg's `skip_frame`
    /// at `AVDISCARD_NONREF`, set packet by packet); only honoured when ``canSkipNonReferenceFrames``.
    var skipsAllNonReferenceFrames = false
    /// Non-reference frames whose packet timestamp (stream time base) is before this one are not decoded: the
    /// lead-in after a seek, whose frames are decoded only to rebuild the references. Only honoured when
    /// ``canSkipNonReferenceFrames``.
    var skipsNonReferenceFramesBefore: Int64?

    /// Timestamps of the packets the demuxer flagged as damaged (MPEG-TS continuity errors and the like) whose
    /// frames have not been claimed yet (see ``claimDamage(timestamp:)``).
    private var corruptTimestamps: Set<Int64> = []

    /// When true, the timestamp of every packet of the stream sent to the codec is appended to
    /// ``sentTimestamps`` (packets without one are left out); the caller empties it.
    var recordsTimestamps = false
    var sentTimestamps: [Int64] = []

    /// Codecs whose non-reference frames FFmpeg's `AVDISCARD_NONREF` drops without touching any other frame:
    /// H.264 (`nal_ref_idc` 0), and MPEG-1/2 and MPEG-4 Part 2, whose B-frames are never references. HEVC is
    /// left out: there a sub-layer non-reference picture may still be a reference for higher temporal layers.
    private static let nonReferenceSkippingCodecs: Set<UInt32> = [
        AV_CODEC_ID_H264.rawValue, AV_CODEC_ID_MPEG1VIDEO.rawValue, AV_CODEC_ID_MPEG2VIDEO.rawValue,
        AV_CODEC_ID_MPEG4.rawValue,
    ]

    /// True when this stream's codec can skip non-reference frames safely (see the two properties above).
    var canSkipNonReferenceFrames: Bool {
        Self.nonReferenceSkippingCodecs.contains(context.pointee.codec_id.rawValue)
    }

    /// Opens a decoder for `stream`.
    ///
    /// - Parameter threadCount: decoder threads; 0 lets FFmpeg choose (one per core). Frame and slice
    ///   threading are both allowed.
    /// - Parameter strict: fail on damaged data instead of concealing it (FFmpeg's `err_detect explode`).
    ///   Right for still images, where a concealed picture is a wrong answer; streams keep FFmpeg's default
    ///   of skipping damaged packets.
    /// - Parameter skipLoopFilter: frames whose in-loop deblocking the codec skips (none: exact decoding).
    /// - Throws: `unsupportedCodec` when this FFmpeg build has no decoder for the stream's codec,
    ///   `unreadableMedia` when the decoder refuses the stream's parameters.
    init(
        container: InputContainer, stream: UnsafeMutablePointer<AVStream>, threadCount: Int = 0, strict: Bool = false,
        skipLoopFilter: VideoDecodeOptions.FrameSelection = .none
    ) throws {
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
            context.pointee.skip_loop_filter = skipLoopFilter.discardLevel
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
                let timestamp = packet.pointer.pointee.pts
                let isCorrupt = packet.pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0
                if isCorrupt && timestamp != medley_av_nopts_value() { corruptTimestamps.insert(timestamp) }
                chooseFrameSkipping(timestamp: timestamp, isCorrupt: isCorrupt)
                if recordsTimestamps && timestamp != medley_av_nopts_value() { sentTimestamps.append(timestamp) }
                let sent = avcodec_send_packet(context, packet.pointer)
                if sent < 0 && !isAgain(sent) { try noteError(sent, consecutive: &consecutiveErrors) }
            } else {
                let sent = avcodec_send_packet(context, nil)
                if sent < 0 && !isEndOfFile(sent) { try noteError(sent, consecutive: &consecutiveErrors) }
                draining = true
            }
        }
    }

    /// True when the frame with this timestamp came from a packet the demuxer flagged as damaged (once per
    /// packet). The codec's own flags on such a frame are not reliable with frame threads: whether FFmpeg 5.1
    /// marks it concealed depends on the threads' timing (measured: 1 run in 6).
    func claimDamage(timestamp: Int64?) -> Bool {
        guard let timestamp, !corruptTimestamps.isEmpty else { return false }
        return corruptTimestamps.remove(timestamp) != nil
    }

    /// Sets the codec's `skip_frame` for the packet about to be sent. FFmpeg reads it per packet (frame threads
    /// copy it when the packet is handed to them), so it can change from one packet to the next.
    private func chooseFrameSkipping(timestamp: Int64, isCorrupt: Bool) {
        // Always decoded: a packet without a timestamp (a frame skipped unseen could not be counted), and one
        // the demuxer found damaged (so that the damage is seen and reported as with a full decode).
        var skip = false
        if canSkipNonReferenceFrames && timestamp != medley_av_nopts_value() && !isCorrupt {
            if skipsAllNonReferenceFrames {
                skip = true
            } else if let limit = skipsNonReferenceFramesBefore {
                skip = timestamp < limit
            }
        }
        let level = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT
        if context.pointee.skip_frame != level { context.pointee.skip_frame = level }
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
        corruptTimestamps.removeAll()
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
        corruptTimestamps.removeAll()
    }

    /// The timestamp of this stream (its time base) for `seconds` from the container start, rounded down.
    func timestamp(seconds: Double) -> Int64? {
        guard timeBase > 0 else { return nil }
        return Int64(((seconds + container.startTime) / timeBase).rounded(.down))
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

extension VideoDecodeOptions.FrameSelection {
    /// The matching FFmpeg discard level (`AVDISCARD_DEFAULT` for none: FFmpeg's own default).
    var discardLevel: AVDiscard {
        switch self {
        case .none: return AVDISCARD_DEFAULT
        case .nonReference: return AVDISCARD_NONREF
        case .bidirectional: return AVDISCARD_BIDIR
        case .nonKey: return AVDISCARD_NONKEY
        case .all: return AVDISCARD_ALL
        }
    }
}
