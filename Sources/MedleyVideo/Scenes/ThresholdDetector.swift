/// PySceneDetect's ThresholdDetector (method FLOOR): the video is "out" while the mean of all R, G and B
/// values of a frame is below the threshold. Each fade-out followed by a fade-in gives one cut, placed by
/// the fade bias (0: the middle of the dark stretch).
struct ThresholdDetector: CutDetector {
    private let threshold: Double
    private let fadeBias: Double
    private let minimumSceneLength: Int
    private let addFinalScene: Bool
    private var isOut = false
    private var lastFade = 0
    private var lastCut: Int?
    private var started = false

    init(options: SceneDetectionOptions) {
        // PySceneDetect stores the threshold as an int.
        threshold = options.effectiveThreshold.rounded(.towardZero)
        fadeBias = options.fadeBias
        minimumSceneLength = options.minimumSceneLength
        addFinalScene = options.addFinalScene
    }

    mutating func process(_ frame: AnalysisFrame) -> [Int] {
        let level = Self.meanIntensity(frame)
        guard started else {
            started = true
            isOut = level < threshold
            lastFade = 0
            return []
        }
        var cuts: [Int] = []
        if !isOut && level < threshold {
            isOut = true
            lastFade = frame.index
        } else if isOut && level >= threshold {
            if lastCut.map({ frame.index - $0 >= minimumSceneLength }) ?? true {
                let length = Double(frame.index - lastFade)
                let offset = Int((length * (1 + fadeBias) / 2).rounded(.toNearestOrEven))
                cuts.append(lastFade + offset)
                lastCut = frame.index
            }
            isOut = false
            lastFade = frame.index
        }
        return cuts
    }

    mutating func finish(frameCount: Int) -> [Int] {
        guard addFinalScene, isOut, lastFade > 0, lastCut.map({ lastFade - $0 >= minimumSceneLength }) ?? true
        else { return [] }
        return [lastFade]
    }

    /// The mean of all channel values of the frame (0...255).
    static func meanIntensity(_ frame: AnalysisFrame) -> Double {
        guard let base = frame.pixels.baseAddress?.assumingMemoryBound(to: UInt8.self),
              frame.width > 0, frame.height > 0 else { return 0 }
        var total = 0
        let rowBytes = frame.width * 3
        for y in 0..<frame.height {
            let row = base + y * frame.stride
            var partial: UInt32 = 0
            for x in 0..<rowBytes { partial &+= UInt32(row[x]) }
            total += Int(partial)
        }
        return Double(total) / Double(rowBytes * frame.height)
    }
}
