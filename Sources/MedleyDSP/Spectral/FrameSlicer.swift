/// Cuts a stream of samples into overlapping frames of `frameLength` samples every `hop` samples, with
/// optional centring: `frameLength/2` zeros before the first sample and after the last one, so that frame t
/// is centred on sample `t·hop` and a signal of n samples gives `1 + n/hop` frames (librosa's `center=True`
/// with `pad_mode="constant"`, its default since 0.9).
///
/// Without centring, frame t starts at sample `t·hop` and only whole frames are produced.
///
/// Streaming: memory holds at most one frame plus one pushed chunk; samples before the next frame are
/// dropped as the stream advances.
public struct FrameSlicer: Sendable {
    /// Samples per frame.
    public let frameLength: Int
    /// Samples between frame starts.
    public let hop: Int
    /// Whether the signal is padded with `frameLength/2` zeros on each side.
    public let centered: Bool
    /// Frames emitted so far.
    public private(set) var framesEmitted = 0
    /// Input samples seen so far.
    public private(set) var samplesSeen = 0

    private var buffer: [Float] = []
    /// Index in `buffer` where the next frame starts.
    private var nextStart = 0
    private var finished = false

    /// Creates a slicer. `frameLength` and `hop` must be positive.
    public init(frameLength: Int, hop: Int, centered: Bool) {
        precondition(frameLength > 0 && hop > 0, "FrameSlicer needs a positive frame length and hop")
        self.frameLength = frameLength
        self.hop = hop
        self.centered = centered
        if centered { buffer = [Float](repeating: 0, count: frameLength / 2) }
        buffer.reserveCapacity(frameLength * 2)
    }

    /// Appends samples and calls `body` with each frame that is now complete (a pointer to `frameLength`
    /// samples, valid only during the call).
    public mutating func push(_ samples: UnsafeBufferPointer<Float>, _ body: (UnsafePointer<Float>) throws -> Void) rethrows {
        precondition(!finished, "FrameSlicer: push after finish")
        samplesSeen += samples.count
        buffer.append(contentsOf: samples)
        try emit(limit: nil, body)
    }

    /// Array convenience for ``push(_:_:)``.
    public mutating func push(_ samples: [Float], _ body: (UnsafePointer<Float>) throws -> Void) rethrows {
        try samples.withUnsafeBufferPointer { try push($0, body) }
    }

    /// Ends the stream: pads the tail (when centred) and emits the last frames.
    public mutating func finish(_ body: (UnsafePointer<Float>) throws -> Void) rethrows {
        guard !finished else { return }
        finished = true
        if centered {
            buffer.append(contentsOf: repeatElement(0, count: frameLength - frameLength / 2))
            try emit(limit: 1 + samplesSeen / hop, body)
        }
    }

    /// The number of frames a signal of `sampleCount` samples gives.
    public static func frameCount(sampleCount: Int, frameLength: Int, hop: Int, centered: Bool) -> Int {
        if centered { return 1 + sampleCount / hop }
        return sampleCount >= frameLength ? 1 + (sampleCount - frameLength) / hop : 0
    }

    private mutating func emit(limit: Int?, _ body: (UnsafePointer<Float>) throws -> Void) rethrows {
        try buffer.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            while nextStart + frameLength <= all.count {
                if let limit, framesEmitted >= limit { break }
                try body(base + nextStart)
                framesEmitted += 1
                nextStart += hop
            }
        }
        // Drop what no future frame needs, in large steps so the copy cost stays small.
        let drop = min(nextStart, buffer.count)
        if drop > 0 && drop >= buffer.count / 2 {
            buffer.removeFirst(drop)
            nextStart -= drop
        }
    }
}
