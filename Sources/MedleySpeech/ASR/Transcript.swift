import MedleyCore

/// The result of a transcription, shaped like OpenAI's `verbose_json` (snake_case keys when encoded).
public struct Transcript: Sendable, Equatable, Codable {
    /// "transcribe" or "translate".
    public var task: String
    /// The language code the model transcribed in, such as "en".
    public var language: String
    /// The detected language's probability, when it was detected rather than given.
    public var languageProbability: Double?
    /// Duration of the input in seconds.
    public var duration: Double
    /// The text of all segments, joined, without leading or trailing white space.
    public var text: String
    /// The timed segments, in order.
    public var segments: [TranscriptSegment]

    enum CodingKeys: String, CodingKey {
        case task, language, languageProbability = "language_probability", duration, text, segments
    }

    /// A transcript from its parts.
    public init(task: String, language: String, languageProbability: Double?, duration: Double, text: String,
                segments: [TranscriptSegment]) {
        self.task = task
        self.language = language
        self.languageProbability = languageProbability
        self.duration = duration
        self.text = text
        self.segments = segments
    }
}

/// One timed piece of a transcript, with the decoder's confidence figures for the window it came from.
public struct TranscriptSegment: Sendable, Equatable, Codable {
    /// Position in the transcript, from 0.
    public var id: Int
    /// The window's start, in mel frames (10 ms each).
    public var seek: Int
    /// Start and end in seconds from the start of the input.
    public var start: Double
    /// End in seconds (not clipped to the input's duration, as in faster-whisper).
    public var end: Double
    /// The text, with the leading space Whisper produces (" Hello there.").
    public var text: String
    /// The token ids, timestamp tokens included.
    public var tokens: [Int]
    /// The temperature of the decoding that was kept.
    public var temperature: Double
    /// Mean log-probability of the window's tokens (end-of-text counted).
    public var avgLogprob: Double
    /// The window text's zlib compression ratio (high means repetitive).
    public var compressionRatio: Double
    /// Probability of the no-speech token at the start of the window.
    public var noSpeechProb: Double

    enum CodingKeys: String, CodingKey {
        case id, seek, start, end, text, tokens, temperature
        case avgLogprob = "avg_logprob", compressionRatio = "compression_ratio", noSpeechProb = "no_speech_prob"
    }

    /// A segment from its parts.
    public init(id: Int, seek: Int, start: Double, end: Double, text: String, tokens: [Int], temperature: Double,
                avgLogprob: Double, compressionRatio: Double, noSpeechProb: Double) {
        self.id = id
        self.seek = seek
        self.start = start
        self.end = end
        self.text = text
        self.tokens = tokens
        self.temperature = temperature
        self.avgLogprob = avgLogprob
        self.compressionRatio = compressionRatio
        self.noSpeechProb = noSpeechProb
    }

    /// The segment as a generic Medley ``Segment`` (time range and text), for subtitles and workflows.
    public var segment: Segment {
        Segment(range: TimeRange(start: start, end: end), text: text, label: "speech")
    }
}
