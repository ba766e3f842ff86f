import MedleyCore

/// Settings of a short-time Fourier transform. The defaults are librosa 0.11's (`n_fft=2048`, `hop_length=512`,
/// `win_length=n_fft`, periodic Hann, `center=True`, `pad_mode="constant"`).
public struct STFTSettings: Sendable, Equatable {
    /// FFT length (any length works; librosa's default is 2048).
    public var fftLength: Int
    /// Samples between frames (librosa: `n_fft/4` = 512).
    public var hop: Int
    /// Window length, ≤ `fftLength`; a shorter window is zero-padded on both sides to `fftLength` (librosa's
    /// `win_length`). Nil means `fftLength`.
    public var windowLength: Int?
    /// Window shape (librosa: periodic Hann).
    public var window: WindowFunction
    /// Periodic (DFT-even) window, as librosa; false for the symmetric one (HTK, Kaldi).
    public var periodicWindow: Bool
    /// Pad `fftLength/2` zeros on each side so that frame t is centred on sample `t·hop`.
    public var centered: Bool
    /// Kaldi/HTK framing: frames of this many samples (window of the same length), zero-padded at the end to
    /// `fftLength`. Nil (librosa) means frames of `fftLength` samples.
    public var frameLength: Int?
    /// Subtract each frame's mean before windowing (Kaldi's `remove_dc_offset`).
    public var removeDCOffset = false
    /// Per-frame pre-emphasis `x[i] −= c·x[i−1]`, `x[0] −= c·x[0]` (HTK/Kaldi, typically 0.97); nil for none.
    public var preEmphasis: Float?

    /// librosa's defaults: 2048-point periodic Hann every 512 samples, centred with zero padding.
    public init(fftLength: Int = 2048, hop: Int = 512, windowLength: Int? = nil, window: WindowFunction = .hann,
                periodicWindow: Bool = true, centered: Bool = true) {
        self.fftLength = fftLength
        self.hop = hop
        self.windowLength = windowLength
        self.window = window
        self.periodicWindow = periodicWindow
        self.centered = centered
    }

    /// Number of frequency bins per frame, `fftLength/2 + 1`.
    public var binCount: Int { fftLength / 2 + 1 }

    func validate() throws {
        guard fftLength >= 2 else { throw MedleyError.invalidArgument("FFT length must be at least 2, got \(fftLength)") }
        guard hop >= 1 else { throw MedleyError.invalidArgument("hop must be at least 1, got \(hop)") }
        if let frameLength, !(2...fftLength).contains(frameLength) {
            throw MedleyError.invalidArgument("frame length \(frameLength) must be in 2...\(fftLength)")
        }
        if let windowLength, !(1...fftLength).contains(windowLength) {
            throw MedleyError.invalidArgument("window length \(windowLength) must be in 1...\(fftLength)")
        }
    }
}

/// What a spectrogram frame holds.
public enum SpectrumScale: Sendable {
    /// `|X|²` (librosa's `power=2`: melspectrogram, mfcc, chroma_stft, onset_strength).
    case power
    /// `|X|` (librosa's `power=1`, used by `piptrack`).
    case magnitude
}

/// One frame of a ``SpectrogramFramer``: the raw samples (before window and pre-processing) and the spectrum.
/// Both point into the framer's memory and are valid only during the callback.
public struct SpectrogramFrame {
    /// The frame's samples as cut from the (padded) signal: `frameLength ?? fftLength` of them.
    public let samples: UnsafeBufferPointer<Float>
    /// `binCount` power or magnitude values.
    public let spectrum: UnsafeBufferPointer<Float>
}

/// A streaming short-time Fourier transform that hands out one power (or magnitude) spectrum per frame.
///
/// Feed chunks of mono samples with ``push(_:_:)`` and end with ``finish(_:)``; each callback receives
/// `binCount` values valid during the call. Frame t is centred on sample `t·hop` (when centred) and a signal
/// of n samples gives `1 + n/hop` frames, as librosa's `stft`. Memory is one frame plus one chunk.
///
/// Threading: not thread-safe (it owns FFT scratch); one per task.
public final class SpectrogramFramer {
    /// The settings.
    public let settings: STFTSettings
    /// Magnitude or power.
    public let scale: SpectrumScale
    /// Frames produced so far.
    public var frameCount: Int { slicer.framesEmitted }

