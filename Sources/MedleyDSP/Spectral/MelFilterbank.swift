import Foundation
import MedleyCore

/// The mel scale used to place the filters.
public enum MelScale: String, Sendable {
    /// Slaney's Auditory Toolbox scale: linear below 1 kHz (200/3 Hz per mel), logarithmic above
    /// (librosa's default, `htk=False`).
    case slaney
    /// HTK's `2595·log10(1 + f/700)` (librosa `htk=True`, Kaldi, torchaudio's default).
    case htk

    /// Hz to mel.
    public func mel(fromHz f: Double) -> Double {
        switch self {
        case .htk:
            return 2595 * log10(1 + f / 700)
        case .slaney:
            if f < Self.slaneyBreakHz { return f / Self.slaneyLinearStep }
            return Self.slaneyBreakHz / Self.slaneyLinearStep + log(f / Self.slaneyBreakHz) / Self.slaneyLogStep
        }
    }

    /// Mel to Hz.
    public func hz(fromMel m: Double) -> Double {
        switch self {
        case .htk:
            return 700 * (pow(10, m / 2595) - 1)
        case .slaney:
            let breakMel = Self.slaneyBreakHz / Self.slaneyLinearStep
            if m < breakMel { return m * Self.slaneyLinearStep }
            return Self.slaneyBreakHz * exp(Self.slaneyLogStep * (m - breakMel))
        }
    }

    /// Slaney: Hz per mel below the break (librosa `f_sp = 200/3`).
    static let slaneyLinearStep = 200.0 / 3
    /// Slaney: where the scale turns logarithmic (librosa `min_log_hz = 1000`).
    static let slaneyBreakHz = 1000.0
    /// Slaney: log step per mel above the break (librosa `logstep = ln(6.4)/27`).
    static let slaneyLogStep = log(6.4) / 27
}

/// How each triangular filter is scaled.
public enum MelNormalization: Sendable {
    /// Divide each filter by its width in Hz (`2/(f_{i+2} − f_i)`), librosa's `norm="slaney"` default: constant
    /// energy per band.
    case slaney
    /// Peak 1 (HTK, Kaldi, librosa `norm=None`).
    case none
}

/// Triangular mel filters over the bins of a real FFT, stored sparsely (each filter keeps only its nonzero
/// span), so applying 128 filters to 1025 bins costs about 2 multiply-adds per bin rather than 128.
///
/// Follows `librosa.filters.mel` exactly: `nMels + 2` edges equally spaced in mel between `minHz` and `maxHz`,
/// filter i rising from edge i to i+1 and falling to i+2, evaluated at bin frequencies `k·sampleRate/fftLength`,
/// computed in double precision and stored as Float (librosa's float32 basis).
public struct MelFilterbank: Sendable {
    /// Number of filters.
    public let bandCount: Int
    /// FFT bins expected per frame (`fftLength/2 + 1`).
    public let binCount: Int
    /// The filter edges in Hz (`bandCount + 2` values).
    public let edgesHz: [Double]
    private let starts: [Int]
    private let offsets: [Int]  // into weights; filter i is weights[offsets[i]..<offsets[i+1]]
    private let weights: [Float]

    /// Builds a filterbank. librosa's defaults are 128 bands, 0 Hz to sampleRate/2, Slaney scale and norm.
    public init(sampleRate: Int, fftLength: Int, bandCount: Int = 128, minHz: Double = 0, maxHz: Double? = nil,
                scale: MelScale = .slaney, normalization: MelNormalization = .slaney) throws {
        let top = maxHz ?? Double(sampleRate) / 2
        guard bandCount >= 1, fftLength >= 2, sampleRate > 0 else {
            throw MedleyError.invalidArgument("mel filterbank: need ≥ 1 band, FFT length ≥ 2 and a positive rate")
        }
        guard minHz >= 0, top > minHz else {
            throw MedleyError.invalidArgument("mel filterbank: need 0 ≤ minHz < maxHz, got \(minHz)...\(top)")
        }
        self.bandCount = bandCount
        binCount = fftLength / 2 + 1
        let lowMel = scale.mel(fromHz: minHz), highMel = scale.mel(fromHz: top)
        let edges = (0..<(bandCount + 2)).map { i in
            scale.hz(fromMel: lowMel + (highMel - lowMel) * Double(i) / Double(bandCount + 1))
        }
        edgesHz = edges
        var starts: [Int] = [], offsets: [Int] = [0], weights: [Float] = []
        for i in 0..<bandCount {
            let lowerWidth = edges[i + 1] - edges[i], upperWidth = edges[i + 2] - edges[i + 1]
            let norm = normalization == .slaney ? 2 / (edges[i + 2] - edges[i]) : 1
            var first = -1
            var values: [Float] = []
            for k in 0..<binCount {
                let f = Double(k) * Double(sampleRate) / Double(fftLength)
                let lower = (f - edges[i]) / lowerWidth
                let upper = (edges[i + 2] - f) / upperWidth
                let w = max(0, min(lower, upper)) * norm
                if w > 0 {
                    if first < 0 { first = k }
                    // Keep interior zeros (none occur for a triangle) so the span stays contiguous.
                    values.append(contentsOf: repeatElement(0, count: k - first - values.count))
                    values.append(Float(w))
                }
            }
            // Zero weights pad each span to a multiple of the SIMD width (at the end, or at the front near the top
            // bin), so that ``apply(_:into:)`` runs no scalar tail; the extra products are 0·x.
            var start = max(0, first)
            let padded = (values.count + Self.lanes - 1) / Self.lanes * Self.lanes
            if padded <= binCount {
                let front = max(0, start + padded - binCount)
                values.insert(contentsOf: repeatElement(0, count: front), at: 0)
                values.append(contentsOf: repeatElement(0, count: padded - values.count))
                start -= front
            }
            starts.append(start)
            weights.append(contentsOf: values)
            offsets.append(weights.count)
        }
        self.starts = starts
        self.offsets = offsets
        self.weights = weights
    }

    /// Bins per SIMD step in ``apply(_:into:)``; filter spans are padded to a multiple of it.
    static let lanes = 4

    /// Applies the filters to one spectrum of `binCount` values, writing `bandCount` values.
    ///
    /// Four bins per step in SIMD lanes over the zero-padded spans (most filters span 5 to 60 bins).
    public func apply(_ spectrum: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { wp in
            starts.withUnsafeBufferPointer { sp in
                offsets.withUnsafeBufferPointer { op in
                    let w = wp.baseAddress!
                    for i in 0..<bandCount {
                        let lo = op[i], count = op[i + 1] - lo
                        let x = spectrum + sp[i], h = w + lo
                        var lanes = SIMD4<Float>()
                        var j = 0
                        while j + 4 <= count {
                            lanes += UnsafeRawPointer(h + j).loadUnaligned(as: SIMD4<Float>.self)
                                * UnsafeRawPointer(x + j).loadUnaligned(as: SIMD4<Float>.self)
                            j += 4
                        }
                        var sum = (lanes.lowHalf + lanes.highHalf).sum()
                        while j < count {
                            sum += h[j] * x[j]
                            j += 1
                        }
                        output[i] = sum
                    }
                }
            }
        }
    }

    /// The dense `bandCount × binCount` matrix (row-major), for inspection and tests.
    public var matrix: [Float] {
        var dense = [Float](repeating: 0, count: bandCount * binCount)
        for i in 0..<bandCount {
            for j in offsets[i]..<offsets[i + 1] { dense[i * binCount + starts[i] + j - offsets[i]] = weights[j] }
        }
        return dense
    }
}
