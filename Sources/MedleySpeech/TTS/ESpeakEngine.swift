internal import CEspeakNG
import Foundation
import MedleyCore

/// The one door to the espeak-ng library in the process.
///
/// espeak-ng keeps all of its state (the selected voice, speech parameters, the synth callback, the text
/// decoder's look-ahead character) in C globals, so no two calls may overlap: every entry point here takes one
/// process-wide lock for the whole operation (select voice, then phonemize or synthesize). The library is
/// initialised on first use, once, in synchronous mode, so that both phonemization (for Piper voices) and
/// formant synthesis (espeak's own voices) work from the same initialisation.
///
/// Calls block the calling thread for as long as espeak works (phonemizing a sentence takes well under a
/// millisecond; synthesizing runs at roughly 100x real time).
final class ESpeakEngine: @unchecked Sendable {
    /// The engine of the process.
    static let shared = ESpeakEngine()

    /// `phonememode` bit 1 of `espeak_TextToPhonemes`: IPA as UTF-8 rather than espeak's ASCII names. Piper's
    /// phonemizer (piper-phonemize) passes exactly this value: no tie character, no separator between phonemes,
    /// because its `phoneme_id_map` is keyed by single code points.
    static let phonemeModeIPA: Int32 = 0x02
    /// `espeak_Initialize` option: return an error instead of calling `exit(1)` when the data is missing.
    static let initializeDontExit: Int32 = 0x8000
    /// The slowest and fastest rates espeak-ng accepts, in words per minute (`espeakRATE_MINIMUM`, and
    /// `espeakRATE_MAXIMUM` of speak_lib.h; the library clamps larger values to it).
    static let rateRange: ClosedRange<Int> = 80...450
    /// espeak-ng's default speaking rate, words per minute (`espeakRATE_NORMAL`).
    static let defaultRate = 175

    private let lock = NSLock()
    // Guarded by `lock`.
    private var initializedRate: Int?
    private var cachedVoices: [ESpeakVoiceInfo]?

    private init() {}

    // MARK: - Phonemes

    /// One clause as espeak-ng returns it: IPA phonemes and the text the call consumed.
    struct Clause: Sendable, Equatable {
        /// The IPA phonemes, exactly as espeak-ng returned them (language-switch flags included).
        var phonemes: String
        /// The text the call consumed. espeak-ng reads one character past the clause (its look-ahead, which it
        /// keeps and speaks with the next clause), so unless ``isLast`` this ends with the first character of the
        /// next clause.
        var consumed: String
        /// True for the clause that ended the text.
        var isLast: Bool
    }

