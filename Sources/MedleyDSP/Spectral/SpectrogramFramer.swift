import Foundation
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
/// Feed chunks of mono samples with ``push(_:_:)`` and end with ``finish(_:)``; each callback receives the
/// frame's samples and `binCount` spectrum values, valid during the call. Frame t is centred on sample `t·hop`
/// (when centred) and a signal of n samples gives `1 + n/hop` frames, as librosa's `stft`.
///
/// Frames are transformed in batches of ``batchSize`` on up to 4 threads (one FFT per thread) and then handed
/// to the callback in order, on the caller's thread; so callbacks may lag the input by up to a batch. The frames
/// are read where they lie in the (padded) signal, which is kept contiguous: no frame is copied out, and the
/// window is applied on the way into the FFT's input buffer (overlapping frames would otherwise be copied
/// `fftLength/hop` times over). Memory is the signal of one batch plus one chunk, and one batch of spectra.
///
/// Threading: not thread-safe (it owns FFT scratch); one per task.
public final class SpectrogramFramer {
    /// The settings.
    public let settings: STFTSettings
    /// Magnitude or power.
    public let scale: SpectrumScale
    /// Frames handed to callbacks so far.
    public private(set) var frameCount = 0
    /// Frames transformed together (and spread over the threads).
    public static let batchSize = 64

    private let workers: [SpectrumWorker]
    private let frameLength: Int
    private let binCount: Int
    /// The (padded) signal from `signalStart` on: frame `frameCount` starts at `signal[signalStart]`.
    private var signal: [Float] = []
    private var signalStart = 0
    private var samplesSeen = 0
    private var finished = false
    /// Spectra of the current batch (`batchSize × binCount`).
    private let spectra: UnsafeMutablePointer<Float>

    /// Creates a framer with `settings` producing `scale` spectra.
    public init(settings: STFTSettings = STFTSettings(), scale: SpectrumScale = .power) throws {
        try settings.validate()
        self.settings = settings
        self.scale = scale
        let n = settings.fftLength
        let cut = settings.frameLength ?? n
        frameLength = cut
        binCount = n / 2 + 1
        let length = settings.frameLength ?? settings.windowLength ?? n
        var full = [Float](repeating: 0, count: n)
        let shape = settings.window.weights(length: length, periodic: settings.periodicWindow)
        // librosa centres a short window in the FFT frame (util.pad_center); Kaldi framing starts it at 0.
        let offset = settings.frameLength == nil ? (n - length) / 2 : 0
        for i in 0..<length { full[offset + i] = shape[i] }
        let threads = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        workers = try (0..<threads).map { _ in try SpectrumWorker(settings: settings, scale: scale, window: full) }
        spectra = .allocate(capacity: Self.batchSize * binCount)
        spectra.initialize(repeating: 0, count: Self.batchSize * binCount)
        // Centring: frameLength/2 zeros before the first sample (librosa pad_mode="constant").
        signal.reserveCapacity(4 * Self.batchSize * settings.hop + 2 * cut)
        if settings.centered { signal.append(contentsOf: repeatElement(0, count: cut / 2)) }
    }

    deinit {
        spectra.deallocate()
    }

    /// Appends mono samples; `body` gets each completed frame (possibly a batch later).
    public func push(_ samples: UnsafeBufferPointer<Float>, _ body: (SpectrogramFrame) throws -> Void) rethrows {
        precondition(!finished, "SpectrogramFramer: push after finish")
        samplesSeen += samples.count
        signal.append(contentsOf: samples)
        try drain(limit: nil, final: false, body)
    }

    /// Array convenience for ``push(_:_:)``.
    public func push(_ samples: [Float], _ body: (SpectrogramFrame) throws -> Void) rethrows {
        try samples.withUnsafeBufferPointer { try push($0, body) }
    }

    /// Ends the stream (right padding when centred) and emits the last frames.
    public func finish(_ body: (SpectrogramFrame) throws -> Void) rethrows {
        guard !finished else { return }
        finished = true
        var limit: Int? = nil
        if settings.centered {
            signal.append(contentsOf: repeatElement(0, count: frameLength - frameLength / 2))
            limit = 1 + samplesSeen / settings.hop
        }
        try drain(limit: limit, final: true, body)
    }

