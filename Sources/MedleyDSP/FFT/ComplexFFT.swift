import Foundation
import MedleyCore

/// A complex discrete Fourier transform of any length, on split (separate real and imaginary) arrays.
///
/// `X[k] = Σ_j x[j]·e^(−2πi·jk/n)`, unscaled. Lengths whose prime factors are all at most 31 run as a
/// mixed-radix Stockham FFT (radix 4 and 2 specialised, other factors as small direct DFTs); other lengths use
/// Bluestein's chirp-z algorithm over a power-of-two FFT, so every length is O(n log n).
///
/// Why our own code rather than FFmpeg's `av_tx`: FFmpeg 5.1's transforms fall back to an O(n²) DFT for
/// lengths with factors other than 2, 3, 5, 7, 9 and 15 (2 ms for n = 400), and its real transform gives
/// wrong results for small lengths (n = 2, 6, 8, 30); see the measurement in `bench/RESULTS.md`.
///
/// Threading: an instance owns scratch memory and is not thread-safe; use one per task.
public final class ComplexFFT {
    /// The transform length.
    public let length: Int

    private enum Engine {
        case trivial
        case stockham([FFTStage])
        case bluestein(BluesteinPlan)
    }

    private let engine: Engine
    private var scratchReal: [Float]
    private var scratchImaginary: [Float]

    /// The largest prime factor handled by a direct DFT butterfly; lengths with a larger one use Bluestein.
    static let largestDirectRadix = 31

    /// Plans a transform of `length` points (≥ 1).
    public init(length: Int) throws {
        guard length >= 1 else { throw MedleyError.invalidArgument("FFT length must be at least 1, got \(length)") }
        guard length <= 1 << 28 else { throw MedleyError.invalidArgument("FFT length \(length) is too large") }
        self.length = length
        scratchReal = [Float](repeating: 0, count: length)
        scratchImaginary = [Float](repeating: 0, count: length)
        if length == 1 {
            engine = .trivial
        } else if let radices = Self.factorise(length) {
            var stages: [FFTStage] = []
            var span = 1
            for radix in radices {
                stages.append(FFTStage(radix: radix, span: span, length: length))
                span *= radix
            }
            engine = .stockham(stages)
        } else {
            engine = .bluestein(try BluesteinPlan(length: length))
        }
    }

    /// Splits `n` into radices (4s first, then 2, then odd primes), or nil when a prime factor is too large.
    static func factorise(_ n: Int) -> [Int]? {
        var rest = n
        var radices: [Int] = []
        while rest % 4 == 0 { radices.append(4); rest /= 4 }
        while rest % 2 == 0 { radices.append(2); rest /= 2 }
        var p = 3
        while rest > 1 {
            if p > largestDirectRadix { return nil }
            while rest % p == 0 { radices.append(p); rest /= p }
            p += 2
        }
        return radices
    }

    /// Transforms `real`/`imaginary` (each `length` values) in place.
    public func forward(real: UnsafeMutablePointer<Float>, imaginary: UnsafeMutablePointer<Float>) {
        switch engine {
        case .trivial:
            return
        case .bluestein(let plan):
            plan.transform(real: real, imaginary: imaginary)
        case .stockham(let stages):
            scratchReal.withUnsafeMutableBufferPointer { sr in
                scratchImaginary.withUnsafeMutableBufferPointer { si in
                    // Ping-pong between the caller's arrays and the scratch; copy back if we end in the scratch.
                    var inR = real, inI = imaginary
                    var outR = sr.baseAddress!, outI = si.baseAddress!
                    for stage in stages {
                        stage.run(inputReal: inR, inputImaginary: inI, outputReal: outR, outputImaginary: outI)
                        swap(&inR, &outR)
                        swap(&inI, &outI)
                    }
                    if inR != real {
                        real.update(from: inR, count: length)
                        imaginary.update(from: inI, count: length)
                    }
                }
            }
        }
    }

    /// The inverse transform `x[j] = Σ_k X[k]·e^(+2πi·jk/n)`, unscaled (divide by n for the true inverse).
    public func inverse(real: UnsafeMutablePointer<Float>, imaginary: UnsafeMutablePointer<Float>) {
        // conj(FFT(conj(X))) is the unscaled inverse.
        for i in 0..<length { imaginary[i] = -imaginary[i] }
        forward(real: real, imaginary: imaginary)
        for i in 0..<length { imaginary[i] = -imaginary[i] }
    }

