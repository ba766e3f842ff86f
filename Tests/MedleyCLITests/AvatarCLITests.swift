import Foundation
import XCTest

/// The `avatar` workflow and `medley provenance` through the real binary: a generated, stylised face speaking its
/// caption, labelled with every model that made it, and a label that notices edits.
final class AvatarCLITests: XCTestCase {
    private var home: URL!

    override func setUpWithError() throws {
        home = try CLI.temporaryFolder(self)
    }

    private func medley(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(arguments, environment: ["MEDLEY_HOME": home.path])
    }

    func testAvatarWorkflowMakesALabelledTalkingCard() throws {
        let out = try CLI.temporaryFolder(self).appendingPathComponent("card")
        let result = try medley(["run", "avatar", "--set", "seed=3", "--set", "caption=Hi. I was generated.",
                                 "-o", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let video = out.appendingPathComponent("avatar.mp4").path

        let probe = try medley(["probe", video, "--json"])
        let info = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any])
        let streams = try XCTUnwrap(info["streams"] as? [[String: Any]])
        XCTAssertEqual(streams.compactMap { $0["type"] as? String }.sorted(), ["audio", "video"])
        let picture = try XCTUnwrap(streams.first { $0["type"] as? String == "video" })
        XCTAssertEqual(picture["width"] as? Int, 512)
        XCTAssertGreaterThan(picture["height"] as? Int ?? 0, 512, "a caption bar under the 512x512 face")
        XCTAssertGreaterThan(info["duration"] as? Double ?? 0, 1)

        // The card names the three models that made its face, its style and its voice, and its file is intact.
        let shown = try medley(["provenance", video, "--json"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["integrity"] as? String, "unchanged")
        let record = try XCTUnwrap(json["record"] as? [String: Any])
        XCTAssertEqual(record["ai_generated"] as? Bool, true)
        let ingredients = try XCTUnwrap(record["ingredients"] as? [[String: Any]])
        let models = Set(ingredients.flatMap { ($0["models"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } })
        XCTAssertEqual(models, ["mobilestylegan-ffhq", "magenta-multistyle26", "piper-en_US-joe-medium"])

        // The stylised face is labelled AI-edited, with the generated face as its parent.
        let styled = try medley(["provenance", out.appendingPathComponent("styled.png").path])
        XCTAssertEqual(styled.status, 0, styled.stderr)
        XCTAssertTrue(styled.stdout.contains("AI-edited"), styled.stdout)
        XCTAssertTrue(styled.stdout.contains("(parentOf)"), styled.stdout)

        // Editing the video's bytes breaks the match with its record: exit 1 and one line saying so.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: video))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("tampered".utf8))
        try handle.close()
        let tampered = try medley(["provenance", video])
        XCTAssertEqual(tampered.status, 1)
        XCTAssertTrue(tampered.stdout.contains("MODIFIED"), tampered.stdout)
        XCTAssertEqual(tampered.errorLines.count, 1, tampered.stderr)
        XCTAssertTrue(tampered.stderr.contains("changed since Medley wrote it"), tampered.stderr)
    }

    func testProvenanceOfSpeechAndOfFilesWithoutALabel() throws {
        let folder = try CLI.temporaryFolder(self)
        let speech = folder.appendingPathComponent("hello.mp3").path
        XCTAssertEqual(try medley(["speak", "Hello there.", "-o", speech]).status, 0)
        let shown = try medley(["provenance", speech])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("AI-generated speech, voice piper-en_US-joe-medium"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("integrity: unchanged since written"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("seed:      0"), shown.stdout)
        // Without --seed the audio is the same every time (seed 0).
        let again = folder.appendingPathComponent("again.mp3").path
        XCTAssertEqual(try medley(["speak", "Hello there.", "-o", again]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again)), try Data(contentsOf: URL(fileURLWithPath: speech)),
                       "the same text spoken twice without --seed gives the same file")
        let json = try medley(["provenance", speech, "--json"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["integrity"] as? String, "unchanged")
        let record = try XCTUnwrap(object["record"] as? [String: Any])
        XCTAssertEqual(record["audio_sha256"] as? String, object["sha256"] as? String)
        XCTAssertNotNil(ISO8601DateFormatter().date(from: record["created"] as? String ?? ""), "\(record)")
        // Edited audio: the record no longer describes it.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: speech))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0, count: 16))
        try handle.close()
        let edited = try medley(["provenance", speech])
        XCTAssertEqual(edited.status, 1)
        XCTAssertTrue(edited.stdout.contains("MODIFIED"), edited.stdout)
        XCTAssertTrue(edited.stderr.contains("changed since Medley wrote it"), edited.stderr)

        let plain = folder.appendingPathComponent("plain.png").path
        try CLI.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=s=64x48", "-frames:v", "1", plain])
        let none = try medley(["provenance", plain])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("carries no Medley provenance record"), none.stderr)

        let missing = try medley(["provenance", folder.appendingPathComponent("missing.png").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no such file"), missing.stderr)
    }
}