    /// Transforms and hands out the complete frames in whole batches (and, when `final`, the partial last one),
    /// up to `limit` frames in all; then drops the samples no later frame needs.
    private func drain(limit: Int?, final: Bool, _ body: (SpectrogramFrame) throws -> Void) rethrows {
        let hop = settings.hop
        let length = signal.count - signalStart
        var available = length >= frameLength ? 1 + (length - frameLength) / hop : 0
        if let limit { available = min(available, max(0, limit - frameCount)) }
        var done = 0
        try signal.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            while available - done >= Self.batchSize || (final && done < available) {
                let count = min(Self.batchSize, available - done)
                let first = base + signalStart + done * hop
                try run(first: first, count: count, body)
                done += count
            }
        }
        signalStart += done * hop
        // Drop what no future frame needs, in large steps so the copy cost stays small.
        if signalStart > 0 && signalStart >= signal.count / 2 {
            signal.removeFirst(min(signalStart, signal.count))
            signalStart = 0
        }
    }

    /// Transforms `count` frames starting at `first`, `hop` samples apart, and hands them out in order.
    private func run(first: UnsafePointer<Float>, count: Int, _ body: (SpectrogramFrame) throws -> Void) rethrows {
        let hop = settings.hop
        let job = SpectrumBatch(workers: workers, first: first, hop: hop, spectra: spectra, count: count,
                                binCount: binCount)
        if count >= 8 && workers.count > 1 {
            DispatchQueue.concurrentPerform(iterations: workers.count) { job.run(part: $0) }
        } else {
            for part in 0..<workers.count { job.run(part: part) }
        }
        for f in 0..<count {
            try body(SpectrogramFrame(samples: UnsafeBufferPointer(start: first + f * hop, count: frameLength),
                                      spectrum: UnsafeBufferPointer(start: spectra + f * binCount, count: binCount)))
        }
        frameCount += count
    }
}

@available(*, unavailable, message: "a SpectrogramFramer owns FFT scratch; use one per task")
extension SpectrogramFramer: Sendable {}

/// One batch split over the workers: worker w transforms frames w, w + W, w + 2W, ... Each worker touches only
/// its own frames' spectra and its own scratch, so the parts can run concurrently.
private struct SpectrumBatch: @unchecked Sendable {
    let workers: [SpectrumWorker]
    let first: UnsafePointer<Float>
    let hop: Int
    let spectra: UnsafeMutablePointer<Float>
    let count: Int
    let binCount: Int

    func run(part: Int) {
        let worker = workers[part]
        for f in stride(from: part, to: count, by: workers.count) {
            worker.transform(first + f * hop, into: spectra + f * binCount)
        }
    }
}

/// Window, pre-processing and FFT of single frames, with its own scratch.
private final class SpectrumWorker: @unchecked Sendable {
    let settings: STFTSettings
    let scale: SpectrumScale
    let fft: RealFFT
    let window: [Float]
    var windowed: [Float]
    var scratch: [Float]
    /// Whether the frame goes into the FFT as it is (times the window): librosa framing, no pre-processing.
    let plain: Bool

    init(settings: STFTSettings, scale: SpectrumScale, window: [Float]) throws {
        self.settings = settings
        self.scale = scale
        fft = try RealFFT(length: settings.fftLength)
        self.window = window
        windowed = [Float](repeating: 0, count: settings.fftLength)
        scratch = [Float](repeating: 0, count: 2 * (settings.fftLength / 2 + 1))
        plain = settings.frameLength == nil && !settings.removeDCOffset && settings.preEmphasis == nil
    }

    func transform(_ frame: UnsafePointer<Float>, into spectrum: UnsafeMutablePointer<Float>) {
        let n = settings.fftLength
        let bins = n / 2 + 1
        if plain {
            window.withUnsafeBufferPointer { w in
                scratch.withUnsafeMutableBufferPointer { s in
                    fft.power(frame, window: w.baseAddress!, into: spectrum, scratch: s.baseAddress!)
                }
            }
        } else {
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
                    fft.power(input.baseAddress!, into: spectrum, scratch: s.baseAddress!)
                }
            }
        }
        if scale == .magnitude { for k in 0..<bins { spectrum[k] = spectrum[k].squareRoot() } }
    }
}
