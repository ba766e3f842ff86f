import Foundation
import MedleyCore
import MedleyMedia
@testable import MedleyVideo
import XCTest

/// The content detector's fast paths against the full decode: the reference-frame scan (non-reference frames
/// decoded only where a cut may be) and the decoder's deblocking shortcut must find the same cuts.
///
/// The clips are encoded the way x264 usually encodes (`veryfast`: B-frames with a B-pyramid, about half the
/// frames non-reference ones), unlike the other tests' `ultrafast` clips, which have no B-frames to skip.
final class ReferenceFrameScanTests: XCTestCase {
    private static let bFrames = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"]
    /// Frames per shot in ``shots(_:_:frames:extra:)``: short, for debug-build speed, and twice the minimum scene
    /// length.
    private static let shotFrames = 30
    /// The cuts of the five shots of ``VideoTestMedia/shotSources``.
    private static let shotCuts = [30, 60, 90, 120]
    /// x264 without its scene-cut keyframes and with a fixed picture pattern (a keyframe every 40 frames, then
    /// P b B b P ..., the lower-case b non-reference): with 31-frame shots the cuts fall inside groups of
    /// pictures, on non-reference frames 31 and 93, a reference B-frame 62 and a P-frame 124.
    private static let fixedGroups = ["-x264-params", "scenecut=0:keyint=40:b-adapt=0:bframes=3:b-pyramid=normal"]
    private static let fixedGroupShotFrames = 31

    private func detect(_ path: String, _ options: SceneDetectionOptions) async throws -> SceneList {
        try await SceneDetector(options: options).detect(path: path, progress: SilentProgress())
    }

    /// The same scenes, frame for frame, from the scan and from decoding every frame (same decoder settings);
    /// returns them with the scan's statistics.
    private func assertScanMatchesFullDecode(
        _ path: String, skipLoopFilter: VideoDecodeOptions.FrameSelection = SceneDetectionOptions.defaultSkipLoopFilter,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> (scenes: SceneList, statistics: ReferenceFrameScan.Statistics) {
        let options = SceneDetectionOptions(skipLoopFilter: skipLoopFilter)
        let size = options.analysisSize(width: 320, height: 180)
        let scan = ReferenceFrameScan(path: path, options: options, width: size.width, height: size.height)
        let result = try await scan.run(progress: SilentProgress())
        let (scanned, statistics) = try XCTUnwrap(result, "the scan gave up", file: file, line: line)
        let full = try await detect(path, SceneDetectionOptions(skipLoopFilter: skipLoopFilter, referenceFrameScan: false))
        XCTAssertEqual(scanned.cutFrames, full.cutFrames, "cuts", file: file, line: line)
        XCTAssertEqual(scanned.scenes.last?.endFrame, full.scenes.last?.endFrame, "frame count", file: file, line: line)
        XCTAssertEqual(scanned.scenes, full.scenes, "scenes", file: file, line: line)
        // Every frame is accounted for: decoded by the scan, skipped, or decoded exactly.
        XCTAssertGreaterThan(statistics.skippedFrames, 0, "nothing skipped: the scan was not tested", file: file, line: line)
        return (scanned, statistics)
    }

    /// Shots of `frames` frames each from `sources`, at 25 fps, x264 veryfast with `extra` settings.
    private func shots(_ name: String, _ sources: [String], frames: Int = shotFrames, extra: [String] = []) throws -> String {
        let inputs = sources.enumerated().map {
            "\(VideoTestMedia.source($0.element, seconds: Double(frames) / 25))[s\($0.offset)]"
        }
        let graph = inputs.joined(separator: ";") + ";" + (0..<sources.count).map { "[s\($0)]" }.joined()
            + "concat=n=\(sources.count)"
        return try VideoTestMedia.make(name, ["-filter_complex", graph] + Self.bFrames + extra)
    }

    /// Hard cuts where x264 put keyframes (its scene-cut detection).
    func testHardCutsAtKeyframesAreTheFullDecodes() async throws {
        let (scenes, statistics) = try await assertScanMatchesFullDecode(try shots("scan-cuts.mp4", VideoTestMedia.shotSources))
        XCTAssertGreaterThanOrEqual(cutF1(detected: scenes.cutFrames, truth: Self.shotCuts), 0.95, "cuts \(scenes.cutFrames)")
        XCTAssertGreaterThan(statistics.exactGaps, 0, "the frames after each cut are decoded exactly")
        // SceneDetector's default for the content detector is the scan.
        let detected = try await detect(try shots("scan-cuts.mp4", VideoTestMedia.shotSources), SceneDetectionOptions())
        XCTAssertEqual(detected, scenes)
    }

    /// Cuts inside groups of pictures, two of them on non-reference frames, where reaching the frames around a
    /// cut means seeking back to a keyframe; with exact deblocking this time.
    func testHardCutsInsideGroupsAreTheFullDecodes() async throws {
        let (scenes, statistics) = try await assertScanMatchesFullDecode(try fixedGroupShots(), skipLoopFilter: .none)
        XCTAssertEqual(scenes.cutFrames.count, 4, "cuts \(scenes.cutFrames)")
        XCTAssertGreaterThan(statistics.exactGaps, 0)
    }

    private func fixedGroupShots() throws -> String {
        try shots("scan-cuts-gop.mp4", VideoTestMedia.shotSources, frames: Self.fixedGroupShotFrames, extra: Self.fixedGroups)
    }

    /// A busy shot (a cellular automaton whose every frame scores above the threshold) between calm ones: the
    /// scan decodes every frame there and rejoins at the next keyframe.
    func testBusyShotIsDecodedInFull() async throws {
        let busy = "cellauto=s=\(VideoTestMedia.size):r=25:rule=110:seed=7"
        let file = try shots("scan-busy.mp4", ["testsrc2=s=\(VideoTestMedia.size):r=25", busy, busy, busy,
                                               "smptehdbars=s=\(VideoTestMedia.size):r=25"],
                             extra: ["-g", "25"])
        let statistics = try await assertScanMatchesFullDecode(file).statistics
        XCTAssertGreaterThan(statistics.busyFrames, 25, "\(statistics)")
    }

    /// Flashes inside a shot: no cut, as in the full decode.
    func testFlashesAreTheFullDecodes() async throws {
        let s = VideoTestMedia.size
        let flashes = try VideoTestMedia.make("scan-flashes.mp4", ["-filter_complex",
            "testsrc2=s=\(s):r=25:d=5[a];color=white:s=\(s):r=25:d=5[w];"
            + "[a][w]overlay=enable='eq(n\\,30)+eq(n\\,81)+between(n\\,110\\,111)',format=yuv420p"] + Self.bFrames)
        let flashScenes = try await assertScanMatchesFullDecode(flashes).scenes
        XCTAssertEqual(flashScenes.cuts, [])
    }

    /// A whip pan back and forth: the full decode's result.
    func testFastPanIsTheFullDecodes() async throws {
        let pan = try VideoTestMedia.make("scan-pan.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=960x180:r=25:d=5",
            "-vf", "crop=320:180:'320*(2-abs(2-mod(t\\,4)))':0,format=yuv420p",
        ] + Self.bFrames)
        _ = try await assertScanMatchesFullDecode(pan)
    }

