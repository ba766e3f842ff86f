import Foundation

/// Analysis windows, as arrays of `length` weights.
public enum WindowFunction: String, Sendable, CaseIterable {
    /// Hann, `0.5 − 0.5·cos(2πn/N)`.
    case hann
    /// Hamming, `0.54 − 0.46·cos(2πn/N)`.
    case hamming
    /// Blackman, `0.42 − 0.5·cos(2πn/N) + 0.08·cos(4πn/N)`.
    case blackman
    /// All ones.
    case rectangular

    /// The window's weights.
    ///
    /// - Parameter periodic: true for the DFT-even ("periodic") window that librosa and scipy use for spectral
    ///   analysis (`N = length`, scipy's `fftbins=True`); false for the symmetric one (`N = length − 1`), which
    ///   HTK and Kaldi use.
    public func weights(length: Int, periodic: Bool = true) -> [Float] {
        guard length > 1 else { return [Float](repeating: 1, count: max(0, length)) }
        let denominator = Double(periodic ? length : length - 1)
        return (0..<length).map { n in
            let x = 2 * Double.pi * Double(n) / denominator
            switch self {
            case .hann: return Float(0.5 - 0.5 * cos(x))
            case .hamming: return Float(0.54 - 0.46 * cos(x))
            case .blackman: return Float(0.42 - 0.5 * cos(x) + 0.08 * cos(2 * x))
            case .rectangular: return 1
            }
        }
    }
}
