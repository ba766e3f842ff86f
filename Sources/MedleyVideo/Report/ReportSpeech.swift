extension AnalysisReport {
    /// Voice activity and the transcript.
    ///
    /// JSON: `{"language": "en", "language_probability": null, "speech_segments": [{"start": 0.5, "end": 2.1}],
    /// "speech_duration": 1.6, "text": "Hello there.", "segments": [...], "files": {...}}`. A file with audio but
    /// no speech has empty `speech_segments` and `segments` and an empty `text`.
    public struct Speech: Codable, Sendable, Equatable {
        /// The transcript's language code, such as "en", when a transcript was made.
        public var language: String?
        /// The detected language's probability, when it was detected rather than given.
        public var languageProbability: Double?
        /// Where the voice activity detector heard speech.
        public var speechSegments: [TimeSpan]
        /// Total seconds of speech (the sum of ``speechSegments``).
        public var speechDuration: Double
        /// The whole transcript, without leading or trailing white space.
        public var text: String
        /// The timed transcript segments, in order.
        public var segments: [TranscriptSegment]
        /// The transcript files in the folder.
        public var files: TranscriptFiles

        /// Speech results from their parts; `speechDuration` defaults to the sum of `speechSegments`.
        public init(
            language: String?, languageProbability: Double? = nil, speechSegments: [TimeSpan],
            speechDuration: Double? = nil, text: String, segments: [TranscriptSegment],
            files: TranscriptFiles = TranscriptFiles()
        ) {
            self.language = language
            self.languageProbability = languageProbability
            self.speechSegments = speechSegments
            self.speechDuration = speechDuration ?? speechSegments.reduce(0) { $0 + ($1.end - $1.start) }
            self.text = text
            self.segments = segments
            self.files = files
        }

        enum CodingKeys: String, CodingKey {
            case language
            case languageProbability = "language_probability"
            case speechSegments = "speech_segments"
            case speechDuration = "speech_duration"
            case text, segments, files
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(language, forKey: .language)
            try c.encode(languageProbability, forKey: .languageProbability)
            try c.encode(speechSegments, forKey: .speechSegments)
            try c.encode(speechDuration, forKey: .speechDuration)
            try c.encode(text, forKey: .text)
            try c.encode(segments, forKey: .segments)
            try c.encode(files, forKey: .files)
        }
    }

    /// A span of time: `{"start": 0.5, "end": 2.1}`.
    public struct TimeSpan: Codable, Sendable, Equatable {
        /// Seconds from the start of the input.
        public var start: Double
        /// Seconds from the start of the input, not before ``start``.
        public var end: Double

        /// The span `[start, end]`.
        public init(start: Double, end: Double) {
            self.start = start
            self.end = end
        }
    }

    /// One timed piece of the transcript, with the recogniser's confidence figures (as in OpenAI's
    /// `verbose_json`): `{"id": 0, "start": 0.5, "end": 2.1, "text": " Hello there.", "avg_logprob": -0.21,
    /// "no_speech_prob": 0.01}`.
    public struct TranscriptSegment: Codable, Sendable, Equatable {
        /// Position in the transcript, from 0.
        public var id: Int
        /// Start in seconds.
        public var start: Double
        /// End in seconds.
        public var end: Double
        /// The text as the recogniser produced it (Whisper keeps a leading space).
        public var text: String
        /// Mean log-probability of the segment's tokens, when the recogniser reports it.
        public var avgLogprob: Double?
        /// Probability that the window holds no speech, when the recogniser reports it.
        public var noSpeechProb: Double?

        /// A segment from its parts.
        public init(id: Int, start: Double, end: Double, text: String, avgLogprob: Double? = nil,
                    noSpeechProb: Double? = nil) {
            self.id = id
            self.start = start
            self.end = end
            self.text = text
            self.avgLogprob = avgLogprob
            self.noSpeechProb = noSpeechProb
        }

        enum CodingKeys: String, CodingKey {
            case id, start, end, text
            case avgLogprob = "avg_logprob"
            case noSpeechProb = "no_speech_prob"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
            try c.encode(text, forKey: .text)
            try c.encode(avgLogprob, forKey: .avgLogprob)
            try c.encode(noSpeechProb, forKey: .noSpeechProb)
        }
    }

    /// The transcript files in the folder: `{"txt": "transcript.txt", "srt": "transcript.srt",
    /// "vtt": "transcript.vtt"}`; a value is null when that file was not written.
    public struct TranscriptFiles: Codable, Sendable, Equatable {
        /// Plain text with time marks (see ``TranscriptText``).
        public var txt: String?
        /// SubRip subtitles.
        public var srt: String?
        /// WebVTT subtitles; the page's player loads it as its subtitle track.
        public var vtt: String?

        /// The file names; the defaults are the names ``ReportWriter`` uses.
        public init(txt: String? = ReportLayout.transcriptText, srt: String? = ReportLayout.transcriptSRT,
                    vtt: String? = ReportLayout.transcriptVTT) {
            self.txt = txt
            self.srt = srt
            self.vtt = vtt
        }

        enum CodingKeys: String, CodingKey { case txt, srt, vtt }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(txt, forKey: .txt)
            try c.encode(srt, forKey: .srt)
            try c.encode(vtt, forKey: .vtt)
        }
    }
}
