import Foundation
import MedleyCore

/// The DFT of a real signal of any length n: `n/2 + 1` bins `X[k] = Σ_j x[j]·e^(−2πi·jk/n)`, unscaled (numpy's
/// `rfft`).
///
/// Lengths `4·2^k·m` (m = 1, 3, 5, 7, 9 or 15; at least 16) run through FFmpeg's `av_tx` real transform
/// (hand-written SIMD assembly, 3-7× faster than our Swift code for these lengths), after a plan-time check against
/// our own transform on a test vector; its input buffer is zero-padded past n, which av_tx reads.
/// Every other length runs Medley's own code: even lengths as a complex FFT of n/2 points on the even/odd samples
/// packed as real/imaginary parts, followed by the usual split step; odd lengths as a complex FFT of n points (see
/// ``ComplexFFT``: mixed radix, Bluestein for large prime factors). FFmpeg 5.1's `av_tx` is O(n²) for lengths
/// with other factors and returns wrong values for lengths `2·odd` (2, 6, 10, 30, ...), so it is not used there;
/// `bench/RESULTS.md` has the measurements.
///
/// Threading: an instance owns scratch memory and is not thread-safe; create one per task (planning is cheap
/// next to a file's worth of transforms).
public final class RealFFT {
    /// The number of real input samples.
    public let length: Int
    /// The number of output bins, `length/2 + 1`.
    public var binCount: Int { length / 2 + 1 }

    private let complex: ComplexFFT
    private let packed: Bool
    /// FFmpeg's transform for power-of-two lengths, when it passed the plan-time check.
    private var accelerated: FFmpegRealTransform?
    /// The smallest length handed to `av_tx`.
    static let smallestAcceleratedLength = 16

    /// Lengths for which FFmpeg 5.1's real transform has fast codelets and gave correct results in our checks:
    /// `4·2^k·m` with m in {1, 3, 5, 7, 9, 15}. Lengths `2·odd` come out wrong, other factors run an O(n²) DFT.
    static func ffmpegHandlesWell(_ n: Int) -> Bool {
        guard n >= smallestAcceleratedLength, n % 4 == 0 else { return false }
        var odd = n
        while odd % 2 == 0 { odd /= 2 }
        return [1, 3, 5, 7, 9, 15].contains(odd)
    }
    private var workReal: [Float]
    private var workImaginary: [Float]
    /// A windowed frame, for ``power(_:window:into:scratch:)`` when FFmpeg's transform is not used.
    private var windowed: [Float]
    /// `e^(−2πi·k/n)` for the split step, k = 0...n/2.
    private let splitReal: [Float]
    private let splitImaginary: [Float]

    /// Plans a transform of `length` real samples (≥ 1).
    public convenience init(length: Int) throws {
        try self.init(length: length, allowFFmpeg: true)
    }

    /// Plans a transform; `allowFFmpeg: false` forces Medley's own code (for tests and measurements).
    init(length: Int, allowFFmpeg: Bool) throws {
        guard length >= 1 else { throw MedleyError.invalidArgument("FFT length must be at least 1, got \(length)") }
        self.length = length
        packed = length % 2 == 0 && length >= 2
        let complexLength = packed ? length / 2 : length
        complex = try ComplexFFT(length: complexLength)
        workReal = [Float](repeating: 0, count: complexLength)
        workImaginary = [Float](repeating: 0, count: complexLength)
        windowed = [Float](repeating: 0, count: length)
        var sr = [Float](), si = [Float]()
        if packed {
            sr.reserveCapacity(length / 2 + 1)
            si.reserveCapacity(length / 2 + 1)
            for k in 0...(length / 2) {
                let angle = -2 * Double.pi * Double(k) / Double(length)
                sr.append(Float(cos(angle)))
                si.append(Float(sin(angle)))
            }
        }
        splitReal = sr
        splitImaginary = si
        accelerated = nil
        if allowFFmpeg && Self.ffmpegHandlesWell(length),
           let candidate = try? FFmpegRealTransform(length: length), agrees(candidate) {
            accelerated = candidate
        }
    }

