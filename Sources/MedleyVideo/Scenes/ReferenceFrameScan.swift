import MedleyCore
import MedleyMedia

/// The content detector's fast path: decode only the reference frames, and the frames between them only
/// where a cut may be.
///
/// Non-reference frames (no other frame is predicted from them) are about half of an H.264 video's frames and
/// 45 % of its decoding work, and they can be left out without changing any other frame. Between two
/// consecutive reference frames A and B lie one to a few such frames (one with x264's default B-pyramid). The
/// cuts depend on their scores only if one of them could reach the threshold, so the scan scores B against A
/// directly: a cut, a flash or fast motion in between makes them differ. When that score reaches
/// ``refineFraction`` of the threshold, or while the flash guard waits (it compares every frame with the one
/// before a jump), the frames in between are decoded exactly (``GapDecoder``) and scored one by one as in a
/// full decode; otherwise they are taken to be below the threshold. Reference frames are decoded exactly the
/// same either way, so the result is the full decode's wherever that presumption holds.
///
/// The presumption, not a proof: a jump of the whole threshold between A and B that leaves B within
/// ``refineFraction`` of A goes unseen. A one-frame flash does that, and the flash guard discards flashes anyway
/// (so the scan runs only with it on); flicker can too. Measured on the benchmark video (60 shots of ten
/// kinds, x264 veryfast: 7,193 gaps of one frame each, scores from the full decode): 586 gaps hold a frame
/// scoring at or above the threshold, and the lowest A-to-B score among them is 0.87 of the threshold (a
/// flickering cellular automaton), against the 0.5 that sends a gap to the exact decoder. Every cut scored at
/// least 1.88 times the threshold. The tests compare the scan's cuts with the full decode's on generated clips.
///
/// Where the video is busy (fast motion, a busy texture: three gaps in a row decoded exactly), decoding the
/// reference frames twice would cost more than a full decode, so the exact decoder takes over and decodes
/// every frame until the next keyframe, where the scan's own decoder seeks to rejoin it.
///
/// The scan runs only for codecs whose non-reference frames FFmpeg drops without touching other frames
/// (``VideoDecoder/skipsNonReferenceFrames``); otherwise it returns nil and the caller decodes every frame.
struct ReferenceFrameScan {
    let path: String
    let options: SceneDetectionOptions
    /// The analysis frame size, after rotation (the size the decoders are opened at).
    let width: Int
    let height: Int

    /// A gap between two reference frames is decoded exactly when their score reaches this fraction of the
    /// threshold: well under the 0.87 measured above, while calm shots seldom get there (on the benchmark,
    /// 882 of the 7,193 gaps did, nearly all in its two busy kinds of shot).
    static let refineFraction = 0.5

    /// After this many gaps in a row decoded exactly, every frame is decoded until the next keyframe. Two
    /// gaps follow every cut (the flash guard watches the frames after a jump), so three mean a busy stretch.
    static let busyRun = 3

    /// Frames between cancellation checks and progress reports.
    private static let reportInterval = 25

    /// The frame rate assumed when the stream does not give one (as ``SceneDetector`` does).
    private static let fallbackFrameRate = 25.0

    /// How the scan went: where its frames came from.
    struct Statistics: Equatable {
        /// Frames left undecoded and taken as below the threshold.
        var skippedFrames = 0
        /// Gaps between reference frames decoded exactly, and the frames in them.
        var exactGaps = 0
        var exactGapFrames = 0
        /// Frames decoded in busy stretches (every frame, by the exact decoder).
        var busyFrames = 0
    }

