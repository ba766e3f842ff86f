import MedleyMedia
import MedleyVision
@testable import MedleyVideo
import XCTest

/// Report values made from probe, OCR and face results.
final class ReportConversionTests: XCTestCase {
    func testInputFromProbe() {
        let info = MediaInfo(format: "matroska,webm", duration: 12.5, bitRate: nil, streams: [
            StreamInfo(index: 0, type: "audio", codec: "opus", sampleRate: 48_000, channels: 2),
            StreamInfo(index: 1, type: "video", codec: "vp9", width: 1920, height: 1080, fps: 29.97, rotation: 90),
        ])
        let input = AnalysisReport.Input(probe: info, sourcePath: "/v.mkv", size: 99)
        XCTAssertEqual(input.video, AnalysisReport.VideoStream(width: 1920, height: 1080, fps: 29.97, codec: "vp9", rotation: 90))
        XCTAssertEqual(input.video?.displaySize.width, 1080)
        XCTAssertEqual(input.audio, AnalysisReport.AudioStream(sampleRate: 48_000, channels: 2, codec: "opus"))
        XCTAssertEqual(input.duration, 12.5)
        let audioOnly = AnalysisReport.Input(probe: MediaInfo(format: "wav", duration: 1, bitRate: nil, streams: [
            StreamInfo(index: 0, type: "audio", codec: "pcm_s16le", sampleRate: 16_000, channels: 1),
        ]), sourcePath: "/a.wav")
        XCTAssertNil(audioOnly.video)
    }

    func testSceneTextAndFaces() {
        XCTAssertEqual(AnalysisReport.SceneText(TextSpan(text: "OPEN", start: 1, end: 2, confidence: 0.9)),
                       AnalysisReport.SceneText(text: "OPEN", confidence: 0.9))
        let face = Face(box: ImageRect(x: 1, y: 2, width: 3, height: 4), score: 0.8, keypoints: [])
        XCTAssertEqual(AnalysisReport.SceneFace(face), AnalysisReport.SceneFace(box: face.box, score: 0.8))
    }
}
