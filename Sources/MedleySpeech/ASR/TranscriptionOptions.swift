/// Settings of a Whisper transcription. The defaults are faster-whisper's, except that decoding at
/// temperature 0 is greedy (faster-whisper defaults to a beam of 5; Medley has no beam search yet).
public struct TranscriptionOptions: Sendable, Equatable, Codable {
    /// What the decoder is asked to produce.
    public enum Task: String, Sendable, Codable, CaseIterable {
        /// Text in the spoken language.
        case transcribe
        /// English text, whatever the spoken language (multilingual models only).
        case translate
    }

    /// The spoken language as a code such as "en" or "de"; nil lets a multilingual model detect it from the
    /// first 30 s. English-only models always use "en".
    public var language: String?
    /// Transcribe, or translate to English.
    public var task: Task
    /// Decoding temperatures tried in turn until a result passes the thresholds (0 is greedy).
    public var temperatures: [Double]
    /// Candidates sampled at each temperature above 0; the most probable one is kept.
    public var bestOf: Int
    /// A window whose text compresses better than this (zlib, bytes in / bytes out) is retried: it is repetitive.
    public var compressionRatioThreshold: Double?
    /// A window whose average token log-probability is below this is retried.
    public var logProbThreshold: Double?
    /// A window whose no-speech probability is above this (and whose log-probability is below
    /// ``logProbThreshold``) is treated as silence and skipped.
    public var noSpeechThreshold: Double?
    /// Feed the previous windows' text to the decoder as context.
    public var conditionOnPreviousText: Bool
    /// Forget the context after a window that needed a temperature above this.
    public var promptResetOnTemperature: Double
    /// Predict segment timestamps (otherwise one segment per 30 s window).
    public var withTimestamps: Bool
    /// Text that precedes the audio (spelling of names, style); it is given to the first window as context.
    public var initialPrompt: String?
    /// Forbid a blank or end-of-text as the first token of a window.
    public var suppressBlank: Bool
    /// The latest time, in seconds, the first timestamp of a window may take.
    public var maxInitialTimestamp: Double
    /// Seed of the random numbers used when sampling at temperatures above 0; equal seeds give equal results.
    public var seed: UInt64

    /// Options with faster-whisper's defaults unless given.
    public init(
        language: String? = nil, task: Task = .transcribe,
        temperatures: [Double] = [0, 0.2, 0.4, 0.6, 0.8, 1.0], bestOf: Int = 5,
        compressionRatioThreshold: Double? = 2.4, logProbThreshold: Double? = -1.0, noSpeechThreshold: Double? = 0.6,
        conditionOnPreviousText: Bool = true, promptResetOnTemperature: Double = 0.5, withTimestamps: Bool = true,
        initialPrompt: String? = nil, suppressBlank: Bool = true, maxInitialTimestamp: Double = 1.0, seed: UInt64 = 0
    ) {
        self.language = language
        self.task = task
        self.temperatures = temperatures
        self.bestOf = bestOf
        self.compressionRatioThreshold = compressionRatioThreshold
        self.logProbThreshold = logProbThreshold
        self.noSpeechThreshold = noSpeechThreshold
        self.conditionOnPreviousText = conditionOnPreviousText
        self.promptResetOnTemperature = promptResetOnTemperature
        self.withTimestamps = withTimestamps
        self.initialPrompt = initialPrompt
        self.suppressBlank = suppressBlank
        self.maxInitialTimestamp = maxInitialTimestamp
        self.seed = seed
    }
}
