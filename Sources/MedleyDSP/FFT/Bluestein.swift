import Foundation

/// Bluestein's chirp-z algorithm: a DFT of any length n as a circular convolution of length M (a power of two
/// ≥ 2n − 1), so lengths with a large prime factor stay O(n log n).
///
/// `X[k] = c̄[k]·Σ_j (x[j]·c̄[j])·c[k − j]` with the chirp `c[j] = e^(πi·j²/n)`. The chirp's angle uses
/// `j² mod 2n` in integers so that it stays exact for large j.
final class BluesteinPlan {
    let length: Int
    let convolutionLength: Int
    private let fft: ComplexFFT
    /// The chirp `e^(−πi·j²/n)` for j = 0..<n.
    private let chirpReal: [Float]
    private let chirpImaginary: [Float]
    /// The FFT of the conjugate chirp, wrapped circularly to length M.
    private let kernelReal: [Float]
    private let kernelImaginary: [Float]
    private var workReal: [Float]
    private var workImaginary: [Float]

    init(length n: Int) throws {
        length = n
        var m = 1
        while m < 2 * n - 1 { m <<= 1 }
        convolutionLength = m
        let fft = try ComplexFFT(length: m)
        self.fft = fft
        var cr = [Float](repeating: 0, count: n), ci = cr
        for j in 0..<n {
            let square = (j * j) % (2 * n)
            let angle = -Double.pi * Double(square) / Double(n)
            cr[j] = Float(cos(angle))
            ci[j] = Float(sin(angle))
        }
        chirpReal = cr
        chirpImaginary = ci
        var kr = [Float](repeating: 0, count: m), ki = kr
        for j in 0..<n {
            // Conjugate chirp at +j and at −j (wrapped to M − j).
            kr[j] = cr[j]; ki[j] = -ci[j]
            if j > 0 { kr[m - j] = cr[j]; ki[m - j] = -ci[j] }
        }
        kr.withUnsafeMutableBufferPointer { r in
            ki.withUnsafeMutableBufferPointer { i in fft.forward(real: r.baseAddress!, imaginary: i.baseAddress!) }
        }
        kernelReal = kr
        kernelImaginary = ki
        workReal = [Float](repeating: 0, count: m)
        workImaginary = [Float](repeating: 0, count: m)
    }

    func transform(real: UnsafeMutablePointer<Float>, imaginary: UnsafeMutablePointer<Float>) {
        let n = length, m = convolutionLength
        workReal.withUnsafeMutableBufferPointer { wrBuffer in
            workImaginary.withUnsafeMutableBufferPointer { wiBuffer in
                let wr = wrBuffer.baseAddress!, wi = wiBuffer.baseAddress!
                for j in 0..<n {
                    let xr = real[j], xi = imaginary[j], cr = chirpReal[j], ci = chirpImaginary[j]
                    wr[j] = xr * cr - xi * ci
                    wi[j] = xr * ci + xi * cr
                }
                for j in n..<m { wr[j] = 0; wi[j] = 0 }
                fft.forward(real: wr, imaginary: wi)
                for j in 0..<m {
                    let ar = wr[j], ai = wi[j], br = kernelReal[j], bi = kernelImaginary[j]
                    wr[j] = ar * br - ai * bi
                    wi[j] = ar * bi + ai * br
                }
                fft.inverse(real: wr, imaginary: wi)
                let scale = 1 / Float(m)
                for k in 0..<n {
                    let ar = wr[k] * scale, ai = wi[k] * scale, cr = chirpReal[k], ci = chirpImaginary[k]
                    real[k] = ar * cr - ai * ci
                    imaginary[k] = ar * ci + ai * cr
                }
            }
        }
    }
}
