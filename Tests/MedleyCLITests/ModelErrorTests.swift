import Foundation
import XCTest

/// Model problems a user can cause: a model that is not installed, altered files, a license policy that
/// forbids the model. Each is one clear line and exit code 1.
final class ModelErrorTests: XCTestCase {
    /// A store holding a fresh copy of silero VAD, installed by Medley's own installer from the set-up store.
    private func storeWithSilero() throws -> URL {
        let store = try CLI.temporaryFolder(self).appendingPathComponent("models")
        let source = CLI.installedStore.appendingPathComponent("silero-vad")
        guard FileManager.default.fileExists(atPath: source.path) else {
            XCTFail("silero-vad is not in \(CLI.installedStore.path): run `make setup`")
            throw XCTSkip("no silero-vad")
        }
        let install = try CLI.run(["models", "install", "silero-vad", "--from-dir", source.path, "--models", store.path])
        XCTAssertEqual(install.status, 0, install.stderr)
        return store
    }

    private func speechFile() throws -> URL {
        let wav = try CLI.temporaryFolder(self).appendingPathComponent("speech.wav")
        try CLI.tool("espeak-ng", ["-v", "en-us", "-w", wav.path, "Testing one two three."])
        return wav
    }

    func testModelNotInstalledListsInstalledOnes() throws {
        let store = try storeWithSilero()
        let result = try CLI.run(["vad", try speechFile().path, "--model", "silero-vad-xl", "--models", store.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("'silero-vad-xl' is not installed"), result.stderr)
        XCTAssertTrue(result.stderr.contains("installed models: silero-vad"), result.stderr)
    }

    /// A model of another kind (a Whisper model given to `vad`) is one clear line naming the right ones.
    func testModelOfAnotherKindIsRefused() throws {
        let result = try CLI.run(["vad", try speechFile().path, "--model", "whisper-tiny.en"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("not voice activity detection; use one of: silero-vad"), result.stderr)
    }

    func testAlteredModelFileIsRefusedNamingTheFile() throws {
        let store = try storeWithSilero()
        let speech = try speechFile()
        let ok = try CLI.run(["vad", speech.path, "--json", "--models", store.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("\"segments\""), ok.stdout)

        // Flip one byte in the middle, keeping the size: the quick check sees the new modification time,
        // and a full verify sees the checksum.
        let model = store.appendingPathComponent("silero-vad/silero_vad_openvino_16k.onnx")
        var bytes = try Data(contentsOf: model)
        bytes[bytes.count / 2] ^= 0xFF
        Thread.sleep(forTimeInterval: 0.01)
        try bytes.write(to: model)

        let refused = try CLI.run(["vad", speech.path, "--models", store.path])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertEqual(refused.errorLines.count, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("silero_vad_openvino_16k.onnx"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("medley models install silero-vad"), refused.stderr)

        let verify = try CLI.run(["models", "verify", "silero-vad", "--models", store.path])
        XCTAssertEqual(verify.status, 1, verify.stdout + verify.stderr)
        XCTAssertTrue((verify.stdout + verify.stderr).contains("silero_vad_openvino_16k.onnx"))
    }

    func testPolicyThatForbidsTheModel() throws {
        let store = try storeWithSilero()
        let folder = try CLI.temporaryFolder(self)
        let policy = folder.appendingPathComponent("copyleft-only.json")
        try Data(#"{"name": "copyleft-only", "allowed_categories": ["copyleft"]}"#.utf8).write(to: policy)
        let result = try CLI.run(["vad", try speechFile().path, "--models", store.path, "--policy", policy.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.errorLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("silero-vad"), result.stderr)
        XCTAssertTrue(result.stderr.contains("MIT"), result.stderr)
        XCTAssertTrue(result.stderr.contains("copyleft-only"), result.stderr)

        let audit = try CLI.run(["models", "audit", "--policy", policy.path, "--models", store.path])
        XCTAssertEqual(audit.status, 1, audit.stdout + audit.stderr)
        XCTAssertTrue(audit.stdout.contains("silero-vad"), audit.stdout)
    }

    func testAuditPassesWhenThePolicyAllowsEverything() throws {
        let store = try storeWithSilero()
        let audit = try CLI.run(["models", "audit", "--policy", "commercial", "--models", store.path])
        XCTAssertEqual(audit.status, 0, audit.stdout + audit.stderr)
        XCTAssertTrue(audit.stdout.contains("silero-vad"), audit.stdout)
        XCTAssertTrue(audit.stdout.contains("allowed"), audit.stdout)
    }
}
