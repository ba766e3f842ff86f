/// How to speak: speed, variation, pauses, duration and seed. Every field has a default; fields that do not apply
/// to the chosen voice are ignored (a Piper voice has no words-per-minute rate, espeak-ng no noise scales).
public struct SynthesisOptions: Sendable, Hashable, Codable {
    /// Speed as a multiple of the voice's normal speed (1.5 is 50 % faster), for any voice: divides a Piper
    /// voice's length scale and multiplies espeak-ng's words per minute. Nil for 1.
    public var rate: Double?
    /// Piper's `length_scale` (duration; 2 is twice as slow). Nil for the voice config's default (1).
    public var lengthScale: Double?
    /// Piper's `noise_scale` (voice variation). Nil for the voice config's default (0.667).
    public var noiseScale: Double?
    /// Piper's `noise_w` (duration variation). Nil for the voice config's default (0.8).
    public var noiseW: Double?
    /// espeak-ng's speaking rate in words per minute (80-450). Nil for 175.
    public var wordsPerMinute: Int?
    /// Silence between sentences (Piper) or paragraphs (espeak-ng, which pauses between its sentences itself), in
    /// seconds.
    public var sentencePause: Double
    /// The speaker of a multi-speaker Piper voice (nil for speaker 0).
    public var speaker: Int?
    /// When set, the speech is made to last this many seconds (within 3 %) by choosing the length scale (Piper) or
    /// the rate (espeak-ng), which changes tempo, not pitch. Pauses scale along with the speech.
    public var duration: Double?
    /// Seeds the Piper model's noise: the same text, voice, options and seed give the same audio. Nil draws a
    /// random seed (recorded in ``SynthesisSettings/seed``).
    public var seed: UInt64?

    /// Piper's default pause between sentences (`--sentence_silence` 0.2 s).
    public static let defaultSentencePause = 0.2

    /// Options with the voice's defaults for everything not given, and seed 0.
    public init(
        rate: Double? = nil, lengthScale: Double? = nil, noiseScale: Double? = nil, noiseW: Double? = nil,
        wordsPerMinute: Int? = nil, sentencePause: Double = SynthesisOptions.defaultSentencePause, speaker: Int? = nil,
        duration: Double? = nil, seed: UInt64? = 0
    ) {
        self.rate = rate
        self.lengthScale = lengthScale
        self.noiseScale = noiseScale
        self.noiseW = noiseW
        self.wordsPerMinute = wordsPerMinute
        self.sentencePause = sentencePause
        self.speaker = speaker
        self.duration = duration
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey {
        case rate, lengthScale = "length_scale", noiseScale = "noise_scale", noiseW = "noise_w",
             wordsPerMinute = "words_per_minute", sentencePause = "sentence_pause", speaker, duration, seed
    }
}

/// The settings a synthesis actually used, after defaults and duration control: what provenance records.
public struct SynthesisSettings: Sendable, Hashable, Codable {
    /// `piper` or `espeak-ng`.
    public var engine: String
    /// Piper's length scale used (after `rate` and duration control).
    public var lengthScale: Double?
    /// Piper's noise scale used.
    public var noiseScale: Double?
    /// Piper's noise width used.
    public var noiseW: Double?
    /// espeak-ng's rate used, words per minute (after `rate` and duration control).
    public var wordsPerMinute: Int?
    /// The pause between sentences (Piper) or paragraphs (espeak-ng) used, seconds.
    public var sentencePause: Double
    /// The speaker id, for multi-speaker voices.
    public var speaker: Int?
    /// The seed of the model's noise (Piper).
    public var seed: UInt64?
    /// The requested duration, when duration control was used, seconds.
    public var targetDuration: Double?
    /// Synthesis passes run (more than 1 with duration control).
    public var passes: Int

    /// Settings as recorded; ``SpeechSynthesizer`` fills them in.
    public init(
        engine: String, lengthScale: Double? = nil, noiseScale: Double? = nil, noiseW: Double? = nil,
        wordsPerMinute: Int? = nil, sentencePause: Double, speaker: Int? = nil, seed: UInt64? = nil,
        targetDuration: Double? = nil, passes: Int = 1
    ) {
        self.engine = engine
        self.lengthScale = lengthScale
        self.noiseScale = noiseScale
        self.noiseW = noiseW
        self.wordsPerMinute = wordsPerMinute
        self.sentencePause = sentencePause
        self.speaker = speaker
        self.seed = seed
        self.targetDuration = targetDuration
        self.passes = passes
    }

    enum CodingKeys: String, CodingKey {
        case engine, lengthScale = "length_scale", noiseScale = "noise_scale", noiseW = "noise_w",
             wordsPerMinute = "words_per_minute", sentencePause = "sentence_pause", speaker, seed,
             targetDuration = "target_duration", passes
    }
}
