/// Scores how much each frame differs from the one before it: PySceneDetect's `content_val`, the weighted
/// mean of the per-channel mean absolute differences in HSV (hue not circular, as in PySceneDetect).
///
/// Keeps the current and previous frames (and, on request, an older "anchor" frame for the flash check) in
/// reused buffers; nothing per frame is allocated.
struct ContentScorer {
    let weights: SceneDetectionOptions.Weights
    private var current = HSVPlanes()
    private var previous = HSVPlanes()
    private var anchor = HSVPlanes()
    /// A frame converted by ``peek(_:)`` ahead of its ``score(_:)``, and its index.
    private var peeked = HSVPlanes()
    private var peekedIndex: Int?
    private var hasPrevious = false

    init(weights: SceneDetectionOptions.Weights) {
        self.weights = weights
    }

    /// Takes the next frame and returns its score against the previous one (0 for the first frame).
    mutating func score(_ frame: AnalysisFrame) -> Double {
        swap(&current, &previous)
        if peekedIndex == frame.index {
            swap(&current, &peeked)
            peekedIndex = nil
        } else {
            load(frame, into: &current)
        }
        defer { hasPrevious = true }
        guard hasPrevious, previous.pixelCount == current.pixelCount else { return 0 }
        return difference(current, previous)
    }

    /// The score `frame` would get against the last frame scored, without taking it (0 when none was scored).
    /// The conversion is kept, so a ``score(_:)`` of the same frame next does not convert it again.
    mutating func peek(_ frame: AnalysisFrame) -> Double {
        load(frame, into: &peeked)
        peekedIndex = frame.index
        guard hasPrevious, peeked.pixelCount == current.pixelCount else { return 0 }
        return difference(peeked, current)
    }

    private func load(_ frame: AnalysisFrame, into planes: inout HSVPlanes) {
        planes.load(rgb: frame.pixels, width: frame.width, height: frame.height, stride: frame.stride)
        if weights.edges != 0 { EdgeMap.compute(&planes) }
    }

    /// Remembers the previous frame (the last one before a suspected flash) as the anchor.
    mutating func holdPreviousAsAnchor() {
        anchor = previous
    }

    /// The current frame's score against the anchor.
    func scoreAgainstAnchor() -> Double {
        guard anchor.pixelCount == current.pixelCount else { return .infinity }
        return difference(current, anchor)
    }

    private func difference(_ a: HSVPlanes, _ b: HSVPlanes) -> Double {
        var total = 0.0
        if weights.hue != 0 { total += weights.hue * meanAbsoluteDifference(a.hue, b.hue) }
        if weights.saturation != 0 { total += weights.saturation * meanAbsoluteDifference(a.saturation, b.saturation) }
        if weights.luma != 0 { total += weights.luma * meanAbsoluteDifference(a.value, b.value) }
        if weights.edges != 0 { total += weights.edges * meanAbsoluteDifference(a.edges, b.edges) }
        let norm = abs(weights.hue) + abs(weights.saturation) + abs(weights.luma) + abs(weights.edges)
        return norm > 0 ? total / norm : 0
    }
}

/// A downscaled RGB24 frame lent to a cut detector.
struct AnalysisFrame {
    let index: Int
    let pixels: UnsafeRawBufferPointer
    let width: Int
    let height: Int
    let stride: Int
}

/// Finds cuts in a stream of frames; one implementation per detector.
protocol CutDetector {
    /// Takes frame `frame.index` (frames arrive in order from 0) and returns the cuts decided so far that
    /// were not returned before (each the first frame of a new scene; they may lie in the past).
    mutating func process(_ frame: AnalysisFrame) -> [Int]
    /// Called after the last frame; returns the cuts still pending.
    mutating func finish(frameCount: Int) -> [Int]
}
