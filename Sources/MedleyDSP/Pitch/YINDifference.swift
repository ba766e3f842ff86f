import Foundation
import MedleyCore

/// The cumulative mean normalised difference function of YIN as librosa 0.11 computes it, one frame at a time.
///
/// With `r(τ)` the full linear autocorrelation of the (unwindowed) frame, librosa's difference function is
/// `d(τ) = 2·r(0) − 2·r(τ) − Σ_{m<τ} y_m²` (the full-frame squared difference plus the energy of the last τ
/// samples, not the textbook windowed sum), and `d'(τ) = d(τ) / ((1/τ)·Σ_{j=1..τ} d(j) + tiny)` for
/// τ = minPeriod…maxPeriod. The autocorrelation runs through a real FFT of a power of two ≥ 2·frame − 1.
struct YINDifference {
    let frameLength: Int
    let minPeriod: Int
    let maxPeriod: Int
    private let fft: RealFFT
    private let fftLength: Int
    private var padded: [Float]
    private var symmetric: [Float]
    private var re: [Float]
    private var im: [Float]
    private var difference: [Double]

    init(frameLength: Int, minPeriod: Int, maxPeriod: Int) throws {
        self.frameLength = frameLength
        self.minPeriod = minPeriod
        self.maxPeriod = maxPeriod
        var n = 1
        while n < 2 * frameLength - 1 { n <<= 1 }
        fftLength = n
        fft = try RealFFT(length: n)
        padded = [Float](repeating: 0, count: n)
        symmetric = padded
        re = [Float](repeating: 0, count: n / 2 + 1)
        im = re
        difference = [Double](repeating: 0, count: maxPeriod + 1)
    }

    /// Number of values of d' per frame (`maxPeriod − minPeriod + 1`).
    var count: Int { maxPeriod - minPeriod + 1 }

    /// Computes d'(minPeriod…maxPeriod) of `frame` into `output`.
    mutating func compute(_ frame: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        let n = fftLength, bins = n / 2 + 1
        for i in 0..<frameLength { padded[i] = frame[i] }
        padded.withUnsafeBufferPointer { x in
            re.withUnsafeMutableBufferPointer { r in
                im.withUnsafeMutableBufferPointer { m in fft.forward(x.baseAddress!, real: r.baseAddress!, imaginary: m.baseAddress!) }
            }
        }
        // r = IDFT(|X|²): the power spectrum is real and even, so its inverse is a forward DFT divided by n.
        for k in 0..<bins { symmetric[k] = re[k] * re[k] + im[k] * im[k] }
        for k in 1..<(n - bins + 1) { symmetric[n - k] = symmetric[k] }
        symmetric.withUnsafeBufferPointer { x in
            re.withUnsafeMutableBufferPointer { r in
                im.withUnsafeMutableBufferPointer { m in fft.forward(x.baseAddress!, real: r.baseAddress!, imaginary: m.baseAddress!) }
            }
        }
        let scale = 1 / Double(n)
        let r0 = Double(re[0]) * scale
        var energy = 0.0  // Σ_{m<τ} y_m²
        var cumulative = 0.0
        difference[0] = 0
        for tau in 1...maxPeriod {
            let y = Double(frame[tau - 1])
            energy += y * y
            let d = 2 * (r0 - Double(re[tau]) * scale) - energy
            difference[tau] = d
            cumulative += d
            if tau >= minPeriod {
                let mean = cumulative / Double(tau)
                output[tau - minPeriod] = Float(d / (mean + Double(Float.leastNormalMagnitude)))
            }
        }
    }

    /// librosa's parabolic interpolation shift at index i of `x` (0 at the ends or when |b| ≥ |a|).
    static func parabolicShift(_ x: UnsafePointer<Float>, count: Int, at i: Int) -> Float {
        guard i > 0, i < count - 1 else { return 0 }
        let a = x[i + 1] + x[i - 1] - 2 * x[i]
        let b = (x[i + 1] - x[i - 1]) / 2
        return abs(b) >= abs(a) ? 0 : -b / a
    }

    /// librosa's troughs: strict local minima (< left, ≤ right); index 0 when below index 1; the last index when
    /// below the one before.
    static func isTrough(_ x: UnsafePointer<Float>, count: Int, at i: Int) -> Bool {
        if count < 2 { return false }
        if i == 0 { return x[0] < x[1] }
        if i == count - 1 { return x[i] < x[i - 1] }
        return x[i] < x[i - 1] && x[i] <= x[i + 1]
    }
}
