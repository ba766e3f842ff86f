import Foundation

/// librosa's chroma filterbank (`librosa.filters.chroma`, `n_chroma=12`, `ctroct=5`, `octwidth=2`, `base_c=True`):
/// Gaussian bumps per pitch class over the FFT bins, each bin's column normalised to unit L2, weighted by a
/// Gaussian over octaves centred on octave 5, rows rolled so that row 0 is C.
public struct ChromaFilterbank: Sendable {
    /// Pitch classes (12).
    public let chromaCount: Int
    /// FFT bins per frame.
    public let binCount: Int
    /// Dense `chromaCount × binCount` weights.
    public let weights: [Float]

    /// Octave centre of the weighting (librosa `ctroct=5.0`).
    static let centreOctave = 5.0
    /// Octave spread of the weighting (librosa `octwidth=2`).
    static let octaveWidth = 2.0
    /// A4 in Hz; C0 = 440/16·2^(−9/12)… librosa measures octaves from A440/16 = 27.5 Hz.
    static let a440 = 440.0

    /// Builds the filterbank for `tuning` (fractions of a chroma bin, as `estimate_tuning` returns).
    public init(sampleRate: Int, fftLength: Int, tuning: Double = 0, chromaCount: Int = 12) {
        self.chromaCount = chromaCount
        binCount = fftLength / 2 + 1
        let nc = Double(chromaCount)
        let a = Self.a440 * pow(2, tuning / nc)
        // Bin k = 1..<n over the full circle; bin 0 gets a value 1.5 octaves below bin 1.
        var bins = [Double](repeating: 0, count: fftLength)
        for k in 1..<fftLength {
            let f = Double(k) * Double(sampleRate) / Double(fftLength)
            bins[k] = nc * log2(f / (a / 16))
        }
        bins[0] = bins[1] - 1.5 * nc
        var widths = [Double](repeating: 1, count: fftLength)
        for k in 0..<(fftLength - 1) { widths[k] = max(bins[k + 1] - bins[k], 1) }
        let half = (nc / 2).rounded(.toNearestOrEven)
        var w = [Double](repeating: 0, count: chromaCount * fftLength)
        for k in 0..<fftLength {
            var norm = 0.0
            for i in 0..<chromaCount {
                var d = (bins[k] - Double(i) + half + 10 * nc).truncatingRemainder(dividingBy: nc)
                if d < 0 { d += nc }
                d -= half
                let v = exp(-0.5 * pow(2 * d / widths[k], 2))
                w[i * fftLength + k] = v
                norm += v * v
            }
            norm = norm.squareRoot()
            let octave = exp(-0.5 * pow((bins[k] / nc - Self.centreOctave) / Self.octaveWidth, 2))
            for i in 0..<chromaCount {
                w[i * fftLength + k] = (norm > 0 ? w[i * fftLength + k] / norm : 0) * octave
            }
        }
        // Roll rows by −3 (base C) and keep bins 0...n/2.
        let shift = 3 * (chromaCount / 12)
        var out = [Float](repeating: 0, count: chromaCount * binCount)
        for i in 0..<chromaCount {
            let source = (i + shift) % chromaCount
            for k in 0..<binCount { out[i * binCount + k] = Float(w[source * fftLength + k]) }
        }
        weights = out
    }

    /// Chroma of one power spectrum, normalised by its maximum (librosa `norm=inf`; frames whose maximum is
    /// below the smallest normal float are left as they are).
    public func apply(_ spectrum: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            var maximum: Float = 0
            for i in 0..<chromaCount {
                var sum: Float = 0
                let row = w.baseAddress! + i * binCount
                for k in 0..<binCount { sum += row[k] * spectrum[k] }
                output[i] = sum
                maximum = max(maximum, abs(sum))
            }
            if maximum >= Float.leastNormalMagnitude {
                for i in 0..<chromaCount { output[i] /= maximum }
            }
        }
    }
}

/// librosa's `estimate_tuning` from a power spectrogram, streamed: peaks are collected frame by frame
/// (`piptrack` with `threshold=0.1`, 150-4000 Hz, parabolic refinement), and ``tuning`` keeps those whose height
/// reaches the median height over the clip, histograms their pitch residuals in 0.01-bin steps and returns the
/// left edge of the fullest bin.
public struct TuningEstimator: Sendable {
    let sampleRate: Int
    let fftLength: Int
    let binsPerOctave: Int
    /// Peaks as (frequency, height).
    private var frequencies: [Float] = []
    private var heights: [Float] = []

    /// piptrack's frequency range when called by estimate_tuning (150-4000 Hz) and peak threshold (0.1).
    static let minHz = 150.0, maxHz = 4000.0, threshold: Float = 0.1
    /// Histogram resolution in bins (librosa `resolution=0.01`).
    static let resolution = 0.01

    /// Creates an estimator for power spectra of an `fftLength`-point FFT at `sampleRate`.
    public init(sampleRate: Int, fftLength: Int, binsPerOctave: Int = 12) {
        self.sampleRate = sampleRate
        self.fftLength = fftLength
        self.binsPerOctave = binsPerOctave
    }

    /// Collects the peaks of one power spectrum (`fftLength/2 + 1` bins).
    public mutating func add(_ s: UnsafeBufferPointer<Float>) {
        let n = s.count
        guard n >= 3 else { return }
        var reference: Float = 0
        for k in 0..<n { reference = max(reference, s[k]) }
        let cut = Self.threshold * reference
        @inline(__always) func masked(_ k: Int) -> Float { s[k] > cut ? s[k] : 0 }
        let binHz = Double(sampleRate) / Double(fftLength)
        let first = max(1, Int((Self.minHz / binHz).rounded(.up)))
        let limit = min(n - 1, Int((min(Self.maxHz, Double(sampleRate) / 2) / binHz).rounded(.up)))
        guard first < limit else { return }
        for k in first..<limit {
            let f = Double(k) * binHz
            guard f >= Self.minHz && f < Self.maxHz else { continue }
            let v = masked(k)
            guard v > masked(k - 1) && v >= masked(k + 1) else { continue }
            let a = s[k + 1] + s[k - 1] - 2 * s[k]
            let b = (s[k + 1] - s[k - 1]) / 2
            let shift: Float = abs(b) < abs(a) ? -b / a : 0
            let gradient = (s[k + 1] - s[k - 1]) / 2
            frequencies.append(Float((Double(k) + Double(shift)) * binHz))
            heights.append(s[k] + 0.5 * gradient * shift)
        }
    }

    /// The tuning estimate in fractions of a bin, in [−0.5, 0.5).
    public var tuning: Double {
        guard !heights.isEmpty else { return 0 }
        let sorted = heights.sorted()
        let m = sorted.count
        let median = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2
        let binCount = Int((1 / Self.resolution).rounded(.up))
        var counts = [Int](repeating: 0, count: binCount)
        let bpo = Double(binsPerOctave)
        for (f, h) in zip(frequencies, heights) where h >= median && f > 0 {
            var r = (bpo * log2(Double(f) / 27.5)).truncatingRemainder(dividingBy: 1)
            if r < 0 { r += 1 }
            if r >= 0.5 { r -= 1 }
            // numpy.histogram over linspace(−0.5, 0.5, 101): the last bin includes its right edge.
            let index = min(binCount - 1, Int(((r + 0.5) * Double(binCount)).rounded(.down)))
            counts[max(0, index)] += 1
        }
        var best = 0
        for i in 1..<binCount where counts[i] > counts[best] { best = i }
        return -0.5 + Double(best) / Double(binCount)
    }
}
