import MedleyCore

/// Speech made by ``SpeechSynthesizer``, with what it took to make it.
public struct SynthesisResult: Sendable {
    /// Mono speech in [-1, 1].
    public var audio: AudioBuffer
    /// The audio's rate (22,050 Hz for Piper medium voices and espeak-ng).
    public var sampleRate: Int { audio.sampleRate }
    /// The audio's length in seconds.
    public var duration: Double { audio.duration }
    /// What was left out or could not be honoured (skipped emoji, symbols or script, phonemes a voice lacks).
    public var warnings: [String]
    /// The voice as requested.
    public var voiceId: VoiceID
    /// The model store card of the voice's model (`piper-en_US-joe-medium`), or `espeak-ng-data` for espeak-ng
    /// voices; nil for a Piper voice loaded from a file path.
    public var modelCardId: String?
    /// The version of the model (the card's) or of espeak-ng.
    public var modelVersion: String?
    /// The sha256 of the voice's model file when known (from the store's card); nil for espeak-ng voices and files
    /// loaded by path.
    public var modelSha256: String?
    /// The settings used.
    public var settings: SynthesisSettings
    /// The text as given (before cleaning).
    public var text: String

    /// A result as ``SpeechSynthesizer`` makes it (public for tests and other front ends).
    public init(
        audio: AudioBuffer, warnings: [String], voiceId: VoiceID, modelCardId: String?, modelVersion: String?,
        modelSha256: String?, settings: SynthesisSettings, text: String
    ) {
        self.audio = audio
        self.warnings = warnings
        self.voiceId = voiceId
        self.modelCardId = modelCardId
        self.modelVersion = modelVersion
        self.modelSha256 = modelSha256
        self.settings = settings
        self.text = text
    }
}
