import MedleyMedia

/// The detectors' view of one decoded picture, kept after the decoder has moved on: the analysis-size RGB
/// frame made from its 4:2:0 planes (``AnalysisDownscaler``) or, for other pixel formats, a copy of the
/// decoder's RGB frame (already at the analysis size), plus its time and flags.
struct AnalysisPicture {
    /// The picture's time in seconds, index and flags (see ``YUV420Planes``).
    private(set) var time = 0.0
    private(set) var index = 0
    private(set) var isDamaged = false
    private(set) var isKeyframe = false

    private var downscaler = AnalysisDownscaler()
    private var copied: [UInt8] = []
    private var copiedWidth = 0
    private var copiedHeight = 0
    private var copiedStride = 0
    private var usesPlanes = true

    /// Takes `picture`, shrinking 4:2:0 planes (stored orientation, coded size) to `options`' analysis size
    /// (RGB frames come at that size from the decoder). A damaged picture's pixels are not loaded: it is never
    /// analysed.
    mutating func load(_ picture: DecodedPicture, options: SceneDetectionOptions) {
        switch picture {
        case .yuv420(let planes):
            time = planes.time
            index = planes.index
            isDamaged = planes.isDamaged
            isKeyframe = planes.isKeyframe
            usesPlanes = true
            guard !isDamaged else { return }
            let target = options.analysisSize(width: planes.width, height: planes.height)
            downscaler.load(planes, targetWidth: target.width, targetHeight: target.height)
        case .rgb(let frame):
            time = frame.time
            index = frame.index
            isDamaged = frame.isDamaged
            // The converted path does not say; only the reference-frame scan's choice of how to reach a gap
            // uses it, and "no" merely costs a seek.
            isKeyframe = false
            usesPlanes = false
            guard !isDamaged else { return }
            copiedWidth = frame.width
            copiedHeight = frame.height
            copiedStride = frame.width * 3
            if copied.count != copiedStride * copiedHeight {
                copied = [UInt8](repeating: 0, count: copiedStride * copiedHeight)
            }
            copied.withUnsafeMutableBytes { out in
                guard let out = out.baseAddress, let source = frame.pixels.baseAddress else { return }
                for y in 0..<copiedHeight {
                    (out + y * copiedStride).copyMemory(from: source + y * frame.stride, byteCount: copiedStride)
                }
            }
        }
    }

    /// Lends the loaded pixels to `body` as analysis frame number `index`.
    func withFrame<Result>(index: Int, _ body: (AnalysisFrame) -> Result) -> Result {
        if usesPlanes {
            return downscaler.pixels.withUnsafeBytes { pixels in
                body(AnalysisFrame(index: index, pixels: pixels, width: downscaler.width, height: downscaler.height,
                                   stride: downscaler.stride))
            }
        }
        return copied.withUnsafeBytes { pixels in
            body(AnalysisFrame(index: index, pixels: pixels, width: copiedWidth, height: copiedHeight, stride: copiedStride))
        }
    }
}
