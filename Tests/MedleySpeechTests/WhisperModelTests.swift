import Foundation
import MedleyCore
import XCTest
@testable import MedleySpeech

/// Loading CTranslate2 Whisper models and the network's numbers against notes/whisper-ct2.md §1, §2 and §6.
final class WhisperModelTests: XCTestCase {
    func testTinyDimensionsAndConfig() throws {
        let model = try WhisperTestSupport.tiny()
        XCTAssertEqual(model.dimensions, WhisperDimensions(
            melBins: 80, audioContext: 1500, textContext: 448, width: 384, feedForwardWidth: 1536,
            encoderHeads: 6, decoderHeads: 6, encoderLayers: 4, decoderLayers: 4, vocabularySize: 51864))
        XCTAssertFalse(model.isMultilingual)
        XCTAssertEqual(model.languages, ["en"])
        XCTAssertEqual(model.generation.suppressIDs.count, 90)
        XCTAssertEqual(model.generation.suppressIDsBegin, [220, 50256])
    }

    func testModelFileIndex() throws {
        let path = WhisperTestSupport.store + "/whisper-tiny.en/model.bin"
        let file = try CTranslate2ModelFile(path: path, modelID: "whisper-tiny.en")
        XCTAssertEqual(file.binaryVersion, 6)
        XCTAssertEqual(file.specName, "WhisperSpec")
        XCTAssertEqual(file.specRevision, 3)
        XCTAssertEqual(file.variables.count, 148)
        XCTAssertEqual(file.aliases, ["decoder/projection/weight": "decoder/embeddings/weight"])
        XCTAssertEqual(file.variables.values.map(\.offset).min(), 53)   // decoder/activation, right after the header
        XCTAssertEqual(try file.scalar("decoder/activation"), 3)
        XCTAssertEqual(try file.scalar("decoder/num_heads"), 6)
        // Every key bias is zero (Whisper's key projections have no bias).
        let bias = try file.floats("encoder/layer_0/self_attention/linear_0/bias")
        XCTAssertTrue((384..<768).allSatisfy { bias[$0] == 0 })
    }

    func testTruncatedModelFileNamesTheFile() throws {
        let source = WhisperTestSupport.store + "/whisper-tiny.en"
        guard FileManager.default.fileExists(atPath: source + "/model.bin") else {
            _ = try WhisperTestSupport.tiny()   // throws the "run make setup" message
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medley-truncated-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["config.json", "vocabulary.txt", "tokenizer.json"] {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: folder.path + "/" + name)
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source + "/model.bin"))
        let modelPath = folder.path + "/model.bin"
        for size in [0, 3, 100, 1_000_000, bytes.count - 60] {
            try bytes.prefix(size).write(to: URL(fileURLWithPath: modelPath))
            XCTAssertThrowsError(try WhisperModel(directory: folder.path), "size \(size)") { error in
                guard case MedleyError.invalidModel(_, let reason) = error else {
                    return XCTFail("expected invalidModel, got \(error)")
                }
                XCTAssertTrue(reason.contains(modelPath), reason)
            }
        }
        // Not a model at all.
        try Data("hello".utf8).write(to: URL(fileURLWithPath: modelPath))
        XCTAssertThrowsError(try WhisperModel(directory: folder.path))
        // A missing model.bin and a missing folder.
        try FileManager.default.removeItem(atPath: modelPath)
        XCTAssertThrowsError(try WhisperModel(directory: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("model.bin"), "\(error)")
        }
        XCTAssertThrowsError(try WhisperModel(directory: folder.path + "/nowhere"))
    }

    /// The encoder output for the fox clip and the first decoding step's raw logits, as CTranslate2 computes them.
    func testEncoderAndFirstStepMatchCTranslate2() throws {
        let model = try WhisperTestSupport.tiny()
        let samples = try WhisperTestSupport.fox()
        let workspace = model.workspaces.take(weights: model.weights, maxBatch: 1)
        defer { model.workspaces.give(workspace) }
        let features = LogMelSpectrogram().features(of: samples)
        features.window(at: 0, frames: features.contentFrames, into: workspace.mel.pointer)
        workspace.encoder.encode(mel: workspace.mel.constPointer, output: workspace.encoderOutput.pointer)
        // Checked element-wise against CTranslate2 (float32): largest difference 5.5e-5.
        let output = workspace.encoderOutput.array
        let mean = output.reduce(0.0) { $0 + Double($1) } / Double(output.count)
        let variance = output.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(output.count)
        XCTAssertEqual(mean, -0.027933, accuracy: 1e-5)
        XCTAssertEqual(variance.squareRoot(), 1.081081, accuracy: 1e-5)
        for (i, value) in [Float(-0.8520), 0.5323, 0.6072, -0.2156].enumerated() {
            XCTAssertEqual(output[i], value, accuracy: 1e-4)
        }
        for (i, value) in [Float(-2.0514), -0.1730, 2.3123, -0.3001].enumerated() {
            XCTAssertEqual(output[100 * 384 + i], value, accuracy: 1e-4)
        }

        workspace.decoder.setEncoderOutput(workspace.encoderOutput.constPointer)
        workspace.cache.length = 0
        let logits = workspace.logits.pointer
        workspace.decoder.forward(tokens: [50257], batch: 1, cache: workspace.cache, logitRows: [0], logits: logits)
        XCTAssertEqual(logits[50362], 22.9650, accuracy: 2e-3)
        XCTAssertEqual(logits[50363], 22.9616, accuracy: 2e-3)
        XCTAssertEqual(logits[50361], 20.5152, accuracy: 2e-3)
        let top = LogitMath.argmax(logits, count: 51864)
        XCTAssertEqual(top.index, 50362)
    }
}
