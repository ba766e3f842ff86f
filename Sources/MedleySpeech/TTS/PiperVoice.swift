import Foundation
import MedleyCore
import MedleyRuntime

/// The three scales a Piper (VITS) model takes with every sentence.
public struct PiperScales: Sendable, Hashable, Codable {
    /// Variation of the voice (`noise_scale`); 0 gives a flat, average voice.
    public var noiseScale: Double
    /// Duration (`length_scale`): 2 is twice as slow, 0.5 twice as fast, without changing pitch.
    public var lengthScale: Double
    /// Variation of phoneme durations (`noise_w`).
    public var noiseW: Double

    /// Scales as given; ``PiperVoice/defaultScales`` has the voice's own.
    public init(noiseScale: Double, lengthScale: Double, noiseW: Double) {
        self.noiseScale = noiseScale
        self.lengthScale = lengthScale
        self.noiseW = noiseW
    }

    enum CodingKeys: String, CodingKey {
        case noiseScale = "noise_scale", lengthScale = "length_scale", noiseW = "noise_w"
    }
}

/// A Piper VITS voice: its config and its model compiled for the CPU through OpenVINO.
///
/// Loading reads the `.onnx` file once, rewrites its two random-noise nodes into inputs (see ``PiperNoisePatch``;
/// the rewritten file is cached, see ``PiperModelCache``) and compiles it in f32 (OpenVINO's default bf16 on this
/// CPU breaks the model: its duration arithmetic overflows). The compiled model is shared process-wide through ``Runtime``'s cache, so a second `PiperVoice` for the
/// same file is cheap.
///
/// Synthesis is deterministic: the model's noise comes from a generator seeded by the caller, so the same phonemes,
/// scales and seed give the same samples on every run (on the same machine; OpenVINO may pick other kernels
/// elsewhere, which moves samples by rounding only).
///
/// Thread-safe: ``synthesize(phonemes:scales:speaker:seed:)`` may be called from several tasks at once.
public final class PiperVoice: Sendable {
    /// The voice's config (`.onnx.json`).
    public let config: PiperVoiceConfig
    /// The original model file.
    public let modelPath: String
    /// The model file's sha256 when known (from the model store's card, or given by the caller).
    public let modelSHA256: String?

    private let model: CompiledModel
    private let noiseInputs: [String]
    private let takesSpeaker: Bool

    /// Output frames per phoneme id the noise inputs are sized for, at length scale 1 (measured with
    /// en_US-joe-medium: 2.3 frames per id on average; the margin covers slow voices and long pauses). Longer
    /// outputs reuse the noise from the start (the graph tiles it), which is harmless but no longer independent.
    static let noiseFramesPerID = 6.0
    /// Channels of the prior's noise: the `inter_channels` of Piper's medium and high VITS configurations.
    static let noiseChannels = 192
    /// Peak level each sentence is normalised to. Piper normalises every sentence to full scale; a little
    /// headroom keeps lossy encoders (MP3, Opus) from clipping.
    static let peakLevel: Float = 0.9

    /// Loads a voice from its model file and config.
    ///
    /// - Parameters:
    ///   - modelPath: the `.onnx` file.
    ///   - configPath: the `.onnx.json` file; nil for `modelPath + ".json"`.
    ///   - sha256: the model file's checksum when the caller knows it (the model store's card does); it keys the
    ///     cached rewritten model. Without it the key is the file's path, size and modification time.
    /// - Throws: ``MedleyError/fileNotFound(path:)`` and the other file checks, ``MedleyError/invalidModel(id:reason:)``
    ///   for a config or model that is not a Piper voice, ``MedleyError/runtime(_:)`` when OpenVINO fails.
    public init(modelPath: String, configPath: String? = nil, sha256: String? = nil) throws {
        let configPath = configPath ?? modelPath + ".json"
        try requireReadableFile(modelPath)
        config = try PiperVoiceConfig(contentsOf: configPath)
        self.modelPath = modelPath
        modelSHA256 = sha256
        let key = try sha256 ?? PiperModelCache.fingerprint(of: modelPath)
        let (path, noiseCount) = try PiperModelCache.rewrittenModel(modelPath, key: key)
        model = try Runtime.compiledModel(path: path, cacheKey: "piper-noise-v\(PiperNoisePatch.version):\(key)")
        noiseInputs = (0..<noiseCount).map { PiperNoisePatch.inputPrefix + String($0) }
        let names = Set(model.inputs.map(\.name))
        for required in [ModelPorts.ids, ModelPorts.lengths, ModelPorts.scales] + noiseInputs where !names.contains(required) {
            throw MedleyError.invalidModel(
                id: modelPath, reason: "has no input '\(required)' (inputs: \(names.sorted().joined(separator: ", "))); "
                    + "not a Piper voice")
        }
        takesSpeaker = names.contains(ModelPorts.speaker)
    }

