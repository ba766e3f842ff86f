/// Which features ``FeatureExtractor`` computes.
public enum FeatureSet: String, Sendable, CaseIterable {
    /// Log-mel spectrogram in dB (librosa `power_to_db(melspectrogram(...))`): `mel_0 … mel_127`.
    case mel
    /// MFCCs (librosa `mfcc`): `mfcc_0 … mfcc_19`.
    case mfcc
    /// Chroma from the power spectrogram with tuning estimated (librosa `chroma_stft`): `chroma_C … chroma_B`.
    case chroma
    /// Spectral centroid, bandwidth, roll-off, flatness and flux, zero-crossing rate and RMS.
    case spectral
}

/// How log-mel energies become cepstra.
public enum MFCCStyle: String, Sendable {
    /// librosa: `power_to_db` (10·log10, top_db 80 over the clip), orthonormal DCT-II, no lifter.
    case librosa
    /// HTK/Kaldi: natural log of the mel energies (floored at 1e-10), orthonormal DCT-II, cepstral lifter.
    case htk
}

/// Parameters of ``FeatureExtractor``. The defaults are librosa 0.11's (see each property); use
/// ``htk`` for HTK/Kaldi-style MFCCs.
public struct FeatureSettings: Sendable, Equatable {
    /// Analysis rate: the file is resampled to it with soxr HQ (librosa.load's `sr=22050`).
    public var sampleRate: Int = 22_050
    /// STFT parameters (librosa: 2048/512, periodic Hann, centred with zero padding).
    public var stft = STFTSettings()
    /// Mel bands (librosa `n_mels=128`).
    public var melBands = 128
    /// Lowest mel edge in Hz (librosa `fmin=0`).
    public var minHz = 0.0
    /// Highest mel edge in Hz; nil for sampleRate/2 (librosa `fmax=None`).
    public var maxHz: Double?
    /// Mel scale (librosa `htk=False`: Slaney).
    public var melScale = MelScale.slaney
    /// Filter normalisation (librosa `norm="slaney"`).
    public var melNormalization = MelNormalization.slaney
    /// Coefficients kept (librosa `n_mfcc=20`).
    public var mfccCount = 20
    /// Log and lifter convention.
    public var mfccStyle = MFCCStyle.librosa
    /// Cepstral lifter L (`1 + L/2·sin(πn/L)`); 0 for none (librosa `lifter=0`; HTK 22).
    public var lifter = 0
    /// power_to_db's dynamic range below the clip's maximum (librosa `top_db=80`); nil for none.
    public var topDB: Float? = 80
    /// Roll-off energy fraction (librosa `roll_percent=0.85`).
    public var rolloffPercent: Float = 0.85

    /// librosa's defaults.
    public init() {}

    /// HTK/Kaldi-style MFCCs at 16 kHz: 25 ms Hamming frames every 10 ms (no centring), DC removal,
    /// pre-emphasis 0.97, 512-point FFT, 26 HTK-scale triangles of peak 1 from 20 Hz to 8 kHz, natural log,
    /// 13 orthonormal DCT coefficients, lifter 22. In the style of HTK's `HCopy` and Kaldi's
    /// `compute-mfcc-feats`, not bit-compatible with either.
    public static var htk: FeatureSettings {
        var s = FeatureSettings()
        s.sampleRate = 16_000
        var stft = STFTSettings(fftLength: 512, hop: 160, window: .hamming, periodicWindow: false, centered: false)
        stft.frameLength = 400
        stft.removeDCOffset = true
        stft.preEmphasis = 0.97
        s.stft = stft
        s.melBands = 26
        s.minHz = 20
        s.melScale = .htk
        s.melNormalization = .none
        s.mfccCount = 13
        s.mfccStyle = .htk
        s.lifter = 22
        s.topDB = nil
        return s
    }
}
