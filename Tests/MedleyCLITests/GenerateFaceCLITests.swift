import Foundation
import XCTest

/// `medley generate face` as a user runs it: bad arguments are one clear error with exit code 1 and no file;
/// negative seeds and batches work.
final class GenerateFaceCLITests: XCTestCase {
    private func assertRefused(_ arguments: [String], mentions needle: String, in folder: URL,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CLI.run(["generate", "face"] + arguments, environment: ["MEDLEY_RECORD": "0"])
        XCTAssertEqual(result.status, 1, "exit code; stderr: \(result.stderr)", file: file, line: line)
        // The first line says what is wrong (argument errors add ArgumentParser's usage hint below it).
        let first = result.errorLines.first ?? ""
        XCTAssertTrue(first.contains(needle), "stderr should say '\(needle)': \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stdout.isEmpty, "nothing on stdout: \(result.stdout)", file: file, line: line)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no files",
                       file: file, line: line)
    }

    func testBadArgumentsAreRefusedAndWriteNothing() throws {
        let folder = try CLI.temporaryFolder(self)
        let out = folder.appendingPathComponent("face.png").path
        try assertRefused(["--count", "0", "-o", folder.appendingPathComponent("batch").path],
                          mentions: "--count must be at least 1", in: folder)
        try assertRefused(["--seed", "1", "-o", folder.appendingPathComponent("missing/face.png").path],
                          mentions: "does not exist", in: folder)
        try assertRefused(["--seed", "1", "--count", "3", "-o", folder.appendingPathComponent("missing/batch").path],
                          mentions: "does not exist", in: folder)
        try assertRefused(["--truncation", "1.5", "-o", out], mentions: "--truncation must be in [0, 1]", in: folder)
        try assertRefused(["--truncation=-0.1", "-o", out], mentions: "--truncation must be in [0, 1]", in: folder)
        try assertRefused(["--size", "300", "-o", out], mentions: "--size must be 256, 512 or 1024", in: folder)
        try assertRefused(["--seed", "twelve", "-o", out], mentions: "not a 64-bit integer", in: folder)
        try assertRefused(["--seed", "18446744073709551616", "-o", out], mentions: "not a 64-bit integer", in: folder)
        try assertRefused(["--interpolate", "5", "-o", folder.appendingPathComponent("m.mp4").path],
                          mentions: "two seeds", in: folder)
        try assertRefused(["--interpolate", "1,2", "--frames", "1", "-o", folder.appendingPathComponent("m.mp4").path],
                          mentions: "--frames must be at least 2", in: folder)
        try assertRefused(["--seed", "1", "-o", folder.appendingPathComponent("face.txt").path],
                          mentions: "give a path ending in .png", in: folder)
    }

    func testNegativeSeedBatchIntoANewFolder() throws {
        let folder = try CLI.temporaryFolder(self)
        let batch = folder.appendingPathComponent("faces").path
        let result = try CLI.run(["generate", "face", "--seed", "-2", "--count", "2", "--size", "256", "-o", batch,
                                  "--json"], environment: ["MEDLEY_RECORD": "0"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // -2 and -1 as 64-bit patterns.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: batch).sorted(), [
            "face-18446744073709551614.png", "face-18446744073709551614.provenance.json",
            "face-18446744073709551615.png", "face-18446744073709551615.provenance.json",
        ])
        let listed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(listed.compactMap { $0["seed"] as? String }, ["18446744073709551614", "18446744073709551615"])
    }
}
