/// How ``VideoDecoder`` turns a video stream into RGB frames. A plain configuration value.
public struct VideoDecodeOptions: Sendable, Equatable {
    /// Output width in pixels, after rotation. Nil: derived from ``height`` and the aspect ratio, or the
    /// native width when both are nil.
    public var width: Int?
    /// Output height in pixels, after rotation. Nil: derived from ``width`` and the aspect ratio, or the
    /// native height when both are nil.
    public var height: Int?
    /// When both ``width`` and ``height`` are set: true fits the picture inside that box keeping its aspect
    /// ratio (the output may be smaller on one side); false stretches it to exactly that size. When only one
    /// is set the other always follows the aspect ratio.
    public var keepAspectRatio: Bool
    /// Frames per second to pick, by timestamp: the first frame at or after each tick of `1/frameRate`
    /// (counted from ``startTime``). Frames are never repeated, so a rate above the source's gives every frame.
    /// Nil: every frame.
    public var frameRate: Double?
    /// Seconds from the start of the file to begin at: the decoder seeks to the keyframe before it and
    /// decodes forward, so the first frame returned is the first one at or after this time. 0: from the start.
    public var startTime: Double
    /// Turn frames upright according to the stream's display rotation (phone videos), swapping width and
    /// height for 90° and 270°. The ffmpeg CLI does the same by default.
    public var applyRotation: Bool
    /// Threads for decoding and for the colour conversion of large frames; 0 lets FFmpeg pick one per core.
    public var threadCount: Int
    /// The video stream to decode; nil picks FFmpeg's best video stream.
    public var streamIndex: Int?
    /// Frames on which the codec skips its in-loop deblocking filter (H.264, HEVC, VP9 and other codecs that
    /// have one; FFmpeg's `skip_loop_filter`). ``FrameSelection/none`` (the default) decodes exactly.
    /// Skipping saves work (for x264 H.264, ``FrameSelection/all`` about 20 % of the decoder's instructions,
    /// ``FrameSelection/nonReference`` about 10 %) but leaves block edges in the pictures; skipped on reference
    /// frames, the difference also carries into the frames predicted from them, up to the next keyframe.
    /// Meant for analysis that compares frames with each other (scene detection), never for pictures that
    /// people see.
    public var skipLoopFilter: FrameSelection
    /// Do not decode frames that no other frame is predicted from (non-reference B-frames: about half the
    /// frames of x264's output, and about 45 % of its decoding work); they are simply not returned, and the
    /// frames that are returned are exactly the ones a full decode gives, with its indices (the frames left
    /// out are counted from the packets' timestamps; packets without one, or flagged as damaged, are always
    /// decoded). Honoured for H.264, MPEG-1/2 and MPEG-4 Part 2 (``VideoDecoder/skipsNonReferenceFrames`` says
    /// whether it is); other codecs decode every frame. For analysis that can do with a subset of frames, such
    /// as a first pass over a video.
    public var skipNonReferenceFrames: Bool

    /// A class of frames, for the decoder's skipping options (FFmpeg's `AVDiscard` levels), from none to all.
    public enum FrameSelection: Sendable, Equatable, CaseIterable {
        /// No frame.
        case none
        /// Frames that no other frame is predicted from (non-reference B-frames in H.264): skipping work on
        /// them changes only those frames.
        case nonReference
        /// Bidirectionally predicted frames (B-frames), reference or not.
        case bidirectional
        /// Every frame except keyframes.
        case nonKey
        /// Every frame.
        case all
    }

    /// Creates options; the defaults decode every frame exactly, at native size, upright, from the start.
    public init(
        width: Int? = nil, height: Int? = nil, keepAspectRatio: Bool = true, frameRate: Double? = nil,
        startTime: Double = 0, applyRotation: Bool = true, threadCount: Int = 0, streamIndex: Int? = nil,
        skipLoopFilter: FrameSelection = .none, skipNonReferenceFrames: Bool = false
    ) {
        self.width = width
        self.height = height
        self.keepAspectRatio = keepAspectRatio
        self.frameRate = frameRate
        self.startTime = startTime
        self.applyRotation = applyRotation
        self.threadCount = threadCount
        self.streamIndex = streamIndex
        self.skipLoopFilter = skipLoopFilter
        self.skipNonReferenceFrames = skipNonReferenceFrames
    }

    /// The output size for a picture that displays as `sourceWidth` x `sourceHeight`.
    func outputSize(sourceWidth: Int, sourceHeight: Int) -> (width: Int, height: Int) {
        let aspect = Double(sourceWidth) / Double(max(1, sourceHeight))
        func atLeastOne(_ value: Double) -> Int { max(1, Int(value.rounded())) }
        switch (width, height) {
        case (nil, nil):
            return (sourceWidth, sourceHeight)
        case (let w?, nil):
            return (w, atLeastOne(Double(w) / aspect))
        case (nil, let h?):
            return (atLeastOne(Double(h) * aspect), h)
        case (let w?, let h?):
            guard keepAspectRatio else { return (w, h) }
            if Double(w) / Double(h) > aspect {
                return (atLeastOne(Double(h) * aspect), h)
            }
            return (w, atLeastOne(Double(w) / aspect))
        }
    }
}
