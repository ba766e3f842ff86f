import Foundation
import XCTest

/// What a user sees from the commands on good input: JSON shapes and the facts in them.
final class CommandOutputTests: XCTestCase {
    /// `speak --list-voices` needs no output file; `speak` without one says so.
    func testSpeakListsVoicesWithoutAnOutputFile() throws {
        let list = try CLI.run(["speak", "--list-voices"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("piper-en_US-joe-medium"), list.stdout)
        XCTAssertTrue(list.stdout.contains("espeak:"), list.stdout)
        let missing = try CLI.run(["speak", "Hello."])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("-o OUT"), missing.stderr)
    }

    /// Dates in the JSON a command prints are ISO 8601, as in the files Medley writes.
    func testRunRecordsPrintISO8601Dates() throws {
        let home = try CLI.temporaryFolder(self)
        let wav = home.appendingPathComponent("tone.wav")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=d=1", wav.path])
        let environment = ["MEDLEY_HOME": home.path, "MEDLEY_RECORD": "1"]
        XCTAssertEqual(try CLI.run(["loudness", wav.path], environment: environment).status, 0)
        let listed = try CLI.run(["runs", "list", "--json"], environment: environment)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let runs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        let started = try XCTUnwrap(runs.first?["started_at"] as? String, listed.stdout)
        XCTAssertNotNil(ISO8601DateFormatter().date(from: started), started)
    }

    func testProbeJSONShape() throws {
        let file = try CLI.temporaryFolder(self).appendingPathComponent("clip.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi",
                                "-i", "sine=frequency=440:sample_rate=16000", "-t", "2", "-pix_fmt", "yuv420p",
                                "-c:v", "libx264", "-c:a", "aac", "-ac", "1", file.path])
        let result = try CLI.run(["probe", file.path, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "mov,mp4,m4a,3gp,3g2,mj2")
        XCTAssertEqual(try XCTUnwrap(json["duration"] as? Double), 2.0, accuracy: 0.1)
        XCTAssertNotNil(json["bit_rate"] as? Int)
        let streams = try XCTUnwrap(json["streams"] as? [[String: Any]])
        XCTAssertEqual(streams.count, 2)
        XCTAssertEqual(streams[0]["type"] as? String, "video")
        XCTAssertEqual(streams[0]["codec"] as? String, "h264")
        XCTAssertEqual(streams[0]["width"] as? Int, 640)
        XCTAssertEqual(streams[0]["height"] as? Int, 360)
        XCTAssertEqual(streams[0]["fps"] as? Double, 25)
        XCTAssertEqual(streams[0]["rotation"] as? Int, 0)
        XCTAssertEqual(streams[1]["type"] as? String, "audio")
        XCTAssertEqual(streams[1]["codec"] as? String, "aac")
        XCTAssertEqual(streams[1]["sample_rate"] as? Int, 16000)
        XCTAssertEqual(streams[1]["channels"] as? Int, 1)
    }

    func testVersionNamesEveryNativeLibraryWithItsLicense() throws {
        let result = try CLI.run(["version", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let libraries = try XCTUnwrap(json["native_libraries"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: libraries.compactMap { entry in
            (entry["name"] as? String).map { ($0, entry) }
        })
        XCTAssertEqual(Set(byName.keys), ["FFmpeg", "OpenVINO", "OpenBLAS", "espeak-ng"])
        XCTAssertTrue((byName["FFmpeg"]?["version"] as? String)?.hasPrefix("5.1") == true)
        XCTAssertTrue((byName["OpenVINO"]?["version"] as? String)?.hasPrefix("2026.4") == true)
        XCTAssertEqual(byName["OpenVINO"]?["license"] as? String, "Apache-2.0")
        XCTAssertEqual(byName["OpenBLAS"]?["license"] as? String, "BSD-3-Clause")
        XCTAssertEqual(byName["espeak-ng"]?["license"] as? String, "GPL-3.0-or-later")
        // Debian builds FFmpeg with --enable-gpl: the report must say so.
        XCTAssertEqual(byName["FFmpeg"]?["license"] as? String, "GPL-2.0-or-later")
    }

    func testVADFindsTheSpokenSentenceBetweenSilences() throws {
        let folder = try CLI.temporaryFolder(self)
        let raw = folder.appendingPathComponent("raw.wav")
        try CLI.tool("espeak-ng", ["-v", "en-us", "-w", raw.path, "The quick brown fox jumps over the lazy dog."])
        // Trim espeak's own leading and trailing silence so the truth is exact: speech from 2.0 s to 2.0 + its length.
        let speech = folder.appendingPathComponent("speech.wav")
        let trim = "silenceremove=start_periods=1:start_threshold=-60dB"
        try CLI.tool("ffmpeg", ["-v", "error", "-i", raw.path, "-af", "\(trim),areverse,\(trim),areverse",
                                "-ar", "16000", speech.path])
        let speechLength = try XCTUnwrap(wavDuration(speech))
        let file = folder.appendingPathComponent("padded.wav")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-i", speech.path,
                                "-filter_complex",
                                "[0]atrim=duration=2[a];[0]atrim=duration=2[b];[a][1][b]concat=n=3:v=0:a=1",
                                "-ar", "16000", file.path])
        let result = try CLI.run(["vad", file.path, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let segments = try XCTUnwrap(json["segments"] as? [[String: Double]])
        XCTAssertEqual(try XCTUnwrap(json["duration"] as? Double), 4 + speechLength, accuracy: 0.01)
        XCTAssertGreaterThanOrEqual(segments.count, 1)
        // Boundaries within 100 ms of the truth (the 30 ms padding included).
        XCTAssertEqual(try XCTUnwrap(segments.first?["start"]), 2.0, accuracy: 0.1)
        XCTAssertEqual(try XCTUnwrap(segments.last?["end"]), 2.0 + speechLength, accuracy: 0.1)
    }

    /// Duration of a media file as `medley probe` reports it.
    private func wavDuration(_ url: URL) throws -> Double? {
        let result = try CLI.run(["probe", url.path, "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return json?["duration"] as? Double
    }
}