    /// Runs `espeak_TextToPhonemes` over the whole text with `voice` selected, one clause per call.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` when espeak-ng has no such voice; ``MedleyError/internal(_:)``
    ///   when the library cannot be initialised.
    func clauses(of text: String, voice: String) throws -> [Clause] {
        try lock.withLock {
            try initializeLocked()
            try selectVoiceLocked(voice)
            var clauses: [Clause] = []
            var bytes = Array(text.utf8)
            bytes.append(0)
            bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                let start = UnsafeRawPointer(base)
                let end = start + (buffer.count - 1)
                var position: UnsafeRawPointer? = start
                while let clauseStart = position {
                    let phonemes = withUnsafeMutablePointer(to: &position) { pointer in
                        espeak_TextToPhonemes(pointer, espeakCHARS_UTF8, Self.phonemeModeIPA)
                    }
                    let clauseEnd = position ?? end
                    // Guard against a pointer that did not move or moved outside the text: stop rather than loop.
                    guard clauseEnd > clauseStart || position == nil, clauseEnd <= end else { break }
                    let consumed = String(decoding: UnsafeRawBufferPointer(start: clauseStart, count: clauseEnd - clauseStart),
                                          as: UTF8.self)
                    clauses.append(Clause(phonemes: phonemes.map { String(cString: $0) } ?? "",
                                          consumed: consumed, isLast: position == nil))
                }
            }
            return clauses
        }
    }

    // MARK: - Synthesis

    /// Synthesizes `text` with one of espeak-ng's own voices and returns 16-bit samples converted to floats at
    /// ``sampleRate()``.
    ///
    /// - Parameters:
    ///   - rate: words per minute, clamped by the caller to ``rateRange``.
    ///   - shouldStop: polled between the blocks espeak-ng delivers; returning true aborts synthesis and the call
    ///     throws ``MedleyError/cancelled``.
    func synthesize(_ text: String, voice: String, rate: Int, shouldStop: @escaping () -> Bool) throws -> [Float] {
        try lock.withLock {
            try initializeLocked()
            try selectVoiceLocked(voice)
            let rateStatus = espeak_SetParameter(espeakRATE, Int32(rate), 0)
            guard rateStatus == EE_OK else {
                throw MedleyError.internal("espeak_SetParameter(rate \(rate)) returned \(rateStatus.rawValue)")
            }
            let sink = SampleSink(shouldStop: shouldStop)
            espeak_SetSynthCallback(synthCallback)
            let user = Unmanaged.passRetained(sink)
            defer { user.release() }
            var bytes = Array(text.utf8)
            bytes.append(0)
            let status = bytes.withUnsafeBufferPointer { buffer in
                espeak_Synth(buffer.baseAddress, buffer.count, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil,
                             user.toOpaque())
            }
            if sink.stopped { throw MedleyError.cancelled }
            guard status == EE_OK else {
                throw MedleyError.internal("espeak_Synth returned \(status.rawValue) for voice \(voice)")
            }
            return sink.samples
        }
    }

    /// The rate of the audio ``synthesize(_:voice:rate:shouldStop:)`` returns (22,050 Hz for espeak-ng's voices).
    func sampleRate() throws -> Int {
        try lock.withLock {
            try initializeLocked()
            return initializedRate ?? 0
        }
    }

    // MARK: - Voices

    /// True when espeak-ng can select a voice by this name (a language code such as `fr`, `en-us`, or `de+f3`).
    func hasVoice(_ name: String) -> Bool {
        lock.withLock {
            guard (try? initializeLocked()) != nil else { return false }
            return (try? selectVoiceLocked(name)) != nil
        }
    }

    /// The voices espeak-ng's data files list (variants and MBROLA voices excluded), read once.
    func voices() throws -> [ESpeakVoiceInfo] {
        try lock.withLock {
            try initializeLocked()
            if let cachedVoices { return cachedVoices }
            var found: [ESpeakVoiceInfo] = []
            if let list = espeak_ListVoices(nil) {
                var index = 0
                while let voice = list[index] {
                    index += 1
                    let identifier = voice.pointee.identifier.map { String(cString: $0) } ?? ""
                    if identifier.hasPrefix("mb/") || identifier.contains("!v") { continue }
                    let languages = Self.languageList(voice.pointee.languages)
                    guard let primary = languages.first else { continue }
                    found.append(ESpeakVoiceInfo(
                        language: primary,
                        otherLanguages: Array(languages.dropFirst()),
                        name: voice.pointee.name.map { String(cString: $0) } ?? primary,
                        identifier: identifier))
                }
            }
            found.sort { $0.language < $1.language }
            cachedVoices = found
            return found
        }
    }

    /// Decodes espeak's language list: pairs of a priority byte and a NUL-terminated name, ended by an empty name.
    private static func languageList(_ raw: UnsafePointer<CChar>?) -> [String] {
        guard var cursor = raw else { return [] }
        var names: [String] = []
        // A voice lists a handful of languages; the bound only protects against a malformed list.
        for _ in 0..<64 {
            guard cursor.pointee != 0 else { break }  // the terminating empty entry
            cursor += 1  // the priority byte
            let name = String(cString: cursor)
            if name.isEmpty { break }
            names.append(name)
            cursor += name.utf8.count + 1
        }
        return names
    }

    // MARK: - Library state (call with `lock` held)

    private func initializeLocked() throws {
        if initializedRate != nil { return }
        let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Self.initializeDontExit)
        guard rate > 0 else {
            throw MedleyError.internal(
                "espeak-ng could not be initialised (returned \(rate)); install espeak-ng-data (`make setup`)")
        }
        initializedRate = Int(rate)
    }

    private func selectVoiceLocked(_ voice: String) throws {
        guard !voice.isEmpty, !voice.contains("\0") else {
            throw MedleyError.invalidArgument("espeak-ng voice name '\(voice)' is invalid; give a language such as en-us")
        }
        var status = espeak_SetVoiceByName(voice)
        // Voices are listed by language, but a voice file can have another name (en-gb lives in gmw/en):
        // select such a voice by its file's identifier.
        if status != EE_OK, let identifier = Self.identifierLocked(language: voice) {
            status = espeak_SetVoiceByName(identifier)
        }
        guard status == EE_OK else {
            // With its data files missing espeak-ng still initialises, then knows no voice at all.
            if espeak_ListVoices(nil)?.pointee == nil {
                throw MedleyError.internal("espeak-ng finds no voices: its data (espeak-ng-data) is missing; run `make setup`")
            }
            throw MedleyError.invalidArgument(
                "espeak-ng has no voice '\(voice)'; give a language code it knows, such as en-us, fr or de "
                    + "(`espeak-ng --voices` lists them)")
        }
    }

    /// The identifier (file name, such as `gmw/en`) of the listed voice whose main language is `language`.
    private static func identifierLocked(language: String) -> String? {
        guard let list = espeak_ListVoices(nil) else { return nil }
        var index = 0
        while let voice = list[index] {
            index += 1
            guard let identifier = voice.pointee.identifier.map({ String(cString: $0) }),
                  !identifier.hasPrefix("mb/"), !identifier.contains("!v") else { continue }
            if languageList(voice.pointee.languages).first == language { return identifier }
        }
        return nil
    }
}

