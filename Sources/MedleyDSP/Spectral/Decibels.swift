import Foundation

/// librosa's `power_to_db`: `10·log10(max(amin, S)) − 10·log10(max(amin, ref))`, then, with `topDB`, a floor at
/// (the maximum of the **whole** array) − `topDB`.
///
/// The floor couples every frame to the global maximum, which a stream only knows at its end. Medley's
/// analysers therefore convert each frame with ``decibels(_:count:)`` as it arrives, track the maximum, and
/// apply ``floor(_:count:maximum:)`` once the stream has ended (keeping the unfloored frames in a
/// ``FrameStore``, which spills to a temporary file past a memory bound).
public struct PowerToDecibels: Sendable {
    /// Reference power (librosa `ref=1.0`).
    public var reference: Float
    /// Smallest power considered (librosa `amin=1e-10`).
    public var minimum: Float
    /// Dynamic range kept below the global maximum (librosa `top_db=80`); nil for no floor.
    public var topDB: Float?

    /// librosa's defaults: ref 1, amin 1e-10, top_db 80.
    public init(reference: Float = 1, minimum: Float = 1e-10, topDB: Float? = 80) {
        self.reference = reference
        self.minimum = minimum
        self.topDB = topDB
    }

    /// Converts `count` powers in place to dB (without the top-dB floor) and returns their maximum.
    ///
    /// Eight values at a time through ``VectorLog`` (a NaN power counts as `minimum`, as `max(minimum, x)` does,
    /// and an infinite one gives +∞), the last `count % 8` through `log10`.
    @discardableResult
    public func decibels(_ values: UnsafeMutablePointer<Float>, count: Int) -> Float {
        let offset = 10 * log10(max(minimum, reference))
        var maximum = -Float.infinity
        if minimum >= .leastNormalMagnitude {
            var lanesMaximum = SIMD8<Float>(repeating: -.infinity)
            let floorLanes = SIMD8<Float>(repeating: minimum)
            let largest = SIMD8<Float>(repeating: .greatestFiniteMagnitude)
            var i = 0
            while i + 8 <= count {
                let raw = UnsafeMutableRawPointer(values + i)
                let loaded = raw.loadUnaligned(as: SIMD8<Float>.self)
                // Written as "keep x where x ≥ minimum" so that NaN lanes take the minimum.
                let x = floorLanes.replacing(with: loaded, where: loaded .>= floorLanes)
                var db = VectorLog.tenLog10(x) - offset
                db = db.replacing(with: .infinity, where: x .> largest)
                raw.storeBytes(of: db, as: SIMD8<Float>.self)
                lanesMaximum = lanesMaximum.replacing(with: db, where: db .> lanesMaximum)
                i += 8
            }
            maximum = lanesMaximum.max()
            for j in i..<count { maximum = max(maximum, scalarDecibels(values, j, offset)) }
        } else {
            for j in 0..<count { maximum = max(maximum, scalarDecibels(values, j, offset)) }
        }
        return maximum
    }

    private func scalarDecibels(_ values: UnsafeMutablePointer<Float>, _ i: Int, _ offset: Float) -> Float {
        let db = 10 * log10(max(minimum, values[i])) - offset
        values[i] = db
        return db
    }

    /// Applies the top-dB floor relative to `maximum` (the global maximum of the dB values).
    public func floor(_ values: UnsafeMutablePointer<Float>, count: Int, maximum: Float) {
        guard let topDB else { return }
        let bottom = maximum - topDB
        let bottomLanes = SIMD8<Float>(repeating: bottom)
        var i = 0
        while i + 8 <= count {
            let raw = UnsafeMutableRawPointer(values + i)
            var x = raw.loadUnaligned(as: SIMD8<Float>.self)
            x = x.replacing(with: bottomLanes, where: x .< bottomLanes)
            raw.storeBytes(of: x, as: SIMD8<Float>.self)
            i += 8
        }
        for j in i..<count where values[j] < bottom { values[j] = bottom }
    }
}

/// `10·log10(x)` for eight positive normal floats at a time, within about 2 ulp of `10·log10f(x)`.
///
/// x = m·2^e with m in [√½, √2): adding `1 − √½` (as bit patterns) to x carries into the exponent exactly when
/// the mantissa is at least √2, so e and m come from integer operations alone. Then `ln m = 2·atanh(s)` with
/// `s = (m − 1)/(m + 1)`, |s| ≤ 0.172, summed as `2s·(1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9)`: the first omitted term is
/// below 2·10⁻⁹ of the sum, under a float's resolution, so the series needs no fitted coefficients. Finally
/// `10·log10 x = 10·log10(2)·e + (10/ln 10)·ln m`. Written without lane-wise branches so it compiles to SSE.
enum VectorLog {
    /// `10·log10(2)`, dB per octave of power.
    static let decibelsPerOctave: Float = 3.0102999566398120
    /// `10/ln(10)`, dB per neper of power.
    static let decibelsPerNeper: Float = 4.3429448190325183
    /// Bit pattern of √½ as a float (0.70710677), and what it lacks to reach 1.0's pattern (0x3F800000).
    private static let halfRootBits: UInt32 = 0x3F35_04F3, toOneBits: UInt32 = 0x3F80_0000 - 0x3F35_04F3
    /// Float exponent bias and mantissa mask.
    private static let bias: Int32 = 127, mantissaMask: UInt32 = 0x007F_FFFF
    /// The atanh series' coefficients: `1/(2k + 1)` for the term in `s^(2k)`.
    private static let c3: Float = 1.0 / 3, c5: Float = 1.0 / 5, c7: Float = 1.0 / 7, c9: Float = 1.0 / 9

    /// `10·log10(x)`; every lane must be a positive, normal, finite float.
    @inline(__always)
    static func tenLog10(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self) &+ toOneBits
        let exponent = unsafeBitCast(bits &>> 23, to: SIMD8<Int32>.self) &- bias
        let m = unsafeBitCast((bits & mantissaMask) &+ halfRootBits, to: SIMD8<Float>.self)
        let s = (m - 1) / (m + 1)
        let z = s * s
        var series: SIMD8<Float> = z * c9 + c7
        series = series * z + c5
        series = series * z + c3
        series = series * z + 1
        let lnM = 2 * s * series
        return SIMD8<Float>(exponent) * decibelsPerOctave + decibelsPerNeper * lnM
    }
}
