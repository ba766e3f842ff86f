/// Vectorised `exp` and `erf` for the transformer's element-wise steps (softmax, GELU).
///
/// The encoder evaluates about 54 million exponentials and 9 million error functions per 30 s window
/// (tiny.en); glibc's scalar `expf`/`erff` would take longer than the matrix products. These work on eight
/// lanes at a time with polynomial approximations: `exp` has a relative error below 2e-7 over the range the
/// softmax uses, `erf` an absolute error below 1.5e-7 (Abramowitz & Stegun 7.1.26), both far below float32
/// noise in the results.
enum VectorMath {
    typealias Vector = SIMD8<Float>

    /// True in optimised builds. Debug builds (`swift test` without `-c release`) leave Swift's SIMD types
    /// unoptimised, about a hundred times slower than release, so the row kernels there call libm's scalar
    /// `expf`/`erff` instead, which keeps a debug transcription of one window within seconds. The SIMD functions
    /// themselves are still compiled and unit-tested in debug builds.
    #if DEBUG
    static let isVectorised = false
    #else
    static let isVectorised = true
    #endif

    /// e^x for each lane; inputs below -87 give 0 (or a denormal-free tiny value), above 88 give about 1.6e38.
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        // Clamp with compare-and-select: `clamped(lowerBound:upperBound:)` compiles to out-of-line calls here.
        var x = input.replacing(with: -87.33, where: input .< -87.33)
        x = x.replacing(with: 88.37, where: x .> 88.37)
        // n = round(x / ln 2) through the 1.5·2^23 trick, which needs no rounding instruction.
        let magic = Vector(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        // r = x - n ln 2, in two parts for accuracy; |r| <= ln2 / 2.
        var r = x - n * 0.693_145_75
        r = r - n * 1.428_606_8e-6
        // e^r by a degree-6 polynomial (Taylor coefficients, minimax-adjusted tail).
        var p = Vector(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // 2^n from the integer in the low mantissa bits of `shifted`.
        let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((bits &+ 127) &<< 23, to: Vector.self)
        return p * scale
    }

    /// erf(x) for each lane.
    @inline(__always)
    static func erf(_ x: Vector) -> Vector {
        let a = x.replacing(with: -x, where: x .< 0)
        let t = 1 / (1 + 0.327_591_1 * a)
        var y = Vector(repeating: 1.061_405_429)
        y = y * t - 1.453_152_027
        y = y * t + 1.421_413_741
        y = y * t - 0.284_496_736
        y = y * t + 0.254_829_592
        y = y * t
        let result = 1 - y * Self.exp(-(a * a))
        return result.replacing(with: -result, where: x .< 0)
    }

    /// Exact GELU, 0.5·x·(1 + erf(x/√2)), as Whisper and CTranslate2 define it.
    @inline(__always)
    static func gelu(_ x: Vector) -> Vector {
        0.5 * x * (1 + erf(x * 0.707_106_78))
    }

    /// Scalar versions for the tails of rows whose length is not a multiple of eight.
    @inline(__always)
    static func exp(_ x: Float) -> Float { exp(Vector(repeating: x))[0] }

    @inline(__always)
    static func gelu(_ x: Float) -> Float { gelu(Vector(repeating: x))[0] }
}
