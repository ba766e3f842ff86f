import Foundation
import MedleyCore
import MedleyMedia
import MedleyVideo
import XCTest

final class KeyframeTests: XCTestCase {
    /// One 4 s shot (frames 0-99) whose first half of the middle (1-2 s) is blurred, then a second shot.
    func blurredShot() throws -> String {
        let s = VideoTestMedia.size
        let graph = "testsrc2=s=\(s):r=25:d=4,boxblur=8:enable='between(t\\,0\\,2)'[a];"
            + "smptehdbars=s=\(s):r=25:d=2[b];[a][b]concat=n=2,format=yuv420p"
        return try VideoTestMedia.make("blurred.mp4", ["-filter_complex", graph] + VideoTestMedia.h264)
    }

    func testKeyframeIsTheSharpestFrameInTheMiddleHalf() async throws {
        let video = try blurredShot()
        let scenes = try await SceneDetector().detect(path: video, progress: SilentProgress())
        XCTAssertEqual(scenes.cutFrames, [100])
        let keyframes = try await KeyframeExtractor().extract(path: video, scenes: scenes, progress: SilentProgress())
        XCTAssertEqual(keyframes.count, 2)
        let first = try XCTUnwrap(keyframes.first)
        XCTAssertEqual(first.sceneIndex, 0)
        let middle = KeyframeExtractor.sampledRange(of: scenes.scenes[0])
        XCTAssertTrue(middle.contains(first.time), "keyframe at \(first.time), middle half \(middle)")
        XCTAssertGreaterThanOrEqual(first.time, 2, "the blurred frames (before 2 s) must not be chosen")
        XCTAssertEqual(first.frame, Int((first.time * 25).rounded()))
        // Full resolution, RGB.
        XCTAssertEqual(first.image.width, 320)
        XCTAssertEqual(first.image.height, 180)
        XCTAssertEqual(first.image.format, .rgb8)
        // Sharper than a blurred frame of the same shot.
        let decoder = try VideoDecoder(path: video, options: VideoDecodeOptions(startTime: 1.5))
        let blurred = try XCTUnwrap(try decoder.nextFrame())
        XCTAssertGreaterThan(first.sharpness, 2 * Sharpness.laplacianVariance(of: blurred.image))
        XCTAssertEqual(first.sharpness, Sharpness.laplacianVariance(of: first.image), accuracy: 1e-6)
        let second = keyframes[1]
        XCTAssertTrue(KeyframeExtractor.sampledRange(of: scenes.scenes[1]).contains(second.time))
    }

    func testContactSheetAndThumbnails() async throws {
        let video = try VideoTestMedia.hardCuts()
        let scenes = try await SceneDetector().detect(path: video, progress: SilentProgress())
        let keyframes = try await KeyframeExtractor(samplesPerScene: 2).extract(path: video, scenes: scenes)
        XCTAssertEqual(keyframes.count, scenes.scenes.count)
        let sheet = try ContactSheet.render(keyframes, columns: 3, thumbnailWidth: 160,
                                            sceneStarts: scenes.scenes.map(\.start))
        // 160 x 90 cells (16:9), 3 columns, ceil(5 / 3) = 2 rows, 8 px margins.
        XCTAssertEqual(sheet.width, 3 * 160 + 4 * 8)
        XCTAssertEqual(sheet.height, 2 * 90 + 3 * 8)
        XCTAssertEqual(ContactSheet.timeLabel(66.25), "1:06.2")
        XCTAssertEqual(ContactSheet.timeLabel(3725), "1:02:05")
        let folder = VideoTestMedia.path("thumbs")
        let written = try KeyframeThumbnails.save(keyframes, directory: folder, width: 320)
        XCTAssertEqual(written.count, keyframes.count)
        XCTAssertEqual((written.first as NSString?)?.lastPathComponent, "scene-0001.jpg")
        let thumbnail = try ImageIO.read(path: try XCTUnwrap(written.first))
        XCTAssertEqual(thumbnail.width, 320)
        XCTAssertEqual(thumbnail.height, 180)
        XCTAssertThrowsError(try ContactSheet.render([]))
    }
}
