import Foundation
import MedleyCore
import MedleyMedia
import MedleyVideo
import XCTest

final class SceneBadInputTests: XCTestCase {
    func detect(_ path: String, _ options: SceneDetectionOptions = SceneDetectionOptions()) async throws -> SceneList {
        try await SceneDetector(options: options).detect(path: path, progress: SilentProgress())
    }

    func assertMedleyError(_ path: String, file: StaticString = #filePath, line: UInt = #line,
                           _ matches: (MedleyError) -> Bool) async {
        do {
            _ = try await detect(path)
            XCTFail("expected an error for \(path)", file: file, line: line)
        } catch let error as MedleyError {
            XCTAssertTrue(matches(error), "unexpected error \(error)", file: file, line: line)
            XCTAssertTrue(error.message.contains(path), "'\(error.message)' should name the input", file: file, line: line)
            XCTAssertFalse(error.message.contains("\n"), file: file, line: line)
        } catch {
            XCTFail("expected a MedleyError, got \(error)", file: file, line: line)
        }
    }

    func testMissingFile() async {
        let path = VideoTestMedia.path("does-not-exist.mp4")
        await assertMedleyError(path) { $0 == .fileNotFound(path: path) }
    }

    func testAudioOnlyFileHasNoVideoStream() async throws {
        let path = try VideoTestMedia.make("tone.m4a", [
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=1", "-c:a", "aac",
        ])
        await assertMedleyError(path) { $0 == .noStream(path: path, kind: "video") }
    }

    func testNotMedia() async throws {
        let path = VideoTestMedia.path("notes.mp4")
        try Data("this is not a video\n".utf8).write(to: URL(fileURLWithPath: path))
        await assertMedleyError(path) {
            if case .unreadableMedia = $0 { return true }
            return false
        }
    }

    func testBadOptionsAreRejected() async throws {
        let video = try VideoTestMedia.hardCuts()
        do {
            _ = try await detect(video, SceneDetectionOptions(minimumSceneLength: 0))
            XCTFail("expected invalidArgument")
        } catch let error as MedleyError {
            guard case .invalidArgument = error else { return XCTFail("got \(error)") }
        }
    }

    func testVariableFrameRate() async throws {
        // 2 s at 25 fps, then 2 s at 10 fps, kept variable (-fps_mode vfr): a cut at 2.0 s, frame 50.
        let s = VideoTestMedia.size
        let graph = "testsrc2=s=\(s):r=25:d=2,format=yuv420p[a];smptehdbars=s=\(s):r=10:d=2,format=yuv420p[b];"
            + "[a][b]concat=n=2"
        let video = try VideoTestMedia.make("vfr.mkv", ["-filter_complex", graph, "-fps_mode", "vfr"] + VideoTestMedia.h264)
        let scenes = try await detect(video)
        XCTAssertEqual(scenes.cutFrames, [50])
        XCTAssertEqual(scenes.cuts.first ?? 0, 2.0, accuracy: 0.011)
        XCTAssertEqual(scenes.scenes.last?.endFrame, 70)
        XCTAssertEqual(scenes.scenes.last?.end ?? 0, 4.0, accuracy: 0.11)
    }

    func testRotatedPhoneVideo() async throws {
        // The hard-cut clip tagged as a portrait phone video (display rotation 90 degrees clockwise).
        let video = try VideoTestMedia.make("rotated.mp4", [
            "-i", try VideoTestMedia.hardCuts(), "-c", "copy", "-metadata:s:v", "rotate=270",
        ])
        let scenes = try await detect(video)
        XCTAssertGreaterThanOrEqual(cutF1(detected: scenes.cutFrames, truth: VideoTestMedia.hardCutFrames), 0.95,
                                    "cuts \(scenes.cutFrames)")
        let keyframes = try await KeyframeExtractor(samplesPerScene: 1).extract(path: video, scenes: scenes)
        let first = try XCTUnwrap(keyframes.first)
        // Upright: portrait, and the decoder's upright frame.
        XCTAssertEqual(first.image.width, 180)
        XCTAssertEqual(first.image.height, 320)
    }

    func testCorruptBytesInTheMiddle() async throws {
        // MPEG-TS survives damage (packets resync); 3 x 4 KB of fixed garbage at 40 %, 45 % and 70 % of the file.
        let clean = try VideoTestMedia.make("hard-cuts.ts", ["-i", try VideoTestMedia.hardCuts(), "-c", "copy"])
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: clean)))
        for fraction in [0.40, 0.45, 0.70] {
            let start = Int(Double(bytes.count) * fraction)
            for i in start..<min(bytes.count, start + 4096) { bytes[i] = UInt8(truncatingIfNeeded: (i &* 2_654_435_761) >> 13) }
        }
        let damaged = VideoTestMedia.path("hard-cuts-damaged.ts")
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        let scenes = try await detect(damaged)
        XCTAssertGreaterThan(scenes.decodeErrors + scenes.damagedFrames, 0, "the damage should be reported")
        XCTAssertGreaterThan(scenes.scenes.last?.endFrame ?? 0, 200, "decoding went on past the damage")
        XCTAssertGreaterThanOrEqual(cutF1(detected: scenes.cutFrames, truth: VideoTestMedia.hardCutFrames), 0.75,
                                    "cuts \(scenes.cutFrames)")
    }
}
