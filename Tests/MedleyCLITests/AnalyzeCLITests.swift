import Foundation
import XCTest

/// `medley analyze` end to end on generated media: the report folder, its page in a real browser (headless
/// Chromium), the cache, and inputs without audio, without video, or without speech.
final class AnalyzeCLITests: XCTestCase {
    private var home: URL!
    private var folder: URL!
    private var env: [String: String] { ["MEDLEY_HOME": home.path] }

    override func setUpWithError() throws {
        home = try CLI.temporaryFolder(self)
        folder = try CLI.temporaryFolder(self)
    }

    private func medley(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(arguments, environment: env)
    }

    private func report(_ directory: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent("report.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private static let font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

    /// Two 4 s shots with a title each, and speech made with espeak-ng over both.
    private func makeTalk(_ url: URL) throws {
        let speech = folder.appendingPathComponent("speech.wav")
        try CLI.tool("espeak-ng", ["-v", "en-us", "-w", speech.path,
                                   "Welcome to the report. This second shot shows a colour chart and the same voice."])
        try CLI.tool("ffmpeg", [
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=4",
            "-f", "lavfi", "-i", "smptehdbars=size=640x360:rate=25:duration=4", "-i", speech.path,
            "-filter_complex",
            "[0]drawtext=fontfile=\(Self.font):text='First shot':fontsize=40:fontcolor=white:box=1:boxcolor=black:x=40:y=280[a];"
                + "[1]drawtext=fontfile=\(Self.font):text='Second shot':fontsize=40:fontcolor=white:box=1:boxcolor=black:x=40:y=280[b];"
                + "[a][b]concat=n=2:v=1:a=0[v];[2]apad,atrim=0:8[s]",
            "-map", "[v]", "-map", "[s]", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", url.path,
        ])
    }

    func testAnalyzeMakesAReportThatABrowserShows() throws {
        let video = folder.appendingPathComponent("talk.mp4")
        try makeTalk(video)
        let out = folder.appendingPathComponent("report")
        let first = try medley(["analyze", video.path, "-o", out.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasSuffix(out.appendingPathComponent("index.html").path + "\n"), first.stdout)

        let json = try report(out)
        let scenes = try XCTUnwrap(json["scenes"] as? [[String: Any]])
        XCTAssertEqual(scenes.count, 2, "\(scenes)")
        XCTAssertEqual(scenes.last?["start"] as? Double ?? 0, 4, accuracy: 0.1)
        let texts = scenes.map { ($0["text"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String } }
        // PP-OCRv4 often drops the spaces between English words ("Secondshot"): compare without them.
        let squeezed = texts.map { $0.map { $0.replacingOccurrences(of: " ", with: "") } }
        XCTAssertTrue(squeezed[0].contains { $0.contains("Firstshot") }, "\(texts)")
        XCTAssertTrue(squeezed[1].contains { $0.contains("Secondshot") }, "\(texts)")
        for scene in scenes {
            let keyframe = try XCTUnwrap(scene["keyframe"] as? [String: Any])
            let file = try XCTUnwrap(keyframe["file"] as? String)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
            XCTAssertNotNil(scene["safety_score"] as? Double)
        }
        let speech = try XCTUnwrap(json["speech"] as? [String: Any])
        XCTAssertEqual(speech["language"] as? String, "en")
        let segments = try XCTUnwrap(speech["segments"] as? [[String: Any]])
        XCTAssertFalse(segments.isEmpty)
        XCTAssertTrue((speech["text"] as? String ?? "").lowercased().contains("report"), "\(speech)")
        let models = (json["models"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        XCTAssertTrue(Set(models).isSuperset(of: ["silero-vad", "whisper-tiny.en", "ppocr-v4-rec", "blazeface-short-range", "open-nsfw"]), "\(models)")
        for name in ["index.html", "transcript.txt", "transcript.srt", "transcript.vtt", "keyframes/contact-sheet.jpg", "talk.mp4"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), name)
        }

        // The transcript is the one `medley transcribe` gives on the same file.
        let transcribed = try medley(["transcribe", video.path, "--format", "json"])
        let alone = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(transcribed.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((alone["segments"] as? [[String: Any]])?.compactMap { $0["text"] as? String },
                       segments.compactMap { $0["text"] as? String })

        // A real browser loads the page without console errors, with thumbnails, transcript and subtitle track.
        let shot = folder.appendingPathComponent("report.png")
        let check = try CLI.run(["python3", Self.checkScript.path, out.path, shot.path], executable: "/usr/bin/env")
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("\"ok\": true"), check.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: shot.path))

        // The second run is answered by the cache and replaces the report in place.
        let started = Date()
        let second = try medley(["analyze", video.path, "-o", out.path])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("(13 of 13 stages from the cache)"), second.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(try report(out)["scenes"] as? NSArray, json["scenes"] as? NSArray)
    }

    static var checkScript: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/check-report-ui.py")
    }

    func testAudioOnlyInputSkipsVision() throws {
        let audio = folder.appendingPathComponent("voice.wav")
        try CLI.tool("espeak-ng", ["-v", "en-us", "-w", audio.path, "Audio files get a transcript and loudness, and no scenes."])
        let out = folder.appendingPathComponent("report")
        let result = try medley(["analyze", audio.path, "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("skipped vision: the input has no video stream"), result.stdout)
        let json = try report(out)
        XCTAssertEqual((json["scenes"] as? [Any])?.count, 0)
        XCTAssertNotNil(json["speech"] as? [String: Any])
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<audio"), "audio player for audio-only input")
    }

    func testVideoWithoutAudioSkipsSpeechAndAudio() throws {
        let video = folder.appendingPathComponent("mute.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3",
                                "-c:v", "libx264", "-pix_fmt", "yuv420p", video.path])
        let out = folder.appendingPathComponent("report")
        let result = try medley(["analyze", video.path, "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try report(out)
        let skipped = (json["skipped"] as? [[String: Any]] ?? []).compactMap { $0["stage"] as? String }
        XCTAssertEqual(Set(skipped), ["speech", "audio"])
        XCTAssertTrue(json["speech"] is NSNull)
        XCTAssertEqual((json["scenes"] as? [Any])?.count, 1)
    }

    func testSilentVideoHasNoTranscript() throws {
        let video = folder.appendingPathComponent("silent.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "smptehdbars=size=320x240:rate=25:duration=3",
                                "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3", "-c:v", "libx264",
                                "-pix_fmt", "yuv420p", "-c:a", "aac", video.path])
        let out = folder.appendingPathComponent("report")
        let result = try medley(["analyze", video.path, "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try report(out)
        XCTAssertTrue(json["speech"] is NSNull)
        let skipped = (json["skipped"] as? [[String: Any]] ?? [])
        XCTAssertEqual(skipped.first?["stage"] as? String, "speech")
        XCTAssertTrue((skipped.first?["reason"] as? String ?? "").contains("no speech"), "\(skipped)")
        let loudness = (json["audio"] as? [String: Any])?["loudness"] as? [String: Any]
        XCTAssertTrue(loudness?["integrated_lufs"] is NSNull, "digital silence has no integrated loudness")
    }

    func testBadInputsAndFolders() throws {
        let text = folder.appendingPathComponent("notes.mp4")
        try Data("not a video".utf8).write(to: text)
        let bad = try medley(["analyze", text.path, "-o", folder.appendingPathComponent("r1").path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.errorLines.count, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("cannot be read as media"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("r1").path))

        // A folder that holds something else than a report is not touched.
        let video = folder.appendingPathComponent("clip.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
                                "-c:v", "libx264", "-pix_fmt", "yuv420p", video.path])
        let busy = folder.appendingPathComponent("busy")
        try FileManager.default.createDirectory(at: busy, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: busy.appendingPathComponent("thesis.txt"))
        let refused = try medley(["analyze", video.path, "-o", busy.path])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is not a Medley report"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: busy.appendingPathComponent("thesis.txt"), encoding: .utf8), "keep me")
    }

    /// 4K, variable frame rate, and damaged packets in the middle: the report is made, and the damage is said.
    func testLargeVariableRateAndDamagedVideos() throws {
        let big = folder.appendingPathComponent("uhd.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=3840x2160:rate=25:duration=1",
                                "-f", "lavfi", "-i", "smptehdbars=size=3840x2160:rate=25:duration=1",
                                "-filter_complex", "[0][1]concat=n=2:v=1:a=0", "-c:v", "libx264", "-preset", "ultrafast",
                                "-pix_fmt", "yuv420p", big.path])
        let bigOut = folder.appendingPathComponent("uhd-report")
        let uhd = try medley(["analyze", big.path, "-o", bigOut.path])
        XCTAssertEqual(uhd.status, 0, uhd.stderr)
        let uhdReport = try report(bigOut)
        XCTAssertEqual((uhdReport["scenes"] as? [Any])?.count, 2)
        XCTAssertEqual(((uhdReport["input"] as? [String: Any])?["video"] as? [String: Any])?["width"] as? Int, 3840)

        let vfr = folder.appendingPathComponent("vfr.mkv")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=2",
                                "-f", "lavfi", "-i", "smptehdbars=size=320x240:rate=30:duration=2",
                                "-filter_complex", "[0][1]concat=n=2:v=1:a=0,setpts='if(lt(N,30),N*2/30/TB,(N+30)/30/TB)'",
                                "-vsync", "vfr", "-c:v", "libx264", "-pix_fmt", "yuv420p", vfr.path])
        let vfrOut = folder.appendingPathComponent("vfr-report")
        let vfrRun = try medley(["analyze", vfr.path, "-o", vfrOut.path])
        XCTAssertEqual(vfrRun.status, 0, vfrRun.stderr)
        let vfrScenes = try XCTUnwrap(try report(vfrOut)["scenes"] as? [[String: Any]])
        XCTAssertEqual(vfrScenes.count, 2, "\(vfrScenes)")

        // Overwrite 32 KB in the middle of an MPEG-TS file: decoding goes on past the damage.
        let clean = folder.appendingPathComponent("clean.ts"), damaged = folder.appendingPathComponent("damaged.ts")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=6",
                                "-c:v", "libx264", "-pix_fmt", "yuv420p", clean.path])
        var bytes = try Data(contentsOf: clean)
        let middle = bytes.count / 2
        bytes.replaceSubrange(middle..<(middle + 32_768), with: Data(repeating: 0x5A, count: 32_768))
        try bytes.write(to: damaged)
        let damagedOut = folder.appendingPathComponent("damaged-report")
        let damagedRun = try medley(["analyze", damaged.path, "-o", damagedOut.path])
        XCTAssertEqual(damagedRun.status, 0, damagedRun.stderr)
        let damagedReport = try report(damagedOut)
        XCTAssertFalse((damagedReport["scenes"] as? [Any] ?? []).isEmpty)
        let warnings = damagedReport["warnings"] as? [String] ?? []
        XCTAssertTrue(warnings.contains { $0.contains("damaged frame") }, "the damage is reported: \(warnings)")
    }

    /// A phone video with rotation metadata: keyframes are upright (portrait).
    func testRotatedVideoGivesUprightKeyframes() throws {
        let raw = folder.appendingPathComponent("raw.mp4"), video = folder.appendingPathComponent("phone.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2",
                                "-c:v", "libx264", "-pix_fmt", "yuv420p", raw.path])
        // FFmpeg 5.1's MP4 muxer turns a `rotate` tag into the display matrix (either way the frame becomes portrait).
        try CLI.tool("ffmpeg", ["-v", "error", "-i", raw.path, "-c", "copy", "-metadata:s:v", "rotate=90", video.path])
        let out = folder.appendingPathComponent("report")
        let result = try medley(["analyze", video.path, "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let probe = try medley(["probe", out.appendingPathComponent("keyframes/scene-000.jpg").path, "--json"])
        let info = try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any]
        let stream = (info?["streams"] as? [[String: Any]])?.first
        let width = stream?["width"] as? Int ?? 0, height = stream?["height"] as? Int ?? 0
        XCTAssertGreaterThan(height, width, "the keyframe is portrait: \(width)x\(height)")
    }
}
