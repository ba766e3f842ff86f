import Foundation
import MedleyCore
import MedleyModels

/// Text to speech with Piper voices from the model store and espeak-ng's formant voices.
///
/// ```swift
/// let synthesizer = SpeechSynthesizer()
/// let speech = try await synthesizer.synthesize(text: "Hello world.", voice: "piper-en_US-joe-medium")
/// try speech.write(to: "hello.mp3")          // hello.mp3 tagged as AI-generated, and hello.provenance.json
/// ```
///
/// The text is cleaned first (emoji, pictographic symbols and letters of scripts the voice's language does not use
/// are skipped, each kind reported once in ``SynthesisResult/warnings``). A Piper voice speaks sentence by
/// sentence, phonemized by espeak-ng, with ``SynthesisOptions/sentencePause`` between sentences; espeak-ng speaks
/// paragraph by paragraph. Cancelling the calling task stops between sentences (espeak-ng: within a paragraph).
///
/// Piper audio is repeatable: the model's noise is seeded (``SynthesisOptions/seed``, 0 unless set), so the same
/// text, voice and options give the same samples, which is what round-trip checks with speech recognition need.
///
/// Thread-safe. Loaded Piper voices (about 1 s to compile the first time in a process) are kept for the
/// synthesizer's lifetime.
public final class SpeechSynthesizer: Sendable {
    /// Where Piper voices are looked up by id.
    public let store: ModelStore
    /// The license policy a voice's model must pass to be loaded.
    public let policy: LicensePolicy

    private let loadedVoices = LoadedVoices()

    /// A synthesizer reading voices from `store` (default: `$MEDLEY_MODELS` or `~/.medley/models`).
    public init(store: ModelStore = ModelStore(root: ModelStore.defaultRoot()), policy: LicensePolicy = .any) {
        self.store = store
        self.policy = policy
    }