    /// Array convenience: returns the transform of `real` + i·`imaginary`.
    public func forward(real: [Float], imaginary: [Float]) -> (real: [Float], imaginary: [Float]) {
        precondition(real.count == length && imaginary.count == length, "ComplexFFT: input length mismatch")
        var re = real, im = imaginary
        re.withUnsafeMutableBufferPointer { r in
            im.withUnsafeMutableBufferPointer { i in forward(real: r.baseAddress!, imaginary: i.baseAddress!) }
        }
        return (re, im)
    }
}

@available(*, unavailable, message: "a ComplexFFT owns scratch memory; use one per task")
extension ComplexFFT: Sendable {}

/// One radix-`radix` pass of the Stockham autosort FFT (Govindaraju et al., "High performance discrete
/// Fourier transforms on graphics processors", 2008): butterfly j reads `x[j + r·n/p]`, multiplies by
/// `e^(−2πi·r·(j mod span)/(span·p))`, and writes a size-p DFT to `y[(j/span)·span·p + j mod span + r·span]`.
struct FFTStage {
    let radix: Int
    let span: Int
    let length: Int
    /// Twiddles for r = 1..<radix, k = 0..<span, stored [(r−1)·span + k].
    let twiddleReal: [Float]
    let twiddleImaginary: [Float]
    /// cos/sin(−2π·rq/p) for the direct DFT butterfly of an odd radix, stored [r·p + q].
    let rootReal: [Float]
    let rootImaginary: [Float]

    init(radix: Int, span: Int, length: Int) {
        self.radix = radix
        self.span = span
        self.length = length
        var tr = [Float](repeating: 0, count: (radix - 1) * span)
        var ti = tr
        for r in 1..<radix {
            for k in 0..<span {
                let angle = -2 * Double.pi * Double(r * k) / Double(span * radix)
                tr[(r - 1) * span + k] = Float(cos(angle))
                ti[(r - 1) * span + k] = Float(sin(angle))
            }
        }
        twiddleReal = tr
        twiddleImaginary = ti
        if radix != 2 && radix != 4 {
            var rr = [Float](repeating: 0, count: radix * radix)
            var ri = rr
            for r in 0..<radix {
                for q in 0..<radix {
                    let angle = -2 * Double.pi * Double((r * q) % radix) / Double(radix)
                    rr[r * radix + q] = Float(cos(angle))
                    ri[r * radix + q] = Float(sin(angle))
                }
            }
            rootReal = rr
            rootImaginary = ri
        } else {
            rootReal = []
            rootImaginary = []
        }
    }

    func run(inputReal xr: UnsafePointer<Float>, inputImaginary xi: UnsafePointer<Float>,
             outputReal yr: UnsafeMutablePointer<Float>, outputImaginary yi: UnsafeMutablePointer<Float>) {
        twiddleReal.withUnsafeBufferPointer { twr in
            twiddleImaginary.withUnsafeBufferPointer { twi in
                let wr = twr.baseAddress ?? UnsafePointer(bitPattern: 16)!
                let wi = twi.baseAddress ?? UnsafePointer(bitPattern: 16)!
                switch radix {
                case 4: radix4(xr, xi, yr, yi, wr, wi)
                case 2: radix2(xr, xi, yr, yi, wr, wi)
                default: generic(xr, xi, yr, yi, wr, wi)
                }
            }
        }
    }

    @inline(__always)
    private func radix2(_ xr: UnsafePointer<Float>, _ xi: UnsafePointer<Float>, _ yr: UnsafeMutablePointer<Float>,
                        _ yi: UnsafeMutablePointer<Float>, _ wr: UnsafePointer<Float>, _ wi: UnsafePointer<Float>) {
        let m = length / 2
        let blocks = m / span
        if span == 1 {
            for b in 0..<blocks {
                let ar = xr[b], ai = xi[b], br = xr[b + m], bi = xi[b + m]
                yr[2 * b] = ar + br; yi[2 * b] = ai + bi
                yr[2 * b + 1] = ar - br; yi[2 * b + 1] = ai - bi
            }
            return
        }
        for b in 0..<blocks {
            let inBase = b * span, outBase = b * span * 2
            let x0r = xr + inBase, x0i = xi + inBase, x1r = xr + inBase + m, x1i = xi + inBase + m
            let y0r = yr + outBase, y0i = yi + outBase, y1r = yr + outBase + span, y1i = yi + outBase + span
            for k in 0..<span {
                let br = x1r[k] * wr[k] - x1i[k] * wi[k]
                let bi = x1r[k] * wi[k] + x1i[k] * wr[k]
                let ar = x0r[k], ai = x0i[k]
                y0r[k] = ar + br; y0i[k] = ai + bi
                y1r[k] = ar - br; y1i[k] = ai - bi
            }
        }
    }

