internal import CFFmpeg
import MedleyCore

/// Decodes the video stream of a file to upright RGB8 frames, optionally resized, subsampled in time and
/// starting at a given time (see ``VideoDecodeOptions``).
///
/// Speed: the codec runs with frame and slice threads; the colour conversion and resize go through one
/// reused swscale context into one reused, aligned buffer. ``withNextFrame(_:)`` lends that buffer to a
/// closure without a copy (the fast path for analysis loops); ``nextFrame()`` copies it into an owned
/// ``VideoFrame``.
///
/// Threading: an instance is not thread-safe and not `Sendable`; use it from one task at a time. FFmpeg's
/// own decoder threads are internal to it.
public final class VideoDecoder {
    /// The file being decoded.
    public let path: String
    /// The options the decoder was opened with.
    public let options: VideoDecodeOptions
    /// The index of the video stream being decoded.
    public let streamIndex: Int
    /// Width of the frames returned, after rotation and resizing.
    public let width: Int
    /// Height of the frames returned, after rotation and resizing.
    public let height: Int
    /// The stream's clockwise display rotation in degrees (0, 90, 180, 270), applied when
    /// ``VideoDecodeOptions/applyRotation`` is true.
    public let rotation: Int
    /// The stream's average frame rate, when known.
    public let frameRate: Double?
    /// The video stream's duration in seconds (the file's when the stream does not say), when known.
    public let duration: Double?
    /// True when non-reference frames are left undecoded (``VideoDecodeOptions/skipNonReferenceFrames`` asked
    /// for it and the codec allows it): the frames returned then have gaps in their indices, one index per
    /// frame left out (counted from the packets' timestamps, so the indices are a full decode's).
    public let skipsNonReferenceFrames: Bool

    private let decoder: StreamDecoder
    private let frame: OwnedFrame
    private let scaler: FrameScaler
    private let orientation: ImageOrientation
    /// Holds the upright picture when a rotation is applied (the scaler's buffer holds the stored one).
    private let rotated: UnsafeMutableRawPointer?
    private let rotatedStride: Int
    private var nextIndex: Int?
    private var nextTick = 0
    private var lastTime: Double?
    /// Where decoding (re)started: ``VideoDecodeOptions/startTime``, or the time of the last ``seek(to:)``.
    private var startTime: Double
    /// When skipping non-reference frames: the timestamps of the packets sent whose frames were not returned
    /// yet, in increasing order (each frame returned takes its own and counts the earlier ones as skipped).
    private var unreturnedTimestamps: [Int64] = []
    /// Set once decoding went back to the start after a seek that missed.
    private var restarted = false
    /// Seconds per frame at the average rate (1/25 when the stream does not say), for frames without time.
    private var frameStep: Double { 1 / (frameRate ?? 25) }
    /// Frames a little earlier than a requested time still count as "at" it, to absorb timestamp rounding.
    private let tolerance: Double

