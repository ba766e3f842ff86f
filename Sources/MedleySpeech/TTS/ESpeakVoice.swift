import Foundation
import MedleyCore

/// One of espeak-ng's own formant voices (one per language it knows, 100+), synthesized by the library.
///
/// Robotic next to a Piper voice, but tiny, fast and multilingual. The audio is espeak-ng's 16-bit output at its
/// native rate (22,050 Hz), converted to floats.
///
/// Thread-safe; calls into espeak-ng are serialised process-wide, so concurrent synthesis runs one at a time.
public struct ESpeakVoice: Sendable, Equatable {
    /// The espeak-ng voice name: a language code such as `en-us`, `fr` or `de`, optionally with a variant
    /// (`en-us+f3`).
    public var language: String

    /// A voice by espeak-ng language code. Checked on first use.
    public init(language: String) {
        self.language = language
    }

    /// The slowest and fastest speaking rates espeak-ng accepts, in words per minute.
    public static var rateRange: ClosedRange<Int> { ESpeakEngine.rateRange }
    /// espeak-ng's normal speaking rate, 175 words per minute.
    public static var defaultRate: Int { ESpeakEngine.defaultRate }

    /// The rate of the audio espeak-ng produces.
    public static func sampleRate() throws -> Int { try ESpeakEngine.shared.sampleRate() }

    /// The language codes of every espeak-ng voice installed, sorted (`af`, `am`, ..., `en-us`, `fr-fr`, ...).
    public static func availableLanguages() throws -> [String] {
        try ESpeakEngine.shared.voices().map(\.language)
    }

    /// Synthesizes `text` at `wordsPerMinute` (clamped to ``rateRange``; 175 is espeak-ng's normal rate).
    ///
    /// Checks for cancellation of the calling task while espeak-ng delivers audio (every few tens of
    /// milliseconds of speech) and then throws `CancellationError`.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` for a voice espeak-ng does not have.
    public func synthesize(_ text: String, wordsPerMinute: Int = 175) throws -> AudioBuffer {
        let rate = min(Self.rateRange.upperBound, max(Self.rateRange.lowerBound, wordsPerMinute))
        let engine = ESpeakEngine.shared
        do {
            let samples = try engine.synthesize(text, voice: language, rate: rate, shouldStop: { Task.isCancelled })
            return AudioBuffer(samples: samples, sampleRate: try engine.sampleRate())
        } catch MedleyError.cancelled {
            throw CancellationError()
        }
    }
}
