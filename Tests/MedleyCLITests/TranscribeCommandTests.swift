import Foundation
import XCTest

/// `medley transcribe` through the real binary: output formats, -o, bad input and Ctrl-C.
final class TranscribeCommandTests: XCTestCase {
    private static var beckett: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/speech/beckett.wav").path
    }

    private func assertUserError(_ result: CLI.Result, mentions needles: [String], file: StaticString = #filePath,
                                 line: UInt = #line) {
        XCTAssertEqual(result.status, 1, "exit code; stderr: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.errorLines.count, 1, "one line on stderr, got: \(result.stderr)", file: file, line: line)
        for needle in needles {
            XCTAssertTrue(result.stderr.contains(needle), "stderr should mention \(needle): \(result.stderr)",
                          file: file, line: line)
        }
        XCTAssertTrue(result.stdout.isEmpty, "nothing on stdout: \(result.stdout)", file: file, line: line)
    }

    private func json(_ result: CLI.Result, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any], "a JSON object: \(result.stdout)", file: file, line: line)
    }

    // MARK: - Formats

    func testTextIsOneLinePerSegment() throws {
        let result = try CLI.run(["transcribe", Self.beckett])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Ever tried, ever failed.\nNo matter, try again.\nFail again.\nFail better.\n")
    }

    func testJSONIsVerboseJSON() throws {
        let object = try json(try CLI.run(["transcribe", Self.beckett, "--format", "json"]))
        XCTAssertEqual(object["text"] as? String, "Ever tried, ever failed. No matter, try again. Fail again. Fail better.")
        XCTAssertEqual(object["language"] as? String, "en")
        XCTAssertEqual(try XCTUnwrap(object["duration"] as? Double), 9.963, accuracy: 0.001)
        let segments = try XCTUnwrap(object["segments"] as? [[String: Any]])
        XCTAssertEqual(segments.count, 4)
        XCTAssertEqual(segments.map { $0["id"] as? Int }, [0, 1, 2, 3])
        XCTAssertEqual(segments.first?["start"] as? Double, 0)
        XCTAssertEqual(segments.first?["end"] as? Double, 3)
        XCTAssertEqual(segments.first?["text"] as? String, " Ever tried, ever failed.")
        for segment in segments {
            for key in ["seek", "tokens", "temperature", "avg_logprob", "compression_ratio", "no_speech_prob"] {
                XCTAssertNotNil(segment[key], "segment key \(key)")
            }
        }
        // --json is the same as --format json.
        XCTAssertEqual(try CLI.run(["transcribe", Self.beckett, "--json"]).stdout,
                       try CLI.run(["transcribe", Self.beckett, "--format", "json"]).stdout)
    }

    func testSubtitles() throws {
        let srt = try CLI.run(["transcribe", Self.beckett, "--format", "srt"])
        XCTAssertEqual(srt.status, 0, srt.stderr)
        XCTAssertTrue(srt.stdout.hasPrefix("1\n00:00:00,000 --> 00:00:03,000\nEver tried, ever failed.\n\n2\n"),
                      srt.stdout)
        XCTAssertTrue(srt.stdout.contains("4\n00:00:08,000 --> 00:00:10,000\nFail better.\n"), srt.stdout)
        let vtt = try CLI.run(["transcribe", Self.beckett, "--format", "vtt"])
        XCTAssertEqual(vtt.status, 0, vtt.stderr)
        XCTAssertTrue(vtt.stdout.hasPrefix("WEBVTT\n\n00:00:00.000 --> 00:00:03.000\nEver tried, ever failed.\n\n"),
                      vtt.stdout)
    }

    func testOutputFileIsWrittenAndNothingGoesToStdout() throws {
        let folder = try CLI.temporaryFolder(self)
        let out = folder.appendingPathComponent("beckett.srt")
        let result = try CLI.run(["transcribe", Self.beckett, "--format", "srt", "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).hasPrefix("1\n00:00:00,000 --> "))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["beckett.srt"],
                       "no temporary file is left beside the output")
        assertUserError(try CLI.run(["transcribe", Self.beckett, "-o", "/no/such/folder/out.txt"]),
                        mentions: ["/no/such/folder/out.txt"])
    }

    func testVADOptionKeepsTheText() throws {
        let result = try CLI.run(["transcribe", Self.beckett, "--vad"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Ever tried, ever failed.\nNo matter, try again.\nFail again.\nFail better.\n")
    }

    // MARK: - Bad input

    func testSilenceGivesAnEmptyTranscript() throws {
        let silence = try CLI.temporaryFolder(self).appendingPathComponent("silence.wav")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "8", silence.path])
        for extra in [[], ["--vad"]] {
            let result = try CLI.run(["transcribe", silence.path, "--json"] + extra)
            let object = try json(result)
            XCTAssertEqual(object["text"] as? String, "", "\(extra)")
            XCTAssertEqual((object["segments"] as? [Any])?.count, 0, "\(extra)")
            XCTAssertEqual(object["duration"] as? Double, 8)
            XCTAssertTrue(result.stderr.contains("no speech found"), result.stderr)
        }
        let text = try CLI.run(["transcribe", silence.path])
        XCTAssertEqual(text.status, 0)
        XCTAssertEqual(text.stdout, "")
    }

    func testATenthOfASecond() throws {
        let blip = try CLI.temporaryFolder(self).appendingPathComponent("blip.wav")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.1", "-ar", "16000",
                                blip.path])
        for extra in [[], ["--vad"]] {
            let object = try json(try CLI.run(["transcribe", blip.path, "--json"] + extra))
            XCTAssertEqual(object["duration"] as? Double, 0.1)
            XCTAssertEqual((object["segments"] as? [Any])?.count, 0, "\(extra)")
        }
    }

    /// A synthesised melody (sine tones with an overtone, eight notes a bar): tiny.en writes nothing, with or
    /// without VAD; every window is no-speech-filtered.
    func testMusicWithoutSpeechGivesNoSegments() throws {
        let melody = try CLI.temporaryFolder(self).appendingPathComponent("melody.wav")
        let pitch = "262*pow(2\\,floor(mod(t*3\\,8))/6)"
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i",
                                "aevalsrc='0.25*sin(2*PI*\(pitch)*t)+0.1*sin(4*PI*\(pitch)*t)':s=16000:d=10",
                                melody.path])
        for extra in [[], ["--vad"]] {
            let object = try json(try CLI.run(["transcribe", melody.path, "--json"] + extra))
            XCTAssertEqual((object["segments"] as? [Any])?.count, 0, "\(extra): \(object)")
        }
    }

    func testFileWithoutAudio() throws {
        let video = try CLI.temporaryFolder(self).appendingPathComponent("silent-film.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", "1",
                                "-pix_fmt", "yuv420p", video.path])
        assertUserError(try CLI.run(["transcribe", video.path]), mentions: [video.path, "no audio stream"])
    }

    func testMissingFile() throws {
        assertUserError(try CLI.run(["transcribe", "/no/such/talk.wav"]), mentions: ["/no/such/talk.wav", "no such file"])
    }

    func testUnknownModelListsTheInstalledOnes() throws {
        assertUserError(try CLI.run(["transcribe", Self.beckett, "--model", "whisper-huge"]),
                        mentions: ["whisper-huge", "not installed", "whisper-tiny.en"])
        assertUserError(try CLI.run(["transcribe", Self.beckett, "--model", "silero-vad"]),
                        mentions: ["silero-vad", "not speech recognition", "whisper-tiny.en"])
    }

    func testEnglishOnlyModelRefusesAnotherLanguage() throws {
        assertUserError(try CLI.run(["transcribe", Self.beckett, "--language", "de"]),
                        mentions: ["whisper-tiny.en", "English-only", "whisper-base"])
    }

    func testPolicyIsChecked() throws {
        let policy = try CLI.temporaryFolder(self).appendingPathComponent("no-permissive.json")
        try Data(#"{"name": "copyleft-only", "allowed_categories": ["copyleft"]}"#.utf8).write(to: policy)
        let result = try CLI.run(["transcribe", Self.beckett, "--policy", policy.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("whisper-tiny.en") && result.stderr.contains("MIT"), result.stderr)
    }

    // MARK: - Ctrl-C

    /// SIGINT stops a long transcription: exit code 130, "cancelled", and no output file.
    func testInterruptStopsCleanly() throws {
        let folder = try CLI.temporaryFolder(self)
        let long = folder.appendingPathComponent("long.wav")
        try CLI.tool("ffmpeg", ["-v", "error", "-stream_loop", "11", "-i", Self.beckett, "-c", "copy", long.path])
        let out = folder.appendingPathComponent("long.txt")
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["transcribe", long.path, "-o", out.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 3)
        process.interrupt()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("cancelled"), stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["long.wav"])
    }
}
