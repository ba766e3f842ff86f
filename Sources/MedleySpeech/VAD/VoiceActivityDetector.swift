import Foundation
import MedleyCore
import MedleyMedia
import MedleyRuntime

/// A span of speech found by voice activity detection, in seconds.
public struct SpeechSpan: Sendable, Codable, Equatable {
    public var start: Double
    public var end: Double

    public init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }
}

/// What ``VoiceActivityDetector`` found: `{"segments": [{"start": 1.06, "end": 3.58}], "duration": 60.0}`.
public struct VADResult: Sendable, Codable, Equatable {
    public var segments: [SpeechSpan]
    /// Duration of the audio analysed, in seconds.
    public var duration: Double

    public init(segments: [SpeechSpan], duration: Double) {
        self.segments = segments
        self.duration = duration
    }

    /// Total speech time in seconds.
    public var speechDuration: Double { segments.reduce(0) { $0 + $1.end - $1.start } }
}

/// Finds speech in audio with silero VAD, streaming: audio is decoded and analysed in chunks, so memory stays
/// flat whatever the input's length.
///
/// Thread-safe: each call makes its own inference request over the shared compiled model, so one detector can
/// serve several inputs at once.
public final class VoiceActivityDetector: Sendable {
    public let configuration: VADConfiguration
    private let model: CompiledModel

    /// Decoding chunk: 32 silero windows (about 1 s) per read keeps decoding overhead low.
    private static let chunkFrames = SileroVAD.windowSize * 32

    /// - Parameters:
    ///   - modelPath: the `silero_vad_openvino_16k.onnx` file.
    ///   - cacheKey: the model's sha256 (from its card): compiled once per process per key.
    public init(modelPath: String, cacheKey: String, configuration: VADConfiguration = VADConfiguration()) throws {
        try requireReadableFile(modelPath)
        // f32: silero's probabilities move by up to 0.055 in bf16 (measured), enough to move boundaries.
        model = try Runtime.compiledModel(path: modelPath, cacheKey: cacheKey,
                                          settings: CompileSettings(precision: .f32, threads: 1))
        self.configuration = configuration
        _ = try SileroVAD(model: model) // fail early on a model that is not silero
    }

    /// Speech segments of 16 kHz mono samples held in memory.
    public func detect(samples: [Float]) throws -> VADResult {
        var vad = try SileroVAD(model: model)
        var segmenter = SpeechSegmenter(configuration: configuration, sampleRate: SileroVAD.sampleRate,
                                        windowSize: SileroVAD.windowSize)
        var ranges: [Range<Int>] = []
        var start = 0
        while start < samples.count {
            let end = min(start + SileroVAD.windowSize, samples.count)
            ranges += segmenter.push(try vad.probability(of: samples[start..<end]))
            start = end
        }
        ranges += segmenter.finish(totalSamples: samples.count)
        return result(ranges, totalSamples: samples.count)
    }

    /// Speech segments of any file FFmpeg reads (its first audio stream), decoded to 16 kHz mono as it goes.
    ///
    /// Reports progress in seconds of audio and stops with `CancellationError` when the task is cancelled.
    public func detect(path: String, progress: any ProgressReporter = SilentProgress()) async throws -> VADResult {
        let decoder = try AudioDecoder(path: path, sampleRate: SileroVAD.sampleRate, channels: 1)
        var vad = try SileroVAD(model: model)
        var segmenter = SpeechSegmenter(configuration: configuration, sampleRate: SileroVAD.sampleRate,
                                        windowSize: SileroVAD.windowSize)
        var ranges: [Range<Int>] = []
        var pending: [Float] = []  // samples not yet making a whole window
        var total = 0
        var buffer = AudioBuffer(samples: [], sampleRate: SileroVAD.sampleRate)
        while try decoder.read(into: &buffer, maxFrames: Self.chunkFrames) {
            try Task.checkCancellation()
            pending.append(contentsOf: buffer.samples)
            total += buffer.frameCount
            var start = 0
            while pending.count - start >= SileroVAD.windowSize {
                ranges += segmenter.push(try vad.probability(of: pending[start..<(start + SileroVAD.windowSize)]))
                start += SileroVAD.windowSize
            }
            pending.removeFirst(start)
            progress.report(ProgressEvent(stage: "vad", completed: Double(total) / Double(SileroVAD.sampleRate),
                                          total: decoder.duration, unit: "s"))
        }
        if !pending.isEmpty { ranges += segmenter.push(try vad.probability(of: pending)) }
        ranges += segmenter.finish(totalSamples: total)
        return result(ranges, totalSamples: total)
    }

    private func result(_ ranges: [Range<Int>], totalSamples: Int) -> VADResult {
        let rate = Double(SileroVAD.sampleRate)
        // Millisecond resolution: finer than the 32 ms windows the decisions are made on.
        func seconds(_ sample: Int) -> Double { (Double(sample) / rate * 1000).rounded() / 1000 }
        return VADResult(segments: ranges.map { SpeechSpan(start: seconds($0.lowerBound), end: seconds($0.upperBound)) },
                         duration: seconds(totalSamples))
    }
}

import MedleyModels

extension VoiceActivityDetector {
    /// The catalog model used when none is named.
    public static let defaultModelID = "silero-vad"
    /// The task a model's card must list to be used here.
    public static let task = "speech.vad"

    /// A detector over a model from the store, after the license policy and the store's quick check.
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` naming the voice-activity models installed when `modelID`
    ///   is another kind of model.
    public convenience init(
        store: ModelStore, modelID: String = VoiceActivityDetector.defaultModelID, policy: LicensePolicy = .any,
        configuration: VADConfiguration = VADConfiguration()
    ) throws {
        let model = try store.resolve(id: modelID, policy: policy)
        guard model.card.tasks.contains(Self.task) else {
            let vadModels = store.installedCards().filter { $0.tasks.contains(Self.task) }.map(\.id)
            throw MedleyError.invalidModel(
                id: modelID, reason: "is a \(model.card.tasks.joined(separator: ", ")) model, not voice activity detection; "
                    + "use one of: " + (vadModels.isEmpty ? "none installed" : vadModels.joined(separator: ", ")))
        }
        guard let weights = model.card.file(role: "weights") else {
            throw MedleyError.invalidModel(id: modelID, reason: "its card lists no file with role 'weights'")
        }
        try self.init(modelPath: model.directory.appendingPathComponent(weights.path).path, cacheKey: weights.sha256,
                      configuration: configuration)
    }
}