    /// Speaks `text` with `voice`.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` for empty text (or text with nothing speakable), an unknown
    ///   voice (the message lists the available ones), an invalid option or an impossible duration;
    ///   ``MedleyError/policyDenied(id:license:rule:)`` and the model store's errors for a voice that cannot be
    ///   loaded; `CancellationError` when the task is cancelled.
    public func synthesize(
        text: String, voice: VoiceID = .defaultVoice, options: SynthesisOptions = SynthesisOptions()
    ) async throws -> SynthesisResult {
        try Self.validate(options)
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw MedleyError.invalidArgument("nothing to speak: empty text; give the text to say (or a non-empty file)")
        }
        let resolved = try resolve(voice)
        let cleaned = try SpeechTextCleaner(language: resolved.language).clean(text)
        var warnings = cleaned.warnings
        let speech: any PreparedSpeech
        switch resolved.engine {
        case .piper(let piper):
            speech = try preparePiper(piper, paragraphs: cleaned.paragraphs, options: options, warnings: &warnings)
        case .espeak(let espeak):
            let rate = Double(options.wordsPerMinute ?? ESpeakVoice.defaultRate) * (options.rate ?? 1)
            let wordsPerMinute = Int(rate.rounded())
            guard ESpeakVoice.rateRange.contains(wordsPerMinute) else {
                throw MedleyError.invalidArgument(
                    "espeak-ng speaks at \(ESpeakVoice.rateRange.lowerBound)-\(ESpeakVoice.rateRange.upperBound) words "
                        + "per minute; the rate asked for comes to \(wordsPerMinute)")
            }
            speech = ESpeakPreparedSpeech(voice: espeak, paragraphs: cleaned.paragraphs, wordsPerMinute: wordsPerMinute,
                                          pause: options.sentencePause, sampleRate: try ESpeakVoice.sampleRate())
        }
        let rendered: RenderedSpeech
        if let duration = options.duration {
            rendered = try await DurationFitter.fit(speech, target: duration)
        } else {
            rendered = try await speech.render(stretch: 1)
        }
        return SynthesisResult(
            audio: AudioBuffer(samples: rendered.samples, sampleRate: speech.sampleRate), warnings: warnings,
            voiceId: voice, modelCardId: resolved.cardID, modelVersion: resolved.version, modelSha256: resolved.sha256,
            settings: rendered.settings, text: text)
    }

    /// Every voice that can be used: the Piper voices installed in the store, then `espeak:<language>` for each
    /// language espeak-ng has.
    public func availableVoices() -> [VoiceID] {
        piperVoiceIDs().map(VoiceID.init(rawValue:)) + ((try? ESpeakVoice.availableLanguages()) ?? []).map(VoiceID.espeak)
    }

    /// The Piper voice for a store id or `.onnx` path, loaded once and kept.
    ///
    /// - Throws: as ``synthesize(text:voice:options:)`` for an unknown voice; `invalidArgument` for an espeak-ng id.
    public func piperVoice(_ voice: VoiceID) throws -> PiperVoice {
        guard case .piper(let piper) = try resolve(voice).engine else {
            throw MedleyError.invalidArgument("voice '\(voice)' is an espeak-ng voice, not a Piper voice")
        }
        return piper
    }

    // MARK: - Preparing

    private func preparePiper(
        _ voice: PiperVoice, paragraphs: [String], options: SynthesisOptions, warnings: inout [String]
    ) throws -> PiperPreparedSpeech {
        let config = voice.config
        let scales = PiperScales(
            noiseScale: options.noiseScale ?? config.noiseScale,
            lengthScale: (options.lengthScale ?? config.lengthScale) / (options.rate ?? 1),
            noiseW: options.noiseW ?? config.noiseW)
        try PiperVoice.validate(scales)
        if let speaker = options.speaker, speaker < 0 || speaker >= config.speakerCount {
            throw MedleyError.invalidArgument(
                config.speakerCount == 1
                    ? "speaker \(speaker) given, but voice \(voice.modelPath) has one speaker; leave the speaker unset"
                    : "speaker \(speaker) is out of range; this voice has speakers 0-\(config.speakerCount - 1)")
        }
        let phonemizer = ESpeakPhonemizer(voice: config.espeakVoice)
        var sentences: [[Int64]] = []
        var missing: [String: Int] = [:]
        for paragraph in paragraphs {
            for phonemes in try phonemizer.sentences(paragraph) {
                let (ids, lacking) = config.phonemeIDs(for: phonemes)
                missing.merge(lacking, uniquingKeysWith: +)
                sentences.append(ids)
            }
        }
        if !missing.isEmpty {
            let list = missing.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value)x)" }.joined(separator: ", ")
            warnings.append("dropped phoneme(s) the voice does not know: \(list)")
        }
        guard !sentences.isEmpty else {
            throw MedleyError.invalidArgument("nothing to speak: espeak-ng found no words in the text; give text with words")
        }
        return PiperPreparedSpeech(
            voice: voice, sentences: sentences, scales: scales, speaker: options.speaker,
            seed: options.seed ?? UInt64.random(in: 0...UInt64.max), pause: options.sentencePause)
    }

    private static func validate(_ options: SynthesisOptions) throws {
        if let rate = options.rate, !(rate.isFinite && rate > 0) {
            throw MedleyError.invalidArgument("rate \(rate) is invalid; give a positive speed factor (1 is normal)")
        }
        guard options.sentencePause.isFinite, options.sentencePause >= 0, options.sentencePause <= 10 else {
            throw MedleyError.invalidArgument(
                "sentence pause \(options.sentencePause) s is invalid; give 0 to 10 seconds (default 0.2)")
        }
        if let duration = options.duration, !(duration.isFinite && duration > 0) {
            throw MedleyError.invalidArgument("duration \(duration) s is invalid; give a positive number of seconds")
        }
    }

    // MARK: - Voices

    private struct ResolvedVoice {
        enum Engine {
            case piper(PiperVoice)
            case espeak(ESpeakVoice)
        }
        var engine: Engine
        /// The espeak-ng language the text is read in (for cleaning and phonemizing).
        var language: String
        var cardID: String?
        var version: String?
        var sha256: String?
    }

    /// The store card of espeak-ng's data; espeak-ng voices are recorded against it.
    private static let espeakCardID = "espeak-ng-data"

    private func resolve(_ voice: VoiceID) throws -> ResolvedVoice {
        switch voice.kind {
        case .espeak(let language):
            guard !language.isEmpty, ESpeakEngine.shared.hasVoice(language) else {
                throw unknownVoice(voice, hint: "espeak-ng has no voice '\(language)'")
            }
            return ResolvedVoice(engine: .espeak(ESpeakVoice(language: language)), language: language,
                                 cardID: Self.espeakCardID, version: ESpeak.version, sha256: nil)
        case .file(let path):
            let piper = try loadedVoices.voice(key: "file:" + path) { try PiperVoice(modelPath: path) }
            return ResolvedVoice(engine: .piper(piper), language: piper.config.espeakVoice, cardID: nil, version: nil,
                                 sha256: nil)
        case .model(let id):
            let installed: InstalledModel
            do {
                installed = try store.resolve(id: id, policy: policy)
            } catch MedleyError.modelNotInstalled {
                let catalogued = ModelCatalog.ids.contains(id)
                throw unknownVoice(
                    voice, hint: catalogued ? "voice '\(id)' is not installed; run `make setup` or `medley models install \(id)`" : nil)
            }
            guard installed.card.format == .piperONNX, let weights = installed.card.file(role: "weights") else {
                throw unknownVoice(voice, hint: "model '\(id)' is not a Piper voice")
            }
            let modelURL = try installed.url(role: "weights")
            let configURL = try installed.url(role: "config")
            let piper = try loadedVoices.voice(key: "model:" + id + ":" + weights.sha256) {
                try PiperVoice(modelPath: modelURL.path, configPath: configURL.path, sha256: weights.sha256)
            }
            return ResolvedVoice(engine: .piper(piper), language: piper.config.espeakVoice, cardID: id,
                                 version: installed.card.version, sha256: weights.sha256)
        }
    }

    private func piperVoiceIDs() -> [String] {
        store.installedCards().filter { $0.format == .piperONNX }.map(\.id)
    }

    private func unknownVoice(_ voice: VoiceID, hint: String?) -> MedleyError {
        let piper = piperVoiceIDs()
        let espeak = ((try? ESpeakVoice.availableLanguages()) ?? []).map { VoiceID.espeakPrefix + $0 }
        let piperList = piper.isEmpty ? "none installed (run `make setup`)" : piper.joined(separator: ", ")
        let lead = hint.map { "\($0); " } ?? "unknown voice '\(voice)'; "
        return MedleyError.invalidArgument(
            lead + "available voices: Piper: \(piperList); espeak-ng (\(espeak.count)): "
                + espeak.joined(separator: ", "))
    }
}

/// Piper voices loaded by one synthesizer, by key.
private final class LoadedVoices: @unchecked Sendable {
    private let lock = NSLock()
    private var voices: [String: PiperVoice] = [:]  // guarded by `lock`

    /// The voice for `key`, loaded with `load` outside the lock when missing (two racing loads keep the first).
    func voice(key: String, load: () throws -> PiperVoice) throws -> PiperVoice {
        if let voice = lock.withLock({ voices[key] }) { return voice }
        let loaded = try load()
        return lock.withLock {
            if let raced = voices[key] { return raced }
            voices[key] = loaded
            return loaded
        }
    }
}