    /// Whether FFmpeg's transform matches ours (relative error below 1e-4) on a deterministic test vector.
    private func agrees(_ candidate: FFmpegRealTransform) -> Bool {
        var state: UInt32 = 12345
        let x = (0..<length).map { _ -> Float in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 24) - 0.5
        }
        let (re, im) = forward(x)
        let theirs = x.withUnsafeBufferPointer { candidate.forward($0.baseAddress!) }
        var error: Float = 0, scale: Float = 0
        for k in 0..<binCount {
            error = max(error, abs(theirs[2 * k] - re[k]) + abs(theirs[2 * k + 1] - im[k]))
            scale = max(scale, abs(re[k]) + abs(im[k]))
        }
        return error <= 1e-4 * max(scale, 1)
    }

    /// Transforms `length` samples at `input` into `binCount` values at `real` and `imaginary`.
    public func forward(_ input: UnsafePointer<Float>, real: UnsafeMutablePointer<Float>,
                        imaginary: UnsafeMutablePointer<Float>) {
        if let accelerated {
            let out = accelerated.forward(input)
            for k in 0..<binCount {
                real[k] = out[2 * k]
                imaginary[k] = out[2 * k + 1]
            }
            return
        }
        workReal.withUnsafeMutableBufferPointer { wrBuffer in
            workImaginary.withUnsafeMutableBufferPointer { wiBuffer in
                let zr = wrBuffer.baseAddress!, zi = wiBuffer.baseAddress!
                if !packed {
                    for j in 0..<length { zr[j] = input[j]; zi[j] = 0 }
                    complex.forward(real: zr, imaginary: zi)
                    for k in 0..<binCount { real[k] = zr[k]; imaginary[k] = zi[k] }
                    return
                }
                let half = length / 2
                for j in 0..<half {
                    zr[j] = input[2 * j]
                    zi[j] = input[2 * j + 1]
                }
                complex.forward(real: zr, imaginary: zi)
                splitReal.withUnsafeBufferPointer { swrBuffer in
                    splitImaginary.withUnsafeBufferPointer { swiBuffer in
                        let wr = swrBuffer.baseAddress!, wi = swiBuffer.baseAddress!
                        // k = 0 and k = n/2 from Z[0] alone.
                        real[0] = zr[0] + zi[0]; imaginary[0] = 0
                        real[half] = zr[0] - zi[0]; imaginary[half] = 0
                        if half < 2 { return }
                        for k in 1..<half {
                            let ar = zr[k], ai = zi[k]
                            let br = zr[half - k], bi = -zi[half - k]
                            let er = 0.5 * (ar + br), ei = 0.5 * (ai + bi)
                            let or = 0.5 * (ai - bi), oi = -0.5 * (ar - br)
                            real[k] = er + wr[k] * or - wi[k] * oi
                            imaginary[k] = ei + wr[k] * oi + wi[k] * or
                        }
                    }
                }
            }
        }
    }

    /// The power spectrum `|X[k]|²` of `length` samples at `input`, written to `binCount` values at `power`.
    ///
    /// `scratch` must hold at least `2·binCount` floats; it is overwritten.
    public func power(_ input: UnsafePointer<Float>, into power: UnsafeMutablePointer<Float>,
                      scratch: UnsafeMutablePointer<Float>) {
        let bins = binCount
        if let accelerated {
            Self.power(interleaved: accelerated.forward(input), count: bins, into: power)
            return
        }
        forward(input, real: scratch, imaginary: scratch + bins)
        for k in 0..<bins {
            let re = scratch[k], im = scratch[bins + k]
            power[k] = re * re + im * im
        }
    }

    /// The power spectrum of the windowed frame `input[i]·window[i]` (i < `length`), written to `binCount` values at
    /// `power`. Through FFmpeg's transform the product goes straight into its input buffer (the STFT's hot path).
    ///
    /// `scratch` must hold at least `2·binCount` floats; it is overwritten.
    public func power(_ input: UnsafePointer<Float>, window: UnsafePointer<Float>,
                      into power: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        if let accelerated {
            Self.power(interleaved: accelerated.forward(input, window: window), count: binCount, into: power)
            return
        }
        // Medley's own transform: the frame is windowed into a buffer of ours (the scratch receives the output).
        windowed.withUnsafeMutableBufferPointer { w in
            for i in 0..<length { w[i] = input[i] * window[i] }
            self.power(w.baseAddress!, into: power, scratch: scratch)
        }
    }

    /// `|X[k]|²` from interleaved (re, im) pairs, four bins per step.
    private static func power(interleaved out: UnsafePointer<Float>, count: Int,
                              into power: UnsafeMutablePointer<Float>) {
        var k = 0
        while k + 4 <= count {
            let v = UnsafeRawPointer(out + 2 * k).loadUnaligned(as: SIMD8<Float>.self)
            let re = v.evenHalf, im = v.oddHalf
            UnsafeMutableRawPointer(power + k).storeBytes(of: re * re + im * im, as: SIMD4<Float>.self)
            k += 4
        }
        while k < count {
            power[k] = out[2 * k] * out[2 * k] + out[2 * k + 1] * out[2 * k + 1]
            k += 1
        }
    }

    /// Array convenience: the spectrum of `input` (which must have `length` samples).
    public func forward(_ input: [Float]) -> (real: [Float], imaginary: [Float]) {
        precondition(input.count == length, "RealFFT: input has \(input.count) samples, expected \(length)")
        var re = [Float](repeating: 0, count: binCount), im = re
        input.withUnsafeBufferPointer { x in
            re.withUnsafeMutableBufferPointer { r in
                im.withUnsafeMutableBufferPointer { i in forward(x.baseAddress!, real: r.baseAddress!, imaginary: i.baseAddress!) }
            }
        }
        return (re, im)
    }
}

@available(*, unavailable, message: "a RealFFT owns scratch memory; use one per task")
extension RealFFT: Sendable {}
