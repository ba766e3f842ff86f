import Foundation
import MedleyCore
import MedleyVideo
import XCTest

final class SceneDetectionTests: XCTestCase {
    func detect(_ path: String, _ options: SceneDetectionOptions = SceneDetectionOptions()) async throws -> SceneList {
        try await SceneDetector(options: options).detect(path: path, progress: SilentProgress())
    }

    func testHardCutsBetweenSources() async throws {
        let video = try VideoTestMedia.hardCuts()
        let scenes = try await detect(video)
        XCTAssertGreaterThanOrEqual(cutF1(detected: scenes.cutFrames, truth: VideoTestMedia.hardCutFrames), 0.95,
                                    "cuts \(scenes.cutFrames)")
        XCTAssertEqual(scenes.fps, 25, accuracy: 1e-9)
        XCTAssertEqual(scenes.scenes.first?.startFrame, 0)
        XCTAssertEqual(scenes.scenes.last?.endFrame, 250)
        XCTAssertEqual(scenes.scenes.last?.end ?? 0, 10, accuracy: 1e-6)
        // Scenes tile the video; cut times are scene starts.
        for (a, b) in zip(scenes.scenes, scenes.scenes.dropFirst()) {
            XCTAssertEqual(a.endFrame, b.startFrame)
            XCTAssertEqual(a.end, b.start)
        }
        XCTAssertEqual(scenes.cuts, scenes.scenes.dropFirst().map(\.start))
    }

    func testAdaptiveDetectorFindsHardCuts() async throws {
        let scenes = try await detect(try VideoTestMedia.hardCuts(), SceneDetectionOptions(detector: .adaptive))
        XCTAssertGreaterThanOrEqual(cutF1(detected: scenes.cutFrames, truth: VideoTestMedia.hardCutFrames), 0.95,
                                    "cuts \(scenes.cutFrames)")
    }

