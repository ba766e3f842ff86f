/// PySceneDetect's ContentDetector: a cut where the HSV content score reaches the threshold, spaced by the
/// cut-spacing ("flash") filter, plus Medley's flash check (``FlashGuard``).
struct ContentDetector: CutDetector {
    private let threshold: Double
    private var scorer: ContentScorer
    private var flashGuard: FlashGuard
    private var spacing: CutSpacingFilter

    init(options: SceneDetectionOptions) {
        threshold = options.effectiveThreshold
        scorer = ContentScorer(weights: options.weights)
        flashGuard = FlashGuard(maximumLength: options.maximumFlashLength, threshold: threshold)
        spacing = CutSpacingFilter(mode: options.flashFilter, length: options.minimumSceneLength)
    }

    mutating func process(_ frame: AnalysisFrame) -> [Int] {
        let score = scorer.score(frame)
        return decide(flashGuard.push(index: frame.index, score: score, scorer: &scorer))
    }

    mutating func finish(frameCount: Int) -> [Int] {
        decide(flashGuard.flush())
    }

    /// The score `frame` would get against the last frame processed; changes nothing (``ReferenceFrameScan``).
    mutating func peek(_ frame: AnalysisFrame) -> Double {
        scorer.peek(frame)
    }

    /// True while the flash guard waits to see whether a jump comes back: it compares every frame with the
    /// one before the jump, so no frame may be skipped.
    var needsEveryFrame: Bool { flashGuard.isPending }

    /// Takes frame `index` as not decoded and below the threshold (``ReferenceFrameScan``); returns the cuts
    /// decided. Only while ``needsEveryFrame`` is false.
    mutating func skip(index: Int) -> [Int] {
        assert(!needsEveryFrame, "a skipped frame while the flash guard waits")
        return decide([FlashGuard.Decision(index: index, score: 0, isFlash: false)])
    }

    private mutating func decide(_ decisions: [FlashGuard.Decision]) -> [Int] {
        decisions.compactMap { spacing.filter(index: $0.index, above: !$0.isFlash && $0.score >= threshold) }
    }
}

/// PySceneDetect's AdaptiveDetector: a cut where a frame's content score is at least `threshold` times the
/// mean score of its `window` neighbours on each side, and at least `minimumContentValue`. Cuts are decided
/// `window` frames late. Flash frames (``FlashGuard``) count as score 0.
struct AdaptiveDetector: CutDetector {
    private let ratioThreshold: Double
    private let window: Int
    private let minimumContentValue: Double
    private let minimumSceneLength: Int
    private var scorer: ContentScorer
    private var flashGuard: FlashGuard
    /// The last `2 * window + 1` scores, oldest first, as (frame, score).
    private var recent: [(index: Int, score: Double)] = []
    private var lastCut = 0

    /// AdaptiveDetector's ratio cap (`min(score / average, 255)`) and the average below which a frame
    /// counts as following stillness (`abs(average) < 1e-5`).
    private static let maximumRatio = 255.0
    private static let stillAverage = 1e-5

    init(options: SceneDetectionOptions) {
        ratioThreshold = options.effectiveThreshold
        window = options.adaptiveWindow
        minimumContentValue = options.minimumContentValue
        minimumSceneLength = options.minimumSceneLength
        scorer = ContentScorer(weights: options.weights)
        flashGuard = FlashGuard(maximumLength: options.maximumFlashLength,
                                threshold: max(options.minimumContentValue, SceneDetectionOptions.defaultContentThreshold))
    }

    mutating func process(_ frame: AnalysisFrame) -> [Int] {
        let score = scorer.score(frame)
        return decide(flashGuard.push(index: frame.index, score: score, scorer: &scorer))
    }

    mutating func finish(frameCount: Int) -> [Int] {
        decide(flashGuard.flush())
    }

    private mutating func decide(_ decisions: [FlashGuard.Decision]) -> [Int] {
        var cuts: [Int] = []
        for decision in decisions {
            recent.append((decision.index, decision.isFlash ? 0 : decision.score))
            if recent.count > 2 * window + 1 { recent.removeFirst() }
            guard recent.count == 2 * window + 1 else { continue }
            let target = recent[window]
            let neighbours = recent.enumerated().filter { $0.offset != window }.map(\.element.score)
            let average = neighbours.reduce(0, +) / Double(neighbours.count)
            let ratio: Double
            if abs(average) < Self.stillAverage {
                ratio = target.score >= minimumContentValue ? Self.maximumRatio : 0
            } else {
                ratio = min(target.score / average, Self.maximumRatio)
            }
            if ratio >= ratioThreshold && target.score >= minimumContentValue
                && target.index - lastCut >= minimumSceneLength {
                lastCut = target.index
                cuts.append(target.index)
            }
        }
        return cuts
    }
}