/// One voice of espeak-ng's data files.
struct ESpeakVoiceInfo: Sendable, Equatable {
    /// The voice's main language code, such as `en-us` or `fr-fr`: what ``ESpeakEngine`` selects voices by.
    var language: String
    /// Further languages the voice serves (for example `en` for `en-gb`).
    var otherLanguages: [String]
    /// Its display name, such as `English_(America)`.
    var name: String
    /// Its file within espeak-ng-data/voices, such as `gmw/en-US`.
    var identifier: String
}

/// Collects the samples of one `espeak_Synth` call; reached from the C callback through `user_data`.
private final class SampleSink {
    var samples: [Float] = []
    var stopped = false
    let shouldStop: () -> Bool

    init(shouldStop: @escaping () -> Bool) {
        self.shouldStop = shouldStop
        samples.reserveCapacity(1 << 16)
    }
}

/// espeak-ng's synth callback: appends each block of 16-bit samples to the call's ``SampleSink``.
/// Returns 1 to make espeak-ng abort the synthesis, 0 to continue.
private let synthCallback: @convention(c) (UnsafeMutablePointer<Int16>?, Int32, UnsafeMutablePointer<espeak_EVENT>?) -> Int32 = {
    wave, count, events in
    // espeak-ng sets the caller's user_data on every event it delivers, including the list terminator.
    guard let events, let user = events.pointee.user_data else { return 0 }
    let sink = Unmanaged<SampleSink>.fromOpaque(user).takeUnretainedValue()
    if sink.shouldStop() {
        sink.stopped = true
        return 1
    }
    if let wave, count > 0 {
        let scale: Float = 1 / 32_768
        sink.samples.append(contentsOf: UnsafeBufferPointer(start: wave, count: Int(count)).lazy.map { Float($0) * scale })
    }
    return 0
}