    /// Loads the voice in a folder holding one `.onnx` file and its `.onnx.json`.
    public convenience init(directory: String, sha256: String? = nil) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let models = names.filter { $0.hasSuffix(".onnx") }.sorted()
        guard models.count == 1, let model = models.first else {
            throw MedleyError.invalidArgument(
                "\(directory): expected one Piper .onnx file with its .onnx.json, found \(models.count) .onnx files")
        }
        try self.init(modelPath: (directory as NSString).appendingPathComponent(model), sha256: sha256)
    }

    /// The scales from the voice's config (`inference` section).
    public var defaultScales: PiperScales {
        PiperScales(noiseScale: config.noiseScale, lengthScale: config.lengthScale, noiseW: config.noiseW)
    }

    /// Synthesizes one sentence of phonemes (as ``ESpeakPhonemizer`` returns them) to samples at
    /// `config.sampleRate`, peak-normalised like Piper's own output.
    ///
    /// - Parameters:
    ///   - speaker: the speaker id of a multi-speaker voice (nil for 0); must be nil or 0 for other voices.
    ///   - seed: seeds the model's noise; the same seed gives the same audio.
    /// - Returns: the samples and the phonemes the voice's id map lacks (dropped, with their counts).
    public func synthesize(phonemes: String, scales: PiperScales, speaker: Int? = nil, seed: UInt64 = 0) throws
        -> (samples: [Float], missingPhonemes: [String: Int])
    {
        let (ids, missing) = config.phonemeIDs(for: phonemes)
        return (try synthesize(ids: ids, scales: scales, speaker: speaker, seed: seed), missing)
    }

    /// Synthesizes one sentence given as Piper phoneme ids (`^ _ p _ p _ ... $`).
    public func synthesize(ids: [Int64], scales: PiperScales, speaker: Int? = nil, seed: UInt64 = 0) throws -> [Float] {
        try Self.validate(scales)
        let speakerID = speaker ?? 0
        guard speakerID >= 0, speakerID < config.speakerCount else {
            throw MedleyError.invalidArgument(
                config.speakerCount == 1
                    ? "speaker \(speakerID) given, but this voice has one speaker; leave the speaker unset"
                    : "speaker \(speakerID) is out of range; this voice has speakers 0-\(config.speakerCount - 1)")
        }
        guard !ids.isEmpty else { return [] }
        var inputs: [String: Tensor] = [
            ModelPorts.ids: try Tensor(shape: [1, ids.count], int64s: ids),
            ModelPorts.lengths: try Tensor(shape: [1], int64s: [Int64(ids.count)]),
            ModelPorts.scales: try Tensor(
                shape: [3], floats: [Float(scales.noiseScale), Float(scales.lengthScale), Float(scales.noiseW)]),
        ]
        if takesSpeaker { inputs[ModelPorts.speaker] = try Tensor(shape: [1], int64s: [Int64(speakerID)]) }
        let frames = Int((Double(ids.count) * Self.noiseFramesPerID * max(1, scales.lengthScale)).rounded(.up)) + 64
        for (index, name) in noiseInputs.enumerated() {
            var noise = GaussianNoise(seed: GaussianNoise.seed(seed, UInt64(index)))
            let values = noise.fill(count: frames * Self.noiseChannels)
            inputs[name] = try Tensor(shape: [values.count], floats: values)
        }
        let outputs = try model.run(inputs)
        guard let audio = outputs[ModelPorts.audio] ?? outputs.values.first else {
            throw MedleyError.invalidModel(id: modelPath, reason: "the model returned no output")
        }
        var samples = audio.floats()
        Self.normalizePeak(&samples)
        return samples
    }

    static func validate(_ scales: PiperScales) throws {
        guard scales.lengthScale.isFinite, scales.lengthScale > 0 else {
            throw MedleyError.invalidArgument("length scale \(scales.lengthScale) is invalid; give a positive number (1 is normal speed)")
        }
        guard scales.noiseScale.isFinite, scales.noiseScale >= 0, scales.noiseW.isFinite, scales.noiseW >= 0 else {
            throw MedleyError.invalidArgument(
                "noise scale \(scales.noiseScale) and noise width \(scales.noiseW) must be 0 or more (defaults 0.667 and 0.8)")
        }
    }

    private static func normalizePeak(_ samples: inout [Float]) {
        var peak: Float = 0
        for sample in samples { peak = max(peak, abs(sample)) }
        // Piper divides by max(0.01, peak): near-silent output is not blown up to full scale.
        let gain = peakLevel / max(0.01, peak)
        for index in samples.indices { samples[index] = max(-1, min(1, samples[index] * gain)) }
    }

    private enum ModelPorts {
        static let ids = "input", lengths = "input_lengths", scales = "scales", speaker = "sid", audio = "output"
    }
}
