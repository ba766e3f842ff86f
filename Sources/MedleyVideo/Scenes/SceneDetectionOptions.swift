import MedleyCore
import MedleyMedia

/// How ``SceneDetector`` finds cuts. A plain configuration value; the defaults are PySceneDetect's (0.6/0.7
/// Python API) for each detector.
public struct SceneDetectionOptions: Sendable, Equatable {
    /// The algorithm that scores frames and places cuts.
    public enum Detector: String, Sendable, CaseIterable, Codable {
        /// Hard cuts: mean absolute difference of consecutive frames in HSV (PySceneDetect's ContentDetector).
        case content
        /// Hard cuts under camera motion: the content score relative to its neighbours' (AdaptiveDetector).
        case adaptive
        /// Fades to and from black: mean pixel intensity against a level (ThresholdDetector).
        case threshold
    }

    /// What happens to frames above the threshold that come less than ``minimumSceneLength`` after a cut
    /// (PySceneDetect's `FlashFilter.Mode`).
    public enum FlashFilterMode: String, Sendable, CaseIterable, Codable {
        /// A run of busy frames counts as one cut, emitted when the run ends (PySceneDetect's default).
        case merge
        /// Frames too close to the previous cut are dropped; a long busy shot gives a cut every
        /// ``minimumSceneLength`` frames.
        case suppress
    }

    /// Per-channel weights of the content score (PySceneDetect's `ContentDetector.Components`).
    public struct Weights: Sendable, Equatable, Codable {
        /// Hue difference weight.
        public var hue: Double
        /// Saturation difference weight.
        public var saturation: Double
        /// Luma (HSV value) difference weight.
        public var luma: Double
        /// Edge-map difference weight (0 skips computing edges).
        public var edges: Double

        /// Creates weights.
        public init(hue: Double = 1, saturation: Double = 1, luma: Double = 1, edges: Double = 0) {
            self.hue = hue
            self.saturation = saturation
            self.luma = luma
            self.edges = edges
        }

        /// PySceneDetect's `DEFAULT_COMPONENT_WEIGHTS`: (1, 1, 1, 0).
        public static let `default` = Weights()
        /// PySceneDetect's `LUMA_ONLY_WEIGHTS`: (0, 0, 1, 0), for greyscale video.
        public static let lumaOnly = Weights(hue: 0, saturation: 0, luma: 1, edges: 0)
    }

    /// ContentDetector's `threshold=27.0`.
    public static let defaultContentThreshold = 27.0
    /// AdaptiveDetector's `adaptive_threshold=3.0`.
    public static let defaultAdaptiveThreshold = 3.0
    /// ThresholdDetector's `threshold=12` (mean 8-bit intensity).
    public static let defaultFadeThreshold = 12.0
    /// PySceneDetect's `min_scene_len=15` frames (its Python API default).
    public static let defaultMinimumSceneLength = 15
    /// PySceneDetect's `auto_downscale` target: frames are shrunk so that the longer side is about 256 px.
    public static let defaultAnalysisSize = 256

    /// The decoder shortcut scene detection uses by default: no deblocking on any frame. Measured on the
    /// benchmark video (bench/scenes.sh, 15,000 frames of x264): the content scores move by 0.05 on average,
    /// 0.38 at the 99th percentile and 2.9 at most against the exact decode (threshold 27), no frame crosses the
    /// threshold, and scene detection takes about 15 % less CPU (30-31 s instead of 35-38 s).
    public static let defaultSkipLoopFilter = VideoDecodeOptions.FrameSelection.all

    /// The detector.
    public var detector: Detector
    /// The detector's threshold; nil uses its default (27 content, 3.0 adaptive ratio, 12 intensity).
    public var threshold: Double?
    /// The shortest scene in frames: no cut comes less than this many frames after the previous one.
    public var minimumSceneLength: Int
    /// Content and adaptive detectors: channel weights.
    public var weights: Weights
    /// Content detector: PySceneDetect's flash filter mode.
    public var flashFilter: FlashFilterMode
    /// Content detector: a jump that returns to the picture before it within this many frames is a flash
    /// (a photo flash, a strobe, a one-frame glitch) and not a cut. PySceneDetect has no such check (its
    /// flash filter keeps single-frame flashes); 0 turns it off for PySceneDetect's exact behaviour.
    public var maximumFlashLength: Int
    /// Adaptive detector: frames on each side in the rolling average (`window_width=2`).
    public var adaptiveWindow: Int
    /// Adaptive detector: the content score a frame needs on top of the ratio (`min_content_val=15`).
    public var minimumContentValue: Double
    /// Threshold detector: where in the fade the cut goes, -1 (at the fade-out) ... 0 (middle) ... 1 (at the
    /// fade-in) (`fade_bias=0`).
    public var fadeBias: Double
    /// Threshold detector: also cut where a video that ends faded out went dark (`add_final_scene=False`).
    public var addFinalScene: Bool
    /// The longer side of the analysed frames in pixels (see ``analysisSize(width:height:)``); 0 analyses
    /// at full resolution.
    public var analysisSize: Int
    /// Decoder threads; 0 lets FFmpeg pick one per core.
    public var threadCount: Int
    /// Content detector: decode the reference frames, and the frames between them only where a cut may be
    /// (``ReferenceFrameScan``: with the flash guard on, for H.264, MPEG-1/2 and MPEG-4 Part 2; otherwise every
    /// frame is decoded). On the benchmark's x264 video about a third less CPU, and the same cuts.
    public var referenceFrameScan: Bool
    /// Frames whose in-loop deblocking the decoder skips for speed (``VideoDecodeOptions/skipLoopFilter``).
    /// The analysis frames then differ slightly from PySceneDetect's, the scores by a small fraction of the
    /// threshold (see ``defaultSkipLoopFilter``); ``VideoDecodeOptions/FrameSelection/none`` decodes exactly as
    /// PySceneDetect's OpenCV does.
    public var skipLoopFilter: VideoDecodeOptions.FrameSelection