    private var slicer: FrameSlicer
    private let fft: RealFFT
    private let window: [Float]
    private var windowed: [Float]
    private var scratch: [Float]
    /// The current frame's spectrum (owned; freed in deinit) so callbacks can get a stable pointer.
    private let spectrum: UnsafeMutableBufferPointer<Float>

    /// Creates a framer with `settings` producing `scale` spectra.
    public init(settings: STFTSettings = STFTSettings(), scale: SpectrumScale = .power) throws {
        try settings.validate()
        self.settings = settings
        self.scale = scale
        let n = settings.fftLength
        let cut = settings.frameLength ?? n
        slicer = FrameSlicer(frameLength: cut, hop: settings.hop, centered: settings.centered)
        fft = try RealFFT(length: n)
        let length = settings.frameLength ?? settings.windowLength ?? n
        var full = [Float](repeating: 0, count: n)
        let shape = settings.window.weights(length: length, periodic: settings.periodicWindow)
        // librosa centres a short window in the FFT frame (util.pad_center); Kaldi framing starts it at 0.
        let offset = settings.frameLength == nil ? (n - length) / 2 : 0
        for i in 0..<length { full[offset + i] = shape[i] }
        window = full
        windowed = [Float](repeating: 0, count: n)
        scratch = [Float](repeating: 0, count: 2 * (n / 2 + 1))
        spectrum = .allocate(capacity: n / 2 + 1)
        spectrum.initialize(repeating: 0)
    }

    deinit { spectrum.deallocate() }

    /// Appends mono samples; `body` gets each completed frame's spectrum.
    public func push(_ samples: UnsafeBufferPointer<Float>, _ body: (SpectrogramFrame) throws -> Void) rethrows {
        try slicer.push(samples) { frame in try body(transform(frame)) }
    }

    /// Array convenience for ``push(_:_:)``.
    public func push(_ samples: [Float], _ body: (SpectrogramFrame) throws -> Void) rethrows {
        try samples.withUnsafeBufferPointer { try push($0, body) }
    }

    /// Ends the stream (right padding when centred) and emits the last frames.
    public func finish(_ body: (SpectrogramFrame) throws -> Void) rethrows {
        try slicer.finish { frame in try body(transform(frame)) }
    }

    private func transform(_ frame: UnsafePointer<Float>) -> SpectrogramFrame {
        let n = settings.fftLength
        let bins = n / 2 + 1
        let cut = settings.frameLength ?? n
        windowed.withUnsafeMutableBufferPointer { out in
            for i in 0..<cut { out[i] = frame[i] }
            if settings.removeDCOffset {
                var mean: Float = 0
                for i in 0..<cut { mean += out[i] }
                mean /= Float(cut)
                for i in 0..<cut { out[i] -= mean }
            }
            if let c = settings.preEmphasis {
                for i in stride(from: cut - 1, to: 0, by: -1) { out[i] -= c * out[i - 1] }
                out[0] -= c * out[0]
            }
            window.withUnsafeBufferPointer { w in
                for i in 0..<n { out[i] = i < cut ? out[i] * w[i] : 0 }
            }
        }
        windowed.withUnsafeBufferPointer { input in
            scratch.withUnsafeMutableBufferPointer { s in
                fft.power(input.baseAddress!, into: spectrum.baseAddress!, scratch: s.baseAddress!)
                if scale == .magnitude { for k in 0..<bins { spectrum[k] = spectrum[k].squareRoot() } }
            }
        }
        return SpectrogramFrame(samples: UnsafeBufferPointer(start: frame, count: cut),
                                spectrum: UnsafeBufferPointer(spectrum))
    }
}

@available(*, unavailable, message: "a SpectrogramFramer owns FFT scratch; use one per task")
extension SpectrogramFramer: Sendable {}
