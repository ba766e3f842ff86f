import MedleyCore
import MedleyMedia

/// Finds the scenes (shots) of a video: decodes it once and runs one of PySceneDetect's detectors (content,
/// adaptive, threshold) over the frames shrunk to the analysis size.
///
/// Frames: for 4:2:0 video (nearly all video) the analysis frame is made from the decoder's planes exactly
/// as PySceneDetect's OpenCV pipeline makes it (``AnalysisDownscaler``: swscale's integer BT.601 conversion,
/// then OpenCV's fixed-point bilinear resize to about 256 px on the longer side), without running swscale.
/// Other pixel formats go through swscale's bilinear resize to the same size (scores then differ slightly).
/// Rotation metadata is ignored for the analysis (frame differences do not depend on it).
///
/// Speed: by default the decoder skips its deblocking filter (scores move by hundredths,
/// ``SceneDetectionOptions/defaultSkipLoopFilter``) and the content detector decodes non-reference frames only
/// where a cut may be (``ReferenceFrameScan``). With ``SceneDetectionOptions/skipLoopFilter`` `.none` and
/// ``SceneDetectionOptions/referenceFrameScan`` off, every frame is decoded exactly and the scores, and the
/// cuts, are PySceneDetect's (`medley scenes --exact-decode`).
///
/// Streaming: frames are analysed as they are decoded and only the current, previous and (around a
/// suspected flash) one older frame are kept at analysis size, plus one timestamp per frame, so memory
/// stays flat for long inputs. Progress is reported with stage "scenes" in seconds of video; the work checks
/// for cancellation every few frames and then throws `CancellationError`.
public struct SceneDetector: Sendable {
    /// The detection settings.
    public let options: SceneDetectionOptions

    /// Frames between cancellation checks and progress reports.
    private static let reportInterval = 25

    /// Creates a detector.
    public init(options: SceneDetectionOptions = SceneDetectionOptions()) {
        self.options = options
    }

    /// The scenes of the video at `path`.
    ///
    /// - Throws: `invalidArgument` for bad options; from the decoder `fileNotFound`, `isDirectory`,
    ///   `emptyFile`, `unreadableMedia` (also when no frame at all can be decoded), `noStream` (no video
    ///   stream, e.g. an audio-only file), `unsupportedCodec`; `CancellationError` when cancelled.
    public func detect(path: String, progress: any ProgressReporter = SilentProgress()) async throws -> SceneList {
        try options.validate()
        // Opened once at native size only to learn the display size (after rotation); cheap, no decoding.
        let probe = try VideoDecoder(path: path, options: VideoDecodeOptions(threadCount: 1))
        let size = options.analysisSize(width: probe.width, height: probe.height)
        if options.detector == .content && options.referenceFrameScan && options.maximumFlashLength > 0 {
            let scan = ReferenceFrameScan(path: path, options: options, width: size.width, height: size.height)
            if let scanned = try await scan.run(progress: progress) { return scanned.scenes }
        }
        let decoder = try VideoDecoder(path: path, options: VideoDecodeOptions(
            width: size.width, height: size.height, keepAspectRatio: false, threadCount: options.threadCount,
            skipLoopFilter: options.skipLoopFilter))
        var detector: any CutDetector
        switch options.detector {
        case .content: detector = ContentDetector(options: options)
        case .adaptive: detector = AdaptiveDetector(options: options)
        case .threshold: detector = ThresholdDetector(options: options)
        }
        let total = decoder.duration
        var times: [Double] = []
        var cuts: [Int] = []
        var count = 0
        var picture = AnalysisPicture()
        while true {
            if count % Self.reportInterval == 0 {
                try Task.checkCancellation()
                progress.report(ProgressEvent(stage: "scenes", completed: times.last ?? 0, total: total, unit: "s"))
            }
            guard try decoder.withNextPicture({ picture.load($0, options: options) }) != nil else { break }
            times.append(picture.time)
            // A concealed frame shows smeared blocks that would score as a cut; the next good frame is compared
            // with the last good one instead.
            if !picture.isDamaged { cuts += picture.withFrame(index: count) { detector.process($0) } }
            count += 1
        }
        cuts += detector.finish(frameCount: count)
        guard count > 0 else {
            throw MedleyError.unreadableMedia(path: path, reason: "the video stream has no frames")
        }
        let fps = decoder.frameRate ?? total.map { Double(count) / max($0, 1e-9) } ?? 25
        // The video ends one frame duration after its last frame (PySceneDetect: frame count / fps).
        let lastTime = times[count - 1]
        let endTime = lastTime + 1 / fps
        progress.report(ProgressEvent(stage: "scenes", completed: total ?? lastTime, total: total, unit: "s"))
        return SceneList(fps: fps, cutFrames: cuts, frameCount: count,
                         frameTime: { times[$0] }, endTime: endTime, decodeErrors: decoder.decodeErrorCount,
                         damagedFrames: decoder.damagedFrameCount)
    }
}