    /// The scenes and how the scan went, or nil when this video does not allow the scan.
    ///
    /// - Throws: what ``SceneDetector/detect(path:progress:)`` throws.
    func run(progress: any ProgressReporter) async throws -> (scenes: SceneList, statistics: Statistics)? {
        let decoder = try VideoDecoder(path: path, options: decodeOptions(skipNonReferenceFrames: true))
        guard decoder.skipsNonReferenceFrames else { return nil }
        var state = ScanState(
            options: options, gaps: GapDecoder(path: path, options: decodeOptions(skipNonReferenceFrames: false)),
            nominalSpacing: 1 / (decoder.frameRate ?? Self.fallbackFrameRate))
        let refineLevel = options.effectiveThreshold * Self.refineFraction
        let total = decoder.duration
        var picture = AnalysisPicture()
        // Scan index minus the decoder's index of the same frame (the decoder counts afresh after a seek).
        var indexOffset = 0
        // Set while the exact decoder decodes every frame.
        var busy = false
        // After a busy stretch: the keyframe where the scan's decoder, after seeking, must rejoin.
        var rejoin: (time: Double, index: Int)?
        var exactRun = 0
        var loops = 0
        var statistics = Statistics()
        while true {
            if loops % Self.reportInterval == 0 {
                try Task.checkCancellation()
                progress.report(ProgressEvent(stage: "scenes", completed: state.times.last ?? 0, total: total, unit: "s"))
            }
            loops += 1
            if busy {
                guard try state.gaps.withNextPicture({ picture.load($0, options: options) }) != nil else { break }
                let index = state.times.count
                state.take(picture, index: index)
                statistics.busyFrames += 1
                if picture.isKeyframe {
                    busy = false
                    exactRun = 0
                    rejoin = (picture.time, index)
                    try decoder.seek(to: picture.time)
                }
                continue
            }
            guard try decoder.withNextPicture({ picture.load($0, options: options) }) != nil else {
                // Frames skipped after the last reference frame: decoded exactly (nothing after them to compare
                // with).
                if decoder.unreturnedFrameCount > 0, let last = state.times.last {
                    try state.decodeExactly(count: decoder.unreturnedFrameCount, after: last, before: .infinity)
                    statistics.exactGaps += 1
                    statistics.exactGapFrames += decoder.unreturnedFrameCount
                }
                break
            }
            if let target = rejoin {
                rejoin = nil
                if picture.time == target.time {
                    // The keyframe the exact decoder already gave: from here the decoder's count goes on.
                    indexOffset = target.index - picture.index
                    continue
                }
                // The keyframe did not come first (damaged?): the exact decoder goes on to the next one.
                busy = true
                continue
            }
            let index = picture.index + indexOffset
            guard index >= state.times.count else {
                throw MedleyError.internal("\(path): frame \(index) came twice in the reference-frame scan")
            }
            var refined = false
            if index > state.times.count {
                let count = index - state.times.count
                let previous = state.times.last ?? -Double.infinity
                // Frames before the first reference frame have nothing to be compared with: decoded exactly.
                let exact = state.times.isEmpty || state.detector.needsEveryFrame
                    || picture.withFrame(index: index, { state.detector.peek($0) }) >= refineLevel
                if exact {
                    try state.decodeExactly(count: count, after: previous, before: picture.time)
                    exactRun += 1
                    refined = true
                    statistics.exactGaps += 1
                    statistics.exactGapFrames += count
                } else {
                    state.skip(count: count, after: previous, before: picture.time)
                    exactRun = 0
                    statistics.skippedFrames += count
                }
            }
            state.take(picture, index: index)
            // The exact decoder stopped at this very frame: it can go on from here.
            if refined && exactRun >= Self.busyRun && state.gaps.position == picture.time { busy = true }
        }
        guard let lastTime = state.times.last else {
            throw MedleyError.unreadableMedia(path: path, reason: "the video stream has no frames")
        }
        var cuts = state.cuts
        cuts += state.detector.finish(frameCount: state.times.count)
        let count = state.times.count
        let fps = decoder.frameRate ?? total.map { Double(count) / max($0, 1e-9) } ?? Self.fallbackFrameRate
        progress.report(ProgressEvent(stage: "scenes", completed: total ?? lastTime, total: total, unit: "s"))
        let times = state.times
        // Damaged frames are counted once each as the scan takes them (a frame both decoders decode, such as the
        // reference frame closing an exact gap, is taken once); a packet both decoders reject counts twice.
        let scenes = SceneList(fps: fps, cutFrames: cuts, frameCount: count, frameTime: { times[$0] },
                               endTime: lastTime + 1 / fps,
                               decodeErrors: decoder.decodeErrorCount + state.gaps.decodeErrorCount,
                               damagedFrames: state.damagedFrames)
        return (scenes, statistics)
    }

    private func decodeOptions(skipNonReferenceFrames: Bool) -> VideoDecodeOptions {
        VideoDecodeOptions(width: width, height: height, keepAspectRatio: false, threadCount: options.threadCount,
                           skipLoopFilter: options.skipLoopFilter, skipNonReferenceFrames: skipNonReferenceFrames)
    }
}

/// What ``ReferenceFrameScan`` has found so far: every frame's time, the detector and its cuts, and the exact
/// decoder.
private struct ScanState {
    let options: SceneDetectionOptions
    var gaps: GapDecoder
    /// One frame's duration at the stream's average rate, for placing frames that are not decoded.
    let nominalSpacing: Double
    var detector: ContentDetector
    var times: [Double] = []
    var cuts: [Int] = []
    /// Frames taken that the decoder flagged as damaged (left out of the analysis).
    private(set) var damagedFrames = 0
    /// The time of the latest keyframe seen.
    var lastKeyframe = -Double.infinity
    private var gapPicture = AnalysisPicture()

    init(options: SceneDetectionOptions, gaps: GapDecoder, nominalSpacing: Double) {
        self.options = options
        self.gaps = gaps
        self.nominalSpacing = nominalSpacing
        detector = ContentDetector(options: options)
    }

    /// Frame `index` (the next one) decoded: timed, and analysed unless damaged (a concealed frame shows smeared
    /// blocks that would score as a cut; the next good frame is compared with the last good one instead).
    mutating func take(_ picture: AnalysisPicture, index: Int) {
        times.append(picture.time)
        if picture.isDamaged { damagedFrames += 1 }
        if !picture.isDamaged { cuts += picture.withFrame(index: index) { detector.process($0) } }
        if picture.isKeyframe { lastKeyframe = picture.time }
    }

    /// The `count` frames between `after` and `before` were skipped: placed evenly, taken as below the threshold.
    mutating func skip(count: Int, after: Double, before: Double) {
        let spacing = (before - after) / Double(count + 1)
        for k in 1...count {
            let index = times.count
            times.append(after + spacing * Double(k))
            cuts += detector.skip(index: index)
        }
    }

    /// Decodes and analyses exactly the `count` frames timed between `after` and `before` (at most `count`, in
    /// order). Frames the exact decoder cannot give are left out of the analysis, as damaged ones are, except
    /// at the end of the video (`before` infinite), where none is made up.
    mutating func decodeExactly(count: Int, after: Double, before: Double) throws {
        let first = times.count
        let spacing = before.isFinite && after.isFinite ? (before - after) / Double(count + 1) : nominalSpacing
        // Both moved out of self while the closure below changes self.
        var picture = gapPicture
        var gaps = self.gaps
        defer {
            gapPicture = picture
            self.gaps = gaps
        }
        try gaps.decode(after: after, before: before, spacing: spacing, lastKeyframe: lastKeyframe) { decoded in
            guard times.count < first + count else { return }
            picture.load(decoded, options: options)
            take(picture, index: times.count)
        }
        guard before.isFinite else { return }
        let base = after.isFinite ? after : max(0, before - spacing * Double(count + 1))
        while times.count < first + count {
            times.append(base + spacing * Double(times.count - first + 1))
        }
    }
}