    func testFastMotionInsideAShotIsNotACut() async throws {
        // A 960 px wide test pattern panned back and forth at 320 px/s (about 13 px per frame, a whip pan
        // across the whole picture every second) through a 320 px window.
        let video = try VideoTestMedia.make("fast-pan.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=960x180:r=25:d=6",
            "-vf", "crop=320:180:'320*(2-abs(2-mod(t\\,4)))':0,format=yuv420p",
        ] + VideoTestMedia.h264)
        let content = try await detect(video)
        XCTAssertEqual(content.cuts, [], "content detector")
        XCTAssertEqual(content.scenes.count, 1)
        let adaptive = try await detect(video, SceneDetectionOptions(detector: .adaptive))
        XCTAssertEqual(adaptive.cuts, [], "adaptive detector")
    }

    func testFadeToBlackAndBackIsFoundByTheThresholdDetector() async throws {
        // testsrc2 fading out over 0.6 s (frames 35-49), 1 s of black (50-74), smptehdbars fading in (75-89).
        let s = VideoTestMedia.size
        let graph = "testsrc2=s=\(s):r=25:d=2,fade=t=out:st=1.4:d=0.6[a];color=black:s=\(s):r=25:d=1[b];"
            + "smptehdbars=s=\(s):r=25:d=2,fade=t=in:st=0:d=0.6[c];[a][b][c]concat=n=3,format=yuv420p"
        let video = try VideoTestMedia.make("fade.mp4", ["-filter_complex", graph] + VideoTestMedia.h264)
        let scenes = try await detect(video, SceneDetectionOptions(detector: .threshold))
        XCTAssertEqual(scenes.cuts.count, 1, "cuts \(scenes.cutFrames)")
        // The dark stretch runs from late in the fade-out to early in the fade-in: its middle is near frame 62.
        let cut = scenes.cutFrames.first ?? -1
        XCTAssertTrue((55...70).contains(cut), "cut at \(cut)")
        XCTAssertEqual(scenes.scenes.last?.endFrame, 125)
    }

    func testShortDissolveGivesOneCutInsideTheTransition() async throws {
        // testsrc2 dissolving into mandelbrot over 0.2 s from 1.6 s: frames 40 to 45. (Longer dissolves, whose
        // frame-to-frame change stays under the threshold, are missed, as by PySceneDetect's ContentDetector.)
        let s = VideoTestMedia.size
        let graph = "testsrc2=s=\(s):r=25:d=3,format=yuv420p[a];mandelbrot=s=\(s):r=25,trim=duration=3,format=yuv420p[b];"
            + "[a][b]xfade=transition=fade:duration=0.2:offset=1.6,format=yuv420p"
        let video = try VideoTestMedia.make("dissolve.mp4", ["-filter_complex", graph] + VideoTestMedia.h264)
        let scenes = try await detect(video)
        XCTAssertEqual(scenes.cuts.count, 1, "cuts \(scenes.cutFrames)")
        let cut = scenes.cutFrames.first ?? -1
        XCTAssertTrue((38...47).contains(cut), "cut at \(cut)")
    }

    func testSingleWhiteFlashesAreNotCuts() async throws {
        // Single white frames at 30 and 80, a two-frame flash at 110-111, inside one shot.
        let s = VideoTestMedia.size
        let graph = "testsrc2=s=\(s):r=25:d=6[a];color=white:s=\(s):r=25:d=6[w];"
            + "[a][w]overlay=enable='eq(n\\,30)+eq(n\\,80)+between(n\\,110\\,111)',format=yuv420p"
        let video = try VideoTestMedia.make("flashes.mp4", ["-filter_complex", graph] + VideoTestMedia.h264)
        let scenes = try await detect(video)
        XCTAssertEqual(scenes.cuts, [], "cuts \(scenes.cutFrames)")
        let adaptive = try await detect(video, SceneDetectionOptions(detector: .adaptive))
        XCTAssertEqual(adaptive.cuts, [], "adaptive cuts \(adaptive.cutFrames)")
        // Without the flash check the behaviour is PySceneDetect's: the flash frame itself is a cut.
        let pyscenedetect = try await detect(video, SceneDetectionOptions(maximumFlashLength: 0))
        XCTAssertTrue(pyscenedetect.cutFrames.contains(30), "cuts \(pyscenedetect.cutFrames)")
    }

    func testMinimumSceneLengthAndThresholdOptions() async throws {
        let video = try VideoTestMedia.hardCuts()
        // Scenes at least 60 frames long: cuts 50 and 150 survive in merge mode only if spaced; at most 3 cuts.
        let spaced = try await detect(video, SceneDetectionOptions(minimumSceneLength: 60))
        for (a, b) in zip([0] + spaced.cutFrames, spaced.cutFrames) { XCTAssertGreaterThanOrEqual(b - a, 50) }
        let strict = try await detect(video, SceneDetectionOptions(threshold: 255))
        XCTAssertEqual(strict.cuts, [])
        XCTAssertEqual(strict.scenes.count, 1)
    }

    func testJSONShape() throws {
        let list = SceneList(fps: 25, cutFrames: [150], frameCount: 250, frameTime: { Double($0) / 25 }, endTime: 10)
        let data = try JSONEncoder().encode(list)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["fps", "scenes", "cuts"])
        XCTAssertEqual(object["fps"] as? Double, 25)
        XCTAssertEqual(object["cuts"] as? [Double], [6])
        let scenes = try XCTUnwrap(object["scenes"] as? [[String: Any]])
        XCTAssertEqual(scenes.count, 2)
        XCTAssertEqual(Set(scenes[0].keys), ["start", "end", "start_frame", "end_frame"])
        XCTAssertEqual(scenes[0]["end"] as? Double, 6)
        XCTAssertEqual(scenes[0]["end_frame"] as? Int, 150)
        XCTAssertEqual(scenes[1]["start_frame"] as? Int, 150)
        XCTAssertEqual(scenes[1]["end"] as? Double, 10)
        XCTAssertEqual(try JSONDecoder().decode(SceneList.self, from: data), list)
    }

    func testNoCutsIsOneSceneCoveringTheVideo() {
        let list = SceneList(fps: 25, cutFrames: [], frameCount: 100, frameTime: { Double($0) / 25 }, endTime: 4)
        XCTAssertEqual(list.scenes, [Scene(start: 0, end: 4, startFrame: 0, endFrame: 100)])
        XCTAssertEqual(list.cuts, [])
    }

    func testAnalysisSizeFollowsPySceneDetect() {
        let options = SceneDetectionOptions()
        XCTAssertTrue(options.analysisSize(width: 1280, height: 720) == (256, 144))
        XCTAssertTrue(options.analysisSize(width: 1920, height: 1080) == (256, 144))
        XCTAssertTrue(options.analysisSize(width: 720, height: 1280) == (144, 256))
        XCTAssertTrue(options.analysisSize(width: 200, height: 100) == (200, 100))
    }

    func testProgressAndCancellation() async throws {
        let video = try VideoTestMedia.hardCuts()
        let recorder = ProgressRecorder()
        _ = try await SceneDetector().detect(path: video, progress: recorder)
        XCTAssertEqual(recorder.events.first?.stage, "scenes")
        XCTAssertEqual(recorder.events.last?.fraction ?? 0, 1, accuracy: 0.05)
        let task = Task { try await SceneDetector().detect(path: video, progress: SilentProgress()) }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch is CancellationError {
        }
    }
}

final class ProgressRecorder: ProgressReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [ProgressEvent] = []
    var events: [ProgressEvent] { lock.lock(); defer { lock.unlock() }; return stored }
    func report(_ event: ProgressEvent) { lock.lock(); stored.append(event); lock.unlock() }
}
