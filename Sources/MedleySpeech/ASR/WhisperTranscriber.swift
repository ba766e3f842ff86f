import Foundation
import MedleyCore

/// The language a multilingual model hears in the first 30 s of an input.
public struct LanguageDetection: Sendable, Equatable {
    /// The most probable language code, such as "en".
    public var language: String
    /// Its probability among the model's languages.
    public var probability: Double
    /// Every language with its probability, most probable first.
    public var probabilities: [LanguageProbability]
}

/// One language and its probability.
public struct LanguageProbability: Sendable, Equatable, Codable {
    /// A language code such as "de".
    public var language: String
    /// Its probability, from a softmax over the model's language tokens.
    public var probability: Double
}

/// Transcribes 16 kHz mono speech with a ``WhisperModel``, the way faster-whisper does: consecutive 30 s
/// windows, greedy decoding with timestamps, temperature fallback, no-speech skipping and conditioning on the
/// previous text.
///
/// A transcriber is a cheap value; any number may share one model and run at the same time. Long work checks
/// for cancellation between windows and between decoding steps (throwing `CancellationError`), and reports
/// progress once per window (stage "transcribe", unit "s").
public struct WhisperTranscriber: Sendable {
    /// The model that transcribes.
    public let model: WhisperModel
    /// The settings every transcription of this transcriber uses.
    public var options: TranscriptionOptions

    /// Progress events carry this stage name.
    public static let progressStage = "transcribe"

    /// A transcriber for `model` with `options` (by default faster-whisper's, with greedy decoding at temperature 0).
    public init(model: WhisperModel, options: TranscriptionOptions = TranscriptionOptions()) {
        self.model = model
        self.options = options
    }

    /// Transcribes samples held in memory (16 kHz, mono, float in [-1, 1]).
    public func transcribe(samples: [Float], progress: (any ProgressReporter)? = nil) async throws -> Transcript {
        var source = ArrayWindowSource(samples: samples, melBins: model.dimensions.melBins)
        return try await run(source: &source, progress: progress)
    }

    /// Transcribes an input that arrives in chunks of 16 kHz mono samples, without holding it whole: only the
    /// samples from the current window on are kept (about 30–60 s). `nextChunk` returns nil at the end.
    ///
    /// The result equals ``transcribe(samples:progress:)`` except that the log-mel clamp floor uses the
    /// loudest passage heard so far instead of the loudest of the whole input (see `StreamWindowSource`).
    public func transcribe(progress: (any ProgressReporter)? = nil,
                           nextChunk: @escaping @Sendable () async throws -> [Float]?) async throws -> Transcript {
        var source = StreamWindowSource(melBins: model.dimensions.melBins, nextChunk: nextChunk)
        return try await run(source: &source, progress: progress)
    }

    /// Transcribes an asynchronous sequence of 16 kHz mono sample chunks, holding only what the current window
    /// needs (see ``transcribe(progress:nextChunk:)``).
    public func transcribe<Chunks: AsyncSequence & Sendable>(
        chunks: Chunks, progress: (any ProgressReporter)? = nil
    ) async throws -> Transcript where Chunks.Element == [Float] {
        let iterator = ChunkIterator(chunks.makeAsyncIterator())
        return try await transcribe(progress: progress) { try await iterator.next() }
    }

    /// Detects the spoken language from the first 30 s (multilingual models; English-only models say "en").
    public func detectLanguage(samples: [Float]) async throws -> LanguageDetection {
        guard model.isMultilingual else {
            return LanguageDetection(language: "en", probability: 1,
                                     probabilities: [LanguageProbability(language: "en", probability: 1)])
        }
        let first = Array(samples.prefix(LogMelSpectrogram.framesPerWindow * LogMelSpectrogram.hopLength))
        let workspace = model.workspaces.take(weights: model.weights, maxBatch: 1)
        defer { model.workspaces.give(workspace) }
        try Task.checkCancellation()
        return WhisperLanguageDetector(model: model, workspace: workspace).detect(samples: first)
    }

    func run(source: inout some WindowFeatureSource, progress: (any ProgressReporter)?) async throws
        -> Transcript
    {
        try validate()
        let batch = options.temperatures.contains { $0 > 0 } ? max(1, options.bestOf) : 1
        let model = self.model, options = self.options
        let workspace = model.workspaces.take(weights: model.weights, maxBatch: batch)
        defer { model.workspaces.give(workspace) }
        var session = TranscriptionSession(model: model, options: options, workspace: workspace)
        return try await session.run(source: &source, progress: progress)
    }

    func validate() throws {
        guard !options.temperatures.isEmpty, options.temperatures.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw MedleyError.invalidArgument(
                "temperatures must be a non-empty list of values >= 0, got \(options.temperatures)")
        }
        guard options.bestOf >= 1 else {
            throw MedleyError.invalidArgument("best_of must be at least 1, got \(options.bestOf)")
        }
        if !model.isMultilingual, let language = options.language, language != "en" {
            throw MedleyError.invalidArgument(
                "model '\(model.id)' is English-only and cannot transcribe language '\(language)'; "
                    + "use a multilingual model such as whisper-base")
        }
        if model.isMultilingual, let language = options.language, model.tokenizer.languageToken(language) == nil {
            throw MedleyError.invalidArgument(
                "language '\(language)' is not known to model '\(model.id)'; use one of "
                    + model.languages.joined(separator: ", "))
        }
    }
}

/// Lets a non-Sendable async iterator be driven from a `@Sendable` pull closure; the transcriber calls it from
/// one task at a time, strictly in sequence.
private final class ChunkIterator<Base: AsyncIteratorProtocol>: @unchecked Sendable where Base.Element == [Float] {
    private var base: Base

    init(_ base: Base) { self.base = base }

    func next() async throws -> [Float]? { try await base.next() }
}
