import Foundation

/// A biquad section `y = b0·x + b1·x₋₁ + b2·x₋₂ − a1·y₋₁ − a2·y₋₂` in double precision (direct form I).
public struct Biquad: Sendable, Equatable {
    /// Feed-forward (b) and feedback (a, with a0 = 1) coefficients.
    public var b0: Double, b1: Double, b2: Double, a1: Double, a2: Double

    /// Creates a section from its coefficients (a0 = 1).
    public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        self.b0 = b0; self.b1 = b1; self.b2 = b2; self.a1 = a1; self.a2 = a2
    }
}

/// The K-weighting filter of ITU-R BS.1770-4 (a high shelf then a high pass), designed for any sample rate.
///
/// Both stages come from analogue prototypes through a prewarped bilinear transform, with the parameters that
/// ffmpeg's `ebur128` filter and libebur128 use; at 48 kHz they reproduce the standard's coefficient table to
/// every printed digit (`b = 1.53512486, −2.69169619, 1.19839281`, `a = −1.69065929, 0.73248077`; high pass
/// `a = −1.99004745, 0.99007225`). The state starts at zero.
public struct KWeightingFilter: Sendable {
    /// Stage 1: the high shelf modelling the head (BS.1770-4 Table 1).
    public let shelf: Biquad
    /// Stage 2: the RLB high pass (BS.1770-4 Table 2).
    public let highPass: Biquad

    // State of both stages.
    private var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0
    private var z1 = 0.0, z2 = 0.0

    /// Shelf centre frequency in Hz (libebur128 / ffmpeg `ebur128`).
    static let shelfFrequency = 1681.974450955533
    /// Shelf gain in dB.
    static let shelfGainDB = 3.999843853973347
    /// Shelf Q.
    static let shelfQ = 0.7071752369554196
    /// Exponent giving the shelf's mid-band gain `Vb = Vh^0.49966…`.
    static let shelfBandExponent = 0.4996667741545416
    /// High-pass corner frequency in Hz.
    static let highPassFrequency = 38.13547087602444
    /// High-pass Q.
    static let highPassQ = 0.5003270373238773

    /// Designs the filter for `sampleRate` Hz.
    public init(sampleRate: Double) {
        var k = tan(Double.pi * Self.shelfFrequency / sampleRate)
        let vh = pow(10, Self.shelfGainDB / 20)
        let vb = pow(vh, Self.shelfBandExponent)
        var a0 = 1 + k / Self.shelfQ + k * k
        shelf = Biquad(b0: (vh + vb * k / Self.shelfQ + k * k) / a0, b1: 2 * (k * k - vh) / a0,
                       b2: (vh - vb * k / Self.shelfQ + k * k) / a0,
                       a1: 2 * (k * k - 1) / a0, a2: (1 - k / Self.shelfQ + k * k) / a0)
        k = tan(Double.pi * Self.highPassFrequency / sampleRate)
        a0 = 1 + k / Self.highPassQ + k * k
        // The standard leaves the high pass's numerator unnormalised: b = [1, −2, 1].
        highPass = Biquad(b0: 1, b1: -2, b2: 1, a1: 2 * (k * k - 1) / a0, a2: (1 - k / Self.highPassQ + k * k) / a0)
    }

    /// Two channels at once (`first` reads `input[0]`, `second` reads `input[1]`, both every `stride` floats): the
    /// same arithmetic as ``sumOfSquares(_:stride:count:)`` in SIMD lanes, so the two recursions overlap.
    public static func sumOfSquares(_ first: inout KWeightingFilter, _ second: inout KWeightingFilter,
                                    _ input: UnsafePointer<Float>, stride: Int, count: Int) -> (Double, Double) {
        let s = first.shelf, h = first.highPass
        var x1 = SIMD2(first.x1, second.x1), x2 = SIMD2(first.x2, second.x2)
        var y1 = SIMD2(first.y1, second.y1), y2 = SIMD2(first.y2, second.y2)
        var z1 = SIMD2(first.z1, second.z1), z2 = SIMD2(first.z2, second.z2)
        var sum = SIMD2<Double>()
        let b0 = SIMD2(repeating: s.b0), b1 = SIMD2(repeating: s.b1), b2 = SIMD2(repeating: s.b2)
        let a1 = SIMD2(repeating: s.a1), a2 = SIMD2(repeating: s.a2)
        let c1 = SIMD2(repeating: h.a1), c2 = SIMD2(repeating: h.a2)
        var p = input
        for _ in 0..<count {
            let x = SIMD2(Double(p[0]), Double(p[1]))
            // The previous output's term last: the loop-carried chain is one multiply and one subtraction
            // (measured 146 ms against 185 ms for 10 minutes of stereo in the left-to-right order).
            let y = (b0 * x + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1
            let z = ((y + y2) - (y1 + y1) - c2 * z2) - c1 * z1
            x2 = x1; x1 = x
            y2 = y1; y1 = y
            z2 = z1; z1 = z
            sum += z * z
            p += stride
        }
        first.x1 = x1[0]; first.x2 = x2[0]; first.y1 = y1[0]; first.y2 = y2[0]; first.z1 = z1[0]; first.z2 = z2[0]
        second.x1 = x1[1]; second.x2 = x2[1]; second.y1 = y1[1]; second.y2 = y2[1]; second.z1 = z1[1]; second.z2 = z2[1]
        first.flushDenormals()
        second.flushDenormals()
        return (sum[0], sum[1])
    }

    private mutating func flushDenormals() {
        if abs(z1) < 1e-30 && abs(z2) < 1e-30 && abs(y1) < 1e-30 && abs(y2) < 1e-30 {
            z1 = 0; z2 = 0; y1 = 0; y2 = 0
        }
    }

    /// Filters `count` samples read every `stride` floats from `input` and returns the sum of the squared
    /// outputs (the quantity BS.1770 integrates).
    public mutating func sumOfSquares(_ input: UnsafePointer<Float>, stride: Int, count: Int) -> Double {
        let s = shelf, h = highPass
        var x1 = self.x1, x2 = self.x2, y1 = self.y1, y2 = self.y2, z1 = self.z1, z2 = self.z2
        var sum = 0.0
        var p = input
        for _ in 0..<count {
            let x = Double(p.pointee)
            let y = (s.b0 * x + s.b1 * x1 + s.b2 * x2 - s.a2 * y2) - s.a1 * y1
            // High pass with b = [1, −2, 1] on the shelf's output history (y, y1, y2).
            let z = ((y + y2) - (y1 + y1) - h.a2 * z2) - h.a1 * z1
            x2 = x1; x1 = x
            y2 = y1; y1 = y
            z2 = z1; z1 = z
            sum += z * z
            p += stride
        }
        self.x1 = x1; self.x2 = x2; self.y1 = y1; self.y2 = y2; self.z1 = z1; self.z2 = z2
        // Flush denormals that a long silence would otherwise leave in the state (slow on x86).
        flushDenormals()
        return sum
    }
}