    /// A short dissolve: one cut inside it, as in the full decode.
    func testDissolveIsTheFullDecodes() async throws {
        let s = VideoTestMedia.size
        let dissolve = try VideoTestMedia.make("scan-dissolve.mp4", ["-filter_complex",
            "testsrc2=s=\(s):r=25:d=3,format=yuv420p[a];mandelbrot=s=\(s):r=25,trim=duration=3,format=yuv420p[b];"
            + "[a][b]xfade=transition=fade:duration=0.2:offset=1.6,format=yuv420p"] + Self.bFrames)
        let dissolved = try await assertScanMatchesFullDecode(dissolve).scenes
        XCTAssertEqual(dissolved.cuts.count, 1, "cuts \(dissolved.cutFrames)")
    }

    /// A stream cut without re-encoding ends with frames missing (their references were cut off): frames are
    /// counted from the packets, so the count is the full decode's, not the one the timestamps suggest.
    func testFramesMissingFromTheTimestampsAreNotInvented() async throws {
        let source = try shots("scan-source.mp4", Array(VideoTestMedia.shotSources.prefix(3)))
        let cut = VideoTestMedia.path("scan-copy-cut.mp4")
        if !FileManager.default.fileExists(atPath: cut) {
            try VideoTestMedia.run("/usr/bin/ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", source, "-t", "4.5",
                                                       "-c", "copy", cut])
        }
        _ = try await assertScanMatchesFullDecode(cut)
    }

    /// The deblocking shortcut (the default) finds the same cuts as PySceneDetect's exact decode, on every clip.
    func testDeblockingShortcutFindsTheExactDecodesCuts() async throws {
        let exact = SceneDetectionOptions(skipLoopFilter: .none, referenceFrameScan: false)
        for file in [try shots("scan-cuts.mp4", VideoTestMedia.shotSources), try fixedGroupShots()] {
            let fast = try await detect(file, SceneDetectionOptions())
            let reference = try await detect(file, exact)
            XCTAssertEqual(fast.cutFrames, reference.cutFrames, file)
            XCTAssertEqual(fast.scenes.last?.endFrame, reference.scenes.last?.endFrame, file)
        }
    }

    /// The scan's content scores are the full decode's wherever it decodes a frame: a peeked frame scored next
    /// reuses its conversion, and skipped frames leave the last frame scored as the one compared with.
    func testPeekThenScoreEqualsScore() throws {
        let video = try VideoTestMedia.hardCuts()
        let decoder = try VideoDecoder(path: video, options: VideoDecodeOptions(width: 256, height: 144, keepAspectRatio: false))
        var plain = ContentScorer(weights: .default)
        var peeking = ContentScorer(weights: .default)
        var picture = AnalysisPicture()
        var index = 0
        while try decoder.withNextPicture({ picture.load($0, options: SceneDetectionOptions()) }) != nil, index < 120 {
            let expected = picture.withFrame(index: index) { plain.score($0) }
            if index % 3 == 0 {
                let peeked = picture.withFrame(index: index) { peeking.peek($0) }
                XCTAssertEqual(peeked, expected, "frame \(index)")
            }
            XCTAssertEqual(picture.withFrame(index: index) { peeking.score($0) }, expected, "frame \(index)")
            index += 1
        }
        XCTAssertEqual(index, 120)
    }
}
