/// One scene (shot) of a video: a run of consecutive frames between two cuts.
///
/// The end is exclusive, as in PySceneDetect: `endFrame` is the first frame of the next scene (or the frame
/// count for the last scene), and `end` is that frame's time (or the end of the video).
public struct Scene: Codable, Sendable, Equatable {
    /// Start time in seconds (the time of ``startFrame``).
    public var start: Double
    /// End time in seconds, exclusive.
    public var end: Double
    /// The first frame of the scene, counted from 0 in decoding order.
    public var startFrame: Int
    /// The first frame after the scene (exclusive).
    public var endFrame: Int

    /// Creates a scene.
    public init(start: Double, end: Double, startFrame: Int, endFrame: Int) {
        self.start = start
        self.end = end
        self.startFrame = startFrame
        self.endFrame = endFrame
    }

    /// Length in seconds.
    public var duration: Double { end - start }
    /// Length in frames.
    public var frameCount: Int { endFrame - startFrame }

    enum CodingKeys: String, CodingKey {
        case start, end
        case startFrame = "start_frame"
        case endFrame = "end_frame"
    }
}

/// The scenes of a video and the cuts between them.
///
/// Encodes as `{"fps": 25.0, "scenes": [{"start": 0.0, "end": 6.0, "start_frame": 0, "end_frame": 150}],
/// "cuts": [6.0]}`. A video without cuts is one scene covering the whole video, and `cuts` is empty.
public struct SceneList: Codable, Sendable, Equatable {
    /// The video's average frame rate (frames per second).
    public var fps: Double
    /// The scenes in time order; they cover the video without gaps.
    public var scenes: [Scene]
    /// The cut times in seconds: the start of every scene but the first.
    public var cuts: [Double]
    /// Decode errors met while reading the video (damaged data skipped; each usually costs a frame or a few).
    /// Not part of the JSON form; 0 after decoding.
    public var decodeErrors: Int
    /// Frames the codec flagged as damaged (concealed); they were left out of the analysis. Not part of the
    /// JSON form; 0 after decoding.
    public var damagedFrames: Int

    /// Creates a list.
    public init(fps: Double, scenes: [Scene], cuts: [Double], decodeErrors: Int = 0, damagedFrames: Int = 0) {
        self.fps = fps
        self.scenes = scenes
        self.cuts = cuts
        self.decodeErrors = decodeErrors
        self.damagedFrames = damagedFrames
    }

    /// The scene list for a video of `frameCount` frames with cuts at the given frames (each the first frame
    /// of a new scene). Cuts outside `1..<frameCount` and repeats are ignored.
    ///
    /// - Parameters:
    ///   - frameTime: the time of a frame in seconds, for `0..<frameCount`.
    ///   - endTime: the time at which the video ends (after its last frame).
    public init(fps: Double, cutFrames: [Int], frameCount: Int, frameTime: (Int) -> Double, endTime: Double,
                decodeErrors: Int = 0, damagedFrames: Int = 0) {
        let cutSet = Set(cutFrames.filter { $0 > 0 && $0 < frameCount })
        let boundaries = [0] + cutSet.sorted() + [frameCount]
        var scenes: [Scene] = []
        for (startFrame, endFrame) in zip(boundaries, boundaries.dropFirst()) where endFrame > startFrame {
            let end = endFrame == frameCount ? endTime : frameTime(endFrame)
            scenes.append(Scene(start: Self.tidy(frameTime(startFrame)), end: Self.tidy(end),
                                startFrame: startFrame, endFrame: endFrame))
        }
        self.init(fps: fps, scenes: scenes, cuts: scenes.dropFirst().map(\.start), decodeErrors: decodeErrors,
                  damagedFrames: damagedFrames)
    }

    /// The frames at which scenes 2, 3, ... start.
    public var cutFrames: [Int] { scenes.dropFirst().map(\.startFrame) }

    /// Times rounded to the microsecond, so that `150 * (1/12800 * 512)` prints as 6.0 and not 6.000000000000001.
    static func tidy(_ seconds: Double) -> Double { (seconds * 1_000_000).rounded() / 1_000_000 }

    enum CodingKeys: String, CodingKey {
        case fps, scenes, cuts
    }

    /// Reads the JSON form (``decodeErrors`` and ``damagedFrames`` become 0).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(fps: try container.decode(Double.self, forKey: .fps),
                  scenes: try container.decode([Scene].self, forKey: .scenes),
                  cuts: try container.decode([Double].self, forKey: .cuts))
    }

    /// Writes the JSON form: `fps`, `scenes` and `cuts` only.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fps, forKey: .fps)
        try container.encode(scenes, forKey: .scenes)
        try container.encode(cuts, forKey: .cuts)
    }
}
