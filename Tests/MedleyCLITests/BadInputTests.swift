import Foundation
import XCTest

/// Bad input never crashes `medley`: each case gives one line on stderr naming the input and what to do,
/// exit code 1, and no output file.
final class BadInputTests: XCTestCase {
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

    func testMissingPath() throws {
        assertUserError(try CLI.run(["probe", "/no/such/file.mp4"]), mentions: ["/no/such/file.mp4", "no such file"])
        assertUserError(try CLI.run(["vad", "/no/such/file.wav"]), mentions: ["/no/such/file.wav"])
    }

    func testDirectory() throws {
        let folder = try CLI.temporaryFolder(self)
        assertUserError(try CLI.run(["probe", folder.path]), mentions: [folder.path, "directory"])
    }

    func testZeroByteFile() throws {
        let file = try CLI.temporaryFolder(self).appendingPathComponent("empty.mp4")
        FileManager.default.createFile(atPath: file.path, contents: Data())
        assertUserError(try CLI.run(["probe", file.path]), mentions: [file.path, "empty"])
    }

    func testTextFileRenamedMP4() throws {
        let file = try CLI.temporaryFolder(self).appendingPathComponent("notes.mp4")
        try Data("These are meeting notes, not a video.\n".utf8).write(to: file)
        assertUserError(try CLI.run(["probe", file.path]), mentions: [file.path, "cannot be read as media"])
        assertUserError(try CLI.run(["vad", file.path]), mentions: [file.path])
    }

    func testTruncatedMP4() throws {
        let folder = try CLI.temporaryFolder(self)
        let whole = folder.appendingPathComponent("whole.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi",
                                "-i", "sine=frequency=440", "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                                "-c:a", "aac", whole.path])
        let data = try Data(contentsOf: whole)
        // Cutting the end loses the moov atom (written last without faststart): the file cannot be opened.
        let cut = folder.appendingPathComponent("cut.mp4")
        try data.prefix(data.count / 2).write(to: cut)
        assertUserError(try CLI.run(["probe", cut.path]), mentions: [cut.path])
        assertUserError(try CLI.run(["vad", cut.path]), mentions: [cut.path])
    }

    func testFileWithoutAudioStream() throws {
        let video = try CLI.temporaryFolder(self).appendingPathComponent("silent-film.mp4")
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", "1",
                                "-pix_fmt", "yuv420p", video.path])
        assertUserError(try CLI.run(["vad", video.path]), mentions: [video.path, "no audio stream"])
    }

    /// A tile smaller than the face detector's input is a usage error before any model loads.
    func testTooSmallFaceTileIsAUsageError() throws {
        let picture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/vision/astronaut.png")
        let result = try CLI.run(["faces", picture.path, "--tile", "64"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("--tile must be at least 128 pixels"), result.stderr)
    }

    func testUnknownArgumentIsAUserError() throws {
        let result = try CLI.run(["probe", "--no-such-flag", "x"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("no-such-flag"), result.stderr)
    }
}