    /// Opens `path` and its video stream.
    ///
    /// - Throws: `fileNotFound`, `isDirectory`, `emptyFile`, `unreadableMedia`, `noStream` (no video),
    ///   `unsupportedCodec` (no decoder in this FFmpeg), `invalidArgument` (bad size, rate, start or index).
    public init(path: String, options: VideoDecodeOptions = VideoDecodeOptions()) throws {
        if let rate = options.frameRate, !(rate > 0 && rate.isFinite) {
            throw MedleyError.invalidArgument("frame rate must be a positive number, got \(rate)")
        }
        guard options.startTime >= 0 && options.startTime.isFinite else {
            throw MedleyError.invalidArgument("start time must be zero or positive, got \(options.startTime)")
        }
        for (name, value) in [("width", options.width), ("height", options.height)] {
            if let value, value <= 0 { throw MedleyError.invalidArgument("\(name) must be positive, got \(value)") }
        }
        let container = try InputContainer(path: path)
        let stream = try container.selectStream(type: AVMEDIA_TYPE_VIDEO, kind: "video", requested: options.streamIndex)
        let decoder = try StreamDecoder(container: container, stream: stream, threadCount: options.threadCount,
                                        skipLoopFilter: options.skipLoopFilter)
        let codedWidth = Int(decoder.context.pointee.width)
        let codedHeight = Int(decoder.context.pointee.height)
        guard codedWidth > 0, codedHeight > 0 else {
            throw MedleyError.unreadableMedia(path: path, reason: "the video stream has no picture size")
        }
        let rotation = displayRotation(of: stream)
        let orientation = options.applyRotation ? ImageOrientation(clockwiseDegrees: rotation) : .up
        let display = orientation.displaySize(width: codedWidth, height: codedHeight)
        let output = options.outputSize(sourceWidth: display.width, sourceHeight: display.height)
        // Scale in stored orientation, then turn: the scaler's size is the output size un-rotated.
        let stored = orientation.displaySize(width: output.width, height: output.height)
        let resizing = stored.width != codedWidth || stored.height != codedHeight
        // At native size use the ffmpeg CLI's default flags so frames equal `ffmpeg -pix_fmt rgb24` output.
        let flags = resizing ? SWS_BILINEAR : SWS_BICUBIC
        let scaler = try FrameScaler(width: stored.width, height: stored.height, flags: flags, threads: options.threadCount)

        self.path = path
        self.options = options
        self.streamIndex = Int(stream.pointee.index)
        self.width = output.width
        self.height = output.height
        self.rotation = rotation
        let rate = stream.pointee.avg_frame_rate
        frameRate = rate.num > 0 && rate.den > 0 ? Double(rate.num) / Double(rate.den) : nil
        duration = decoder.duration
        skipsNonReferenceFrames = options.skipNonReferenceFrames && decoder.canSkipNonReferenceFrames
        decoder.skipsAllNonReferenceFrames = skipsNonReferenceFrames
        decoder.recordsTimestamps = skipsNonReferenceFrames
        startTime = options.startTime
        self.decoder = decoder
        self.frame = try OwnedFrame()
        self.scaler = scaler
        self.orientation = orientation
        if orientation == .up {
            rotated = nil
            rotatedStride = 0
        } else {
            rotatedStride = (output.width * 3 + 63) / 64 * 64
            rotated = .allocate(byteCount: rotatedStride * output.height, alignment: 64)
        }
        tolerance = frameRate.map { min(0.5 / $0, 0.001) } ?? 0.001
        if options.startTime > 0 {
            try seekDecoder(to: options.startTime)
        } else {
            nextIndex = 0
        }
    }

    /// Moves to `time` (seconds from the start of the file): the next frame returned is the first one at or
    /// after it, exactly as if the decoder had been opened with that ``VideoDecodeOptions/startTime`` (and the
    /// ``VideoDecodeOptions/frameRate`` ticks count from it). Cheaper than opening the file again.
    ///
    /// - Throws: `invalidArgument` for a negative or non-finite time, `unreadableMedia` when the file cannot seek.
    public func seek(to time: Double) throws {
        guard time >= 0 && time.isFinite else {
            throw MedleyError.invalidArgument("seek time must be zero or positive, got \(time)")
        }
        startTime = time
        nextTick = 0
        lastTime = nil
        restarted = false
        unreturnedTimestamps.removeAll()
        decoder.sentTimestamps.removeAll()
        if time > 0 {
            nextIndex = nil
            try seekDecoder(to: time)
        } else {
            decoder.skipsNonReferenceFramesBefore = nil
            try decoder.rewind()
            nextIndex = 0
        }
    }

    /// Moves forward to `time` without seeking: decoding goes on from where it is, and until `time` decodes only
    /// the frames that later ones are predicted from; the next frame returned is the first one at or after
    /// `time`. Cheaper than ``seek(to:)`` when no keyframe lies between the current position and `time`. A time
    /// that is not ahead of the last frame decoded changes nothing.
    public func skipForward(to time: Double) {
        guard time.isFinite, time > (lastTime ?? -.infinity) else { return }
        startTime = time
        nextTick = 0
        nextIndex = nil
        restarted = false
        decoder.skipsNonReferenceFramesBefore = decoder.timestamp(seconds: time - tolerance)
    }

    /// Seeks the stream to the keyframe before `time`. The frames between that keyframe and `time` are decoded
    /// only to rebuild the references, so the non-reference ones among them are not decoded at all.
    private func seekDecoder(to time: Double) throws {
        try decoder.seek(to: time)
        decoder.skipsNonReferenceFramesBefore = decoder.timestamp(seconds: time - tolerance)
    }

