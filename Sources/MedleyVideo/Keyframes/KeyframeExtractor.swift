import MedleyCore
import MedleyMedia

/// Picks one representative frame per scene: the sharpest of a few frames sampled evenly within the middle
/// half of the scene (away from the cuts, fades and dissolves at its ends).
///
/// Decoding: for each scene the decoder seeks to the keyframe before the middle half and decodes only up to
/// its end; frames between the samples are decoded but not converted to RGB. So the cost follows the number
/// of scenes and the keyframe spacing of the file, not its length. Frames are turned upright (display
/// rotation applied).
public struct KeyframeExtractor: Sendable {
    /// Frames sampled per scene (fewer in scenes with fewer frames in their middle half).
    public var samplesPerScene: Int
    /// Decoder threads; 0 lets FFmpeg pick one per core.
    public var threadCount: Int

    /// Default samples per scene: enough to step past a blurred moment, few enough to stay cheap.
    public static let defaultSamplesPerScene = 5
    /// The part of each scene sampled: its middle half, from 25 % to 75 % of its length.
    static let middleStart = 0.25
    static let middleEnd = 0.75

    /// Creates an extractor.
    public init(samplesPerScene: Int = defaultSamplesPerScene, threadCount: Int = 0) {
        self.samplesPerScene = samplesPerScene
        self.threadCount = threadCount
    }

    /// The time range sampled for `scene`: its middle half.
    public static func sampledRange(of scene: Scene) -> ClosedRange<Double> {
        let length = scene.end - scene.start
        return (scene.start + middleStart * length)...(scene.start + middleEnd * length)
    }

    /// One keyframe per scene of `scenes`, in scene order, from the video at `path`.
    ///
    /// Progress: stage "keyframes", unit "scenes". Checks for cancellation before each scene.
    ///
    /// - Throws: `invalidArgument` when `samplesPerScene` < 1; the decoder's errors for `path`
    ///   (`fileNotFound`, `noStream`, `unreadableMedia`...); `CancellationError` when cancelled.
    public func extract(path: String, scenes: SceneList,
                        progress: any ProgressReporter = SilentProgress()) async throws -> [Keyframe] {
        var keyframes: [Keyframe] = []
        keyframes.reserveCapacity(scenes.scenes.count)
        try await extract(path: path, scenes: scenes, progress: progress) { keyframes.append($0) }
        return keyframes
    }

    /// Hands each scene's keyframe to `body` as soon as it is found, in scene order, holding none of them: for
    /// long videos with many scenes, where keeping every full-size frame would not fit in memory.
    public func extract(path: String, scenes: SceneList, progress: any ProgressReporter = SilentProgress(),
                        each body: (Keyframe) throws -> Void) async throws {
        guard samplesPerScene >= 1 else {
            throw MedleyError.invalidArgument("samples per scene must be at least 1, got \(samplesPerScene)")
        }
        let total = Double(scenes.scenes.count)
        for (index, scene) in scenes.scenes.enumerated() {
            try Task.checkCancellation()
            progress.report(ProgressEvent(stage: "keyframes", completed: Double(index), total: total, unit: "scenes"))
            if let keyframe = try keyframe(of: scene, index: index, path: path) {
                try body(keyframe)
            }
        }
        progress.report(ProgressEvent(stage: "keyframes", completed: total, total: total, unit: "scenes"))
    }

    private func keyframe(of scene: Scene, index: Int, path: String) throws -> Keyframe? {
        let range = Self.sampledRange(of: scene)
        let span = range.upperBound - range.lowerBound
        // Ticks `span / samples` apart starting at the range start: the decoder returns the first frame at or
        // after each tick and converts only those.
        let rate = span > 0 ? Double(samplesPerScene) / span : nil
        let decoder = try VideoDecoder(path: path, options: VideoDecodeOptions(
            frameRate: rate, startTime: max(0, range.lowerBound), threadCount: threadCount))
        var best: Keyframe?
        var taken = 0
        while taken < samplesPerScene {
            let done: Bool? = try decoder.withNextFrame { frame in
                // Past the middle half: stop, unless nothing was taken yet (a scene one or two frames long).
                if frame.time >= range.upperBound && taken > 0 { return true }
                if frame.time >= scene.end && best != nil { return true }
                taken += 1
                let sharpness = Sharpness.laplacianVariance(pixels: frame.pixels, width: frame.width,
                                                            height: frame.height, stride: frame.stride)
                if best.map({ sharpness > $0.sharpness }) ?? true {
                    best = Keyframe(sceneIndex: index, time: frame.time, frame: frame.index,
                                    sharpness: sharpness, image: frame.makeImage())
                }
                return frame.time >= range.upperBound
            }
            guard let done, !done else { break }
        }
        return best
    }
}
