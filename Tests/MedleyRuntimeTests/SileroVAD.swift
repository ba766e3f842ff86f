import Foundation
import MedleyCore
import MedleyRuntime

/// Runs silero VAD the way silero's own Python wrapper (`OnnxWrapper` in silero_vad/utils_vad.py, v6.2.3) does,
/// for the `silero_vad_openvino_16k.onnx` variant, whose only inputs are `input` and `state`:
/// each call takes 512 new samples at 16 kHz with the last 64 samples of the previous call's input prepended
/// (zeros at the start), and the recurrent state returned as `stateN` goes back in as `state`.
struct SileroVAD {
    /// New samples per call at 16 kHz (the wrapper's `num_samples`).
    static let chunkSize = 512
    /// Samples carried over from the previous call (the wrapper's `context_size` at 16 kHz).
    static let contextSize = 64
    static let sampleRate = 16_000
    /// Shape of the recurrent state: (2, batch, 128) in the wrapper's `reset_states`.
    static let stateShape = [2, 1, 128]

    let request: InferRequest
    private var state = Tensor(zeros: SileroVAD.stateShape, elementType: .f32)
    private var context = [Float](repeating: 0, count: SileroVAD.contextSize)

    init(_ model: CompiledModel) throws {
        request = try model.makeInferRequest()
    }

    /// The speech probability of the next chunk (fewer than 512 samples are padded with zeros, as the wrapper's
    /// `audio_forward` does).
    mutating func probability<C: Collection<Float>>(ofChunk chunk: C) throws -> Float {
        var frame = context
        frame.reserveCapacity(Self.contextSize + Self.chunkSize)
        frame.append(contentsOf: chunk)
        frame.append(contentsOf: repeatElement(0, count: Self.contextSize + Self.chunkSize - frame.count))
        let outputs = try request.run([
            "input": Tensor(shape: [1, Self.contextSize + Self.chunkSize], floats: frame),
            "state": state,
        ])
        guard let probability = outputs["output"], let nextState = outputs["stateN"] else {
            throw TestSetupError("silero returned outputs \(outputs.keys.sorted()), expected output and stateN")
        }
        state = nextState
        context = Array(frame.suffix(Self.contextSize))
        return probability.floats()[0]
    }

    /// One probability per 512-sample chunk of `samples`.
    mutating func probabilities(_ samples: [Float]) throws -> [Float] {
        try stride(from: 0, to: samples.count, by: Self.chunkSize).map { start in
            try probability(ofChunk: samples[start..<min(start + Self.chunkSize, samples.count)])
        }
    }
}

extension TestSupport {
    /// A spoken English sentence from espeak-ng, resampled by FFmpeg to 16 kHz mono floats.
    static func speechSamples() throws -> [Float] {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("speech.wav").path
        let raw = folder.appendingPathComponent("speech.raw")
        try runTool("espeak-ng", ["-v", "en-us", "-w", wav,
                                  "The quick brown fox jumps over the lazy dog. Voice activity detection finds speech."])
        try runTool("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", wav, "-ar", "16000", "-ac", "1",
                               "-f", "f32le", raw.path])
        return try readFloats(raw)
    }
}
