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

    /// Creates options; the defaults decode every frame at native size, upright, from the start.
    public init(
        width: Int? = nil, height: Int? = nil, keepAspectRatio: Bool = true, frameRate: Double? = nil,
        startTime: Double = 0, applyRotation: Bool = true, threadCount: Int = 0, streamIndex: Int? = nil
    ) {
        self.width = width
        self.height = height
        self.keepAspectRatio = keepAspectRatio
        self.frameRate = frameRate
        self.startTime = startTime
        self.applyRotation = applyRotation
        self.threadCount = threadCount
        self.streamIndex = streamIndex
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