    /// Creates options; the defaults are PySceneDetect's ContentDetector.
    public init(
        detector: Detector = .content, threshold: Double? = nil,
        minimumSceneLength: Int = defaultMinimumSceneLength, weights: Weights = .default,
        flashFilter: FlashFilterMode = .merge, maximumFlashLength: Int = 3, adaptiveWindow: Int = 2,
        minimumContentValue: Double = 15, fadeBias: Double = 0, addFinalScene: Bool = false,
        analysisSize: Int = defaultAnalysisSize, threadCount: Int = 0,
        skipLoopFilter: VideoDecodeOptions.FrameSelection = defaultSkipLoopFilter, referenceFrameScan: Bool = true
    ) {
        self.detector = detector
        self.threshold = threshold
        self.minimumSceneLength = minimumSceneLength
        self.weights = weights
        self.flashFilter = flashFilter
        self.maximumFlashLength = maximumFlashLength
        self.adaptiveWindow = adaptiveWindow
        self.minimumContentValue = minimumContentValue
        self.fadeBias = fadeBias
        self.addFinalScene = addFinalScene
        self.analysisSize = analysisSize
        self.threadCount = threadCount
        self.skipLoopFilter = skipLoopFilter
        self.referenceFrameScan = referenceFrameScan
    }

    /// The threshold in effect: ``threshold`` or the detector's default.
    public var effectiveThreshold: Double {
        if let threshold { return threshold }
        switch detector {
        case .content: return Self.defaultContentThreshold
        case .adaptive: return Self.defaultAdaptiveThreshold
        case .threshold: return Self.defaultFadeThreshold
        }
    }

    /// The size frames are analysed at, for a video that displays as `width` x `height`: PySceneDetect's
    /// rule (0.7), `factor = max(w, h) / 256` as a real number and each side `round(side / factor)` with
    /// half-to-even rounding; videos whose longer side is under the analysis size keep their size.
    public func analysisSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let longer = max(width, height)
        guard analysisSize > 0, longer >= analysisSize else { return (width, height) }
        let factor = Double(longer) / Double(analysisSize)
        func side(_ value: Int) -> Int { max(1, Int((Double(value) / factor).rounded(.toNearestOrEven))) }
        return (side(width), side(height))
    }

    /// Checks the values.
    ///
    /// - Throws: `invalidArgument` naming the bad value.
    public func validate() throws {
        let limit = effectiveThreshold
        guard limit.isFinite, limit >= 0 else {
            throw MedleyError.invalidArgument("scene threshold must be zero or positive, got \(limit)")
        }
        guard minimumSceneLength >= 1 else {
            throw MedleyError.invalidArgument("minimum scene length must be at least 1 frame, got \(minimumSceneLength)")
        }
        let all = [weights.hue, weights.saturation, weights.luma, weights.edges]
        guard all.allSatisfy(\.isFinite), all.contains(where: { $0 != 0 }) else {
            throw MedleyError.invalidArgument("content weights must be finite and not all zero, got \(all)")
        }
        guard maximumFlashLength >= 0, adaptiveWindow >= 1 else {
            throw MedleyError.invalidArgument("flash length must be >= 0 and adaptive window >= 1")
        }
        guard fadeBias >= -1, fadeBias <= 1 else {
            throw MedleyError.invalidArgument("fade bias must be between -1 and 1, got \(fadeBias)")
        }
        guard analysisSize >= 0 else {
            throw MedleyError.invalidArgument("analysis size must be zero (full size) or positive, got \(analysisSize)")
        }
    }
}
