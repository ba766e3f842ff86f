import Foundation

/// DCT-II with orthonormal scaling (scipy's `dct(type=2, norm="ortho")`, librosa's MFCC), keeping the first
/// `outputCount` coefficients: `c_k = s_k·Σ_n x_n·cos(πk(2n+1)/(2N))` with `s_0 = sqrt(1/N)`, else `sqrt(2/N)`.
///
/// Computed as a precomputed `outputCount × N` matrix: for 20 of 128 coefficients that is 2,560 multiply-adds
/// per frame, cheaper than an FFT-based DCT at these sizes.
public struct DCTII: Sendable {
    /// Input length N.
    public let inputCount: Int
    /// Coefficients produced.
    public let outputCount: Int
    private let basis: [Float]

    /// Creates the transform; `outputCount` is clamped to `inputCount`.
    public init(inputCount: Int, outputCount: Int) {
        self.inputCount = inputCount
        self.outputCount = min(outputCount, inputCount)
        var basis = [Float](repeating: 0, count: self.outputCount * inputCount)
        let n = Double(inputCount)
        for k in 0..<self.outputCount {
            let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
            for i in 0..<inputCount {
                basis[k * inputCount + i] = Float(scale * cos(Double.pi * Double(k) * Double(2 * i + 1) / (2 * n)))
            }
        }
        self.basis = basis
    }

    /// Transforms `inputCount` values into `outputCount` values (dot products eight lanes at a time).
    public func apply(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        let n = inputCount
        basis.withUnsafeBufferPointer { b in
            for k in 0..<outputCount {
                let row = b.baseAddress! + k * n
                var lanes = SIMD8<Float>()
                var i = 0
                while i + 8 <= n {
                    lanes += UnsafeRawPointer(row + i).loadUnaligned(as: SIMD8<Float>.self)
                        * UnsafeRawPointer(input + i).loadUnaligned(as: SIMD8<Float>.self)
                    i += 8
                }
                var sum = lanes.sum()
                while i < n {
                    sum += row[i] * input[i]
                    i += 1
                }
                output[k] = sum
            }
        }
    }
}
