import Foundation
import MedleyCore
@testable import MedleyVideo
import XCTest

/// `report.json`: key names, explicit nulls, the round trip, and what cannot be encoded.
final class ReportModelTests: XCTestCase {
    private func json(_ report: AnalysisReport) throws -> [String: Any] {
        let data = try ReportWriter.json(report, target: "/out/report")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any])
    }

    func testRoundTrip() throws {
        for report in [ReportFixtures.video(), ReportFixtures.audioOnly(), ReportFixtures.silentVideo()] {
            let data = try ReportWriter.json(report, target: "/out/report")
            let decoded = try JSONDecoder().decode(AnalysisReport.self, from: data)
            XCTAssertEqual(decoded, report)
        }
    }

    func testTopLevelKeysAreSnakeCaseAndAlwaysPresent() throws {
        let object = try json(ReportFixtures.silentVideo())
        XCTAssertEqual(Set(object.keys), [
            "schema_version", "medley_version", "created", "run_id", "input", "skipped", "speech", "audio", "scenes",
            "contact_sheet", "models", "stages", "warnings",
        ])
        XCTAssertTrue(object["speech"] is NSNull, "a missing section is an explicit null")
        XCTAssertTrue(object["audio"] is NSNull)
        XCTAssertEqual(object["created"] as? String, "2026-12-04T03:30:00Z")
        XCTAssertEqual(object["schema_version"] as? Int, 1)
        let input = try XCTUnwrap(object["input"] as? [String: Any])
        XCTAssertEqual(Set(input.keys), ["file", "placement", "source_path", "sha256", "size", "duration", "format",
                                         "video", "audio"])
        XCTAssertTrue(input["audio"] is NSNull)
        let video = try XCTUnwrap(input["video"] as? [String: Any])
        XCTAssertEqual(Set(video.keys), ["width", "height", "fps", "codec", "rotation"])
    }

    func testNestedKeyNames() throws {
        let object = try json(ReportFixtures.video())
        let speech = try XCTUnwrap(object["speech"] as? [String: Any])
        XCTAssertEqual(Set(speech.keys), ["language", "language_probability", "speech_segments", "speech_duration",
                                          "text", "segments", "files"])
        XCTAssertTrue(speech["language_probability"] is NSNull)
        XCTAssertEqual(speech["speech_duration"] as? Double ?? 0, 5.55, accuracy: 1e-9)
        let segment = try XCTUnwrap((speech["segments"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(segment.keys), ["id", "start", "end", "text", "avg_logprob", "no_speech_prob"])
        let files = try XCTUnwrap(speech["files"] as? [String: Any])
        XCTAssertEqual(files["vtt"] as? String, "transcript.vtt")
        let audio = try XCTUnwrap(object["audio"] as? [String: Any])
        let loudness = try XCTUnwrap(audio["loudness"] as? [String: Any])
        XCTAssertEqual(Set(loudness.keys), ["integrated_lufs", "lra_lu", "true_peak_dbtp", "sample_peak_dbfs"])
        let music = try XCTUnwrap(audio["music"] as? [String: Any])
        XCTAssertEqual(Set(music.keys), ["music_like", "tempo_bpm"])
        XCTAssertTrue(music["tempo_bpm"] is NSNull)
        let scene = try XCTUnwrap((object["scenes"] as? [[String: Any]])?.last)
        XCTAssertEqual(Set(scene.keys), ["index", "start", "end", "start_frame", "end_frame", "keyframe", "text",
                                         "faces", "safety_score"])
        let face = try XCTUnwrap((scene["faces"] as? [[String: Any]])?.first)
        XCTAssertEqual(face["box"] as? [Double], [120, 40, 80, 90])
        XCTAssertEqual((scene["keyframe"] as? [String: Any])?["file"] as? String, "keyframes/scene-002.jpg")
        let model = try XCTUnwrap((object["models"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(model.keys), ["id", "version", "task", "license", "license_category", "sha256", "files",
                                         "source"])
        let stage = try XCTUnwrap((object["stages"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(stage.keys), ["name", "seconds", "cached", "status"])
        XCTAssertEqual(stage["status"] as? String, "ok")
    }

    func testJSONIsPrettyWithPlainSlashes() throws {
        let text = String(decoding: try ReportWriter.json(ReportFixtures.video(), target: "/out"), as: UTF8.self)
        XCTAssertTrue(text.contains("\"keyframes/scene-000.jpg\""), "slashes are not escaped")
        XCTAssertTrue(text.hasSuffix("}\n"))
        XCTAssertTrue(text.contains("\n  \"medley_version\""))
    }

    func testDecodingIsLenientAboutEmptyLists() throws {
        let minimal = """
            {"medley_version": "0.1.0", "created": "2026-12-04T03:34:03.250Z",
             "input": {"source_path": "/a.wav", "duration": 1.5, "format": "wav", "video": null,
                       "audio": {"sample_rate": 16000, "channels": 1, "codec": "pcm_s16le"}}}
            """
        let report = try JSONDecoder().decode(AnalysisReport.self, from: Data(minimal.utf8))
        XCTAssertEqual(report.schemaVersion, 1)
        XCTAssertEqual(report.scenes, [])
        XCTAssertEqual(report.created.timeIntervalSince1970, 1_796_355_243.25, accuracy: 0.001)
        XCTAssertNil(report.input.file)
        XCTAssertFalse(report.hasVideo)
    }

    func testBadDateIsRefused() {
        let bad = """
            {"medley_version": "0.1.0", "created": "yesterday",
             "input": {"source_path": "/a.wav", "duration": 1.5, "format": "wav", "video": null, "audio": null}}
            """
        XCTAssertThrowsError(try JSONDecoder().decode(AnalysisReport.self, from: Data(bad.utf8)))
    }

    func testNonFiniteNumberIsAClearError() {
        var report = ReportFixtures.video()
        report.stages[1].seconds = .nan
        XCTAssertThrowsError(try ReportWriter.json(report, target: "/out/report")) { error in
            let message = (error as? MedleyError)?.message ?? "\(error)"
            XCTAssertTrue(message.contains("/out/report"), message)
            XCTAssertTrue(message.contains("stages.1.seconds"), message)
        }
    }

    func testTranscriptText() {
        var segments = ReportFixtures.segments
        segments.append(.init(id: 3, start: 3723.9, end: 3725, text: "  Past the hour,\n on two lines. "))
        segments.append(.init(id: 4, start: 3726, end: 3727, text: "   "))
        XCTAssertEqual(TranscriptText.render(segments), """
            [00:00] Welcome to the Medley demo.
            [00:02] Here the picture changes.
            [00:04] And <script>alert(1)</script> stays text & safe.
            [1:02:03] Past the hour, on two lines.

            """)
        XCTAssertEqual(TranscriptText.render([]), "")
        XCTAssertEqual(TranscriptText.clock(-3), "00:00")
        XCTAssertEqual(TranscriptText.clock(.infinity), "00:00")
        XCTAssertEqual(TranscriptText.clock(59.999), "00:59")
    }

    func testSpeechDurationDefaultsToTheSumOfSegments() {
        let speech = AnalysisReport.Speech(language: "en", speechSegments: [.init(start: 1, end: 2), .init(start: 3, end: 3.5)],
                                           text: "", segments: [])
        XCTAssertEqual(speech.speechDuration, 1.5, accuracy: 1e-12)
    }
}