    deinit {
        rotated?.deallocate()
    }

    /// Decode errors so far: damaged packets the codec rejected and skipped (each usually costs one frame,
    /// or a few until the next keyframe). Decoding goes on past them.
    public var decodeErrorCount: Int { decoder.errorCount }

    /// Frames returned so far that the codec flagged as damaged (concealed errors, missing references).
    public private(set) var damagedFrameCount = 0

    /// When skipping non-reference frames: frames read from the file but not returned (being decoded, or
    /// skipped). At the end of the stream, the number of frames skipped after the last one returned.
    public var unreturnedFrameCount: Int { unreturnedTimestamps.count }

    /// The next frame as an owned image, or nil at the end of the stream.
    public func nextFrame() throws -> VideoFrame? {
        try withNextFrame { borrowed in
            VideoFrame(image: borrowed.makeImage(), time: borrowed.time, index: borrowed.index)
        }
    }

    /// Decodes the next frame and lends it to `body` without copying; returns `body`'s result, or nil at the
    /// end of the stream (then `body` is not called).
    ///
    /// The pixels are valid only inside `body` and are overwritten by the next call.
    public func withNextFrame<Result>(_ body: (BorrowedVideoFrame) throws -> Result) throws -> Result? {
        guard let (time, index, damaged) = try nextDueFrame() else { return nil }
        return try body(convert(time: time, index: index, damaged: damaged))
    }

    /// Decodes the next frame and lends its 8-bit 4:2:0 planes to `body` without any conversion (no colour
    /// conversion, resize or rotation: the planes are the stored picture at the coded size), or, when the
    /// stream is in another pixel format, the frame converted as ``withNextFrame(_:)`` does. Returns nil at
    /// the end of the stream. For analysis code that samples a few pixels and wants to skip swscale.
    ///
    /// The planes are valid only inside `body`.
    public func withNextPicture<Result>(_ body: (DecodedPicture) throws -> Result) throws -> Result? {
        guard let (time, index, damaged) = try nextDueFrame() else { return nil }
        let raw = frame.pointer.pointee
        let format = AVPixelFormat(raw.format)
        if (format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P),
           let y = raw.data.0, let u = raw.data.1, let v = raw.data.2, raw.width > 0, raw.height > 0 {
            let planes = YUV420Planes(
                y: UnsafePointer(y), u: UnsafePointer(u), v: UnsafePointer(v),
                yStride: Int(raw.linesize.0), uStride: Int(raw.linesize.1), vStride: Int(raw.linesize.2),
                width: Int(raw.width), height: Int(raw.height),
                isFullRange: format == AV_PIX_FMT_YUVJ420P || raw.color_range == AVCOL_RANGE_JPEG,
                time: time, index: index, isDamaged: damaged, isKeyframe: raw.key_frame != 0)
            return try body(.yuv420(planes))
        }
        return try body(.rgb(convert(time: time, index: index, damaged: damaged)))
    }

    /// Decodes until the next frame that the options select; nil at the end of the stream.
    private func nextDueFrame() throws -> (time: Double, index: Int, damaged: Bool)? {
        while true {
            guard try decoder.nextFrame(into: frame) else {
                // A seek that produced no frame at all (MPEG-TS and other unindexed containers can land after
                // the last keyframe): decode from the start instead, skipping to the start time.
                if lastTime == nil, try restartFromBeginning() { continue }
                return nil
            }
            let packetTime = frame.pointer.pointee.pts
            let fromDamagedPacket = decoder.claimDamage(
                timestamp: packetTime != medley_av_nopts_value() ? packetTime : frame.timestamp)
            // A frame without any timestamp (some raw elementary streams) follows the previous one by one
            // frame duration.
            let time = frame.timestamp.map { decoder.seconds($0) } ?? ((lastTime ?? -frameStep) + frameStep)
            // A seek that landed well past the start time (the container found no keyframe before it) would
            // skip the frames asked for: decode from the start instead.
            if lastTime == nil, time > startTime + max(Self.seekSlack, 2 * frameStep), try restartFromBeginning() {
                continue
            }
            lastTime = time
            if time < startTime - tolerance {
                // The lead-in after a seek gets no index (its non-reference frames are not even decoded), except
                // after going back to the very beginning, where every frame is decoded and counted from 0.
                if restarted {
                    _ = takeIndex(time: time)
                } else if skipsNonReferenceFrames {
                    _ = takeSkippedFrames()
                }
                continue
            }
            let index = takeIndex(time: time)
            if let rate = options.frameRate {
                let due = startTime + Double(nextTick) / rate
                if time < due - tolerance { continue }
                // This frame serves every tick up to its own time, so no frame is ever returned twice.
                let covered = Int(((time - startTime + tolerance) * rate).rounded(.down))
                nextTick = max(nextTick, covered) + 1
            }
            // FFmpeg's AV_FRAME_FLAG_CORRUPT (1 << 0); decode_error_flags holds FF_DECODE_ERROR_* bits.
            let damaged = frame.pointer.pointee.decode_error_flags != 0 || frame.pointer.pointee.flags & 1 != 0
                || fromDamagedPacket
            if damaged { damagedFrameCount += 1 }
            return (time, index, damaged)
        }
        return nil
    }