    @inline(__always)
    private func radix4(_ xr: UnsafePointer<Float>, _ xi: UnsafePointer<Float>, _ yr: UnsafeMutablePointer<Float>,
                        _ yi: UnsafeMutablePointer<Float>, _ wr: UnsafePointer<Float>, _ wi: UnsafePointer<Float>) {
        let m = length / 4
        let blocks = m / span
        if span == 1 {
            for b in 0..<blocks {
                let ar = xr[b], ai = xi[b]
                let br = xr[b + m], bi = xi[b + m]
                let cr = xr[b + 2 * m], ci = xi[b + 2 * m]
                let dr = xr[b + 3 * m], di = xi[b + 3 * m]
                let s0r = ar + cr, s0i = ai + ci, d0r = ar - cr, d0i = ai - ci
                let s1r = br + dr, s1i = bi + di, d1r = br - dr, d1i = bi - di
                yr[4 * b] = s0r + s1r; yi[4 * b] = s0i + s1i
                yr[4 * b + 2] = s0r - s1r; yi[4 * b + 2] = s0i - s1i
                // −i·d1 = (d1i, −d1r)
                yr[4 * b + 1] = d0r + d1i; yi[4 * b + 1] = d0i - d1r
                yr[4 * b + 3] = d0r - d1i; yi[4 * b + 3] = d0i + d1r
            }
            return
        }
        let w1r = wr, w1i = wi, w2r = wr + span, w2i = wi + span, w3r = wr + 2 * span, w3i = wi + 2 * span
        for b in 0..<blocks {
            let inBase = b * span, outBase = b * span * 4
            let ar0 = xr + inBase, ai0 = xi + inBase
            let br0 = ar0 + m, bi0 = ai0 + m, cr0 = ar0 + 2 * m, ci0 = ai0 + 2 * m, dr0 = ar0 + 3 * m, di0 = ai0 + 3 * m
            let y0r = yr + outBase, y0i = yi + outBase
            let y1r = y0r + span, y1i = y0i + span, y2r = y0r + 2 * span, y2i = y0i + 2 * span
            let y3r = y0r + 3 * span, y3i = y0i + 3 * span
            for k in 0..<span {
                let ar = ar0[k], ai = ai0[k]
                let br = br0[k] * w1r[k] - bi0[k] * w1i[k], bi = br0[k] * w1i[k] + bi0[k] * w1r[k]
                let cr = cr0[k] * w2r[k] - ci0[k] * w2i[k], ci = cr0[k] * w2i[k] + ci0[k] * w2r[k]
                let dr = dr0[k] * w3r[k] - di0[k] * w3i[k], di = dr0[k] * w3i[k] + di0[k] * w3r[k]
                let s0r = ar + cr, s0i = ai + ci, d0r = ar - cr, d0i = ai - ci
                let s1r = br + dr, s1i = bi + di, d1r = br - dr, d1i = bi - di
                y0r[k] = s0r + s1r; y0i[k] = s0i + s1i
                y2r[k] = s0r - s1r; y2i[k] = s0i - s1i
                y1r[k] = d0r + d1i; y1i[k] = d0i - d1r
                y3r[k] = d0r - d1i; y3i[k] = d0i + d1r
            }
        }
    }

    private func generic(_ xr: UnsafePointer<Float>, _ xi: UnsafePointer<Float>, _ yr: UnsafeMutablePointer<Float>,
                         _ yi: UnsafeMutablePointer<Float>, _ wr: UnsafePointer<Float>, _ wi: UnsafePointer<Float>) {
        let p = radix
        let m = length / p
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * p) { temp in
            let vr = temp.baseAddress!, vi = temp.baseAddress! + p
            rootReal.withUnsafeBufferPointer { rootR in
                rootImaginary.withUnsafeBufferPointer { rootI in
                    for j in 0..<m {
                        let k = j % span
                        vr[0] = xr[j]; vi[0] = xi[j]
                        for r in 1..<p {
                            let ir = xr[j + r * m], ii = xi[j + r * m]
                            let tr = wr[(r - 1) * span + k], ti = wi[(r - 1) * span + k]
                            vr[r] = ir * tr - ii * ti
                            vi[r] = ir * ti + ii * tr
                        }
                        let outBase = (j / span) * span * p + k
                        for q in 0..<p {
                            var sr: Float = 0, si: Float = 0
                            for r in 0..<p {
                                let cr = rootR[r * p + q], ci = rootI[r * p + q]
                                sr += vr[r] * cr - vi[r] * ci
                                si += vr[r] * ci + vi[r] * cr
                            }
                            yr[outBase + q * span] = sr
                            yi[outBase + q * span] = si
                        }
                    }
                }
            }
        }
    }
}
