internal import CEspeakNG
import MedleyCore

/// espeak-ng, the formant synthesizer and phonemizer (Debian libespeak-ng1, GPL-3.0-or-later).
public enum ESpeak {
    /// The version the linked library reports, such as `1.51`.
    public static var version: String {
        espeak_Info(nil).map { String(cString: $0) } ?? "unknown"
    }

    /// espeak-ng's version, for `medley version`.
    public static var library: NativeLibrary {
        return NativeLibrary(name: "espeak-ng", version: version, license: "GPL-3.0-or-later",
                             notes: "linked for phonemization and formant voices; binaries that link it are GPL-3.0-or-later")
    }
}