    /// How far past the start time the first frame after a seek may be before the seek counts as missed.
    static let seekSlack = 0.5

    /// Goes back to the start of the stream once, after a seek that missed; false when already done (or no
    /// seek was made).
    private func restartFromBeginning() throws -> Bool {
        guard startTime > 0, !restarted else { return false }
        restarted = true
        decoder.skipsNonReferenceFramesBefore = nil
        try decoder.rewind()
        nextIndex = 0
        return true
    }

    /// The frame just decoded, converted to upright RGB at the output size.
    private func convert(time: Double, index: Int, damaged: Bool) throws -> BorrowedVideoFrame {
        try scaler.scale(frame)
        let pixels: UnsafeRawPointer
        let stride: Int
        if let rotated {
            orientation.apply(
                source: scaler.pixels, width: scaler.width, height: scaler.height, sourceStride: scaler.stride,
                bytesPerPixel: 3, destination: rotated, destinationStride: rotatedStride)
            pixels = UnsafeRawPointer(rotated)
            stride = rotatedStride
        } else {
            pixels = UnsafeRawPointer(scaler.pixels)
            stride = scaler.stride
        }
        return BorrowedVideoFrame(
            pixels: UnsafeRawBufferPointer(start: pixels, count: stride * height),
            width: width, height: height, stride: stride, time: time, index: index, isDamaged: damaged)
    }

    /// The stream position of the frame just decoded: counted from the first frame, or from the first frame
    /// after a seek (placed by its time). When non-reference frames are skipped, the frames read but skipped
    /// before this one count too.
    private func takeIndex(time: Double) -> Int {
        let skipped = skipsNonReferenceFrames ? takeSkippedFrames() : 0
        // After a seek the first frame is placed by its time, which already counts the frames before it.
        let index = nextIndex.map { $0 + skipped } ?? Int((max(0, time) * (frameRate ?? 0)).rounded())
        nextIndex = index + 1
        return index
    }

    /// The frames skipped since the last frame returned: the unreturned packets timestamped before the frame
    /// just decoded, which are dropped from the list with the frame's own.
    private func takeSkippedFrames() -> Int {
        for timestamp in decoder.sentTimestamps {
            // Packets come in decoding order, close to time order: insert from the end.
            var position = unreturnedTimestamps.count
            while position > 0 && unreturnedTimestamps[position - 1] > timestamp { position -= 1 }
            unreturnedTimestamps.insert(timestamp, at: position)
        }
        decoder.sentTimestamps.removeAll(keepingCapacity: true)
        // The packet's own timestamp, which the codec passes on (the best-effort one may be a guess).
        let raw = frame.pointer.pointee.pts
        guard let own = raw != medley_av_nopts_value() ? raw : frame.timestamp else { return 0 }
        var skipped = 0
        while skipped < unreturnedTimestamps.count && unreturnedTimestamps[skipped] < own { skipped += 1 }
        let taken = skipped < unreturnedTimestamps.count && unreturnedTimestamps[skipped] == own ? 1 : 0
        unreturnedTimestamps.removeFirst(skipped + taken)
        return skipped
    }
}

@available(*, unavailable, message: "a VideoDecoder must be used from one task at a time")
extension VideoDecoder: Sendable {}
