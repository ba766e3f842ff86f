/// libjpeg's "slow but accurate" integer 8x8 DCT pair (jfdctint.c and jidctint.c, Loeffler-Ligtenberg-Moschytz
/// with 13-bit constants), as libjpeg-turbo's default `JDCT_ISLOW` computes it.
enum IntegerDCT {
    static let constBits = 13
    static let pass1Bits = 2
    // FIX(x) = round(x * 2^13), libjpeg's precomputed values.
    static let fix0_298631336 = 2446
    static let fix0_390180644 = 3196
    static let fix0_541196100 = 4433
    static let fix0_765366865 = 6270
    static let fix0_899976223 = 7373
    static let fix1_175875602 = 9633
    static let fix1_501321110 = 12299
    static let fix1_847759065 = 15137
    static let fix1_961570560 = 16069
    static let fix2_053119869 = 16819
    static let fix2_562915447 = 20995
    static let fix3_072711026 = 25172

    @inline(__always)
    static func descale(_ x: Int, _ n: Int) -> Int { (x + (1 << (n - 1))) >> n }

    /// Forward DCT in place on level-shifted samples; outputs are scaled up by 8.
    static func forward(_ data: inout [Int]) {
        for pass in 0..<2 {
            for line in 0..<8 {
                // Rows first (stride 1), then columns (stride 8).
                let base = pass == 0 ? line * 8 : line
                let step = pass == 0 ? 1 : 8
                func d(_ i: Int) -> Int { data[base + i * step] }
                let tmp0 = d(0) + d(7), tmp7 = d(0) - d(7)
                let tmp1 = d(1) + d(6), tmp6 = d(1) - d(6)
                let tmp2 = d(2) + d(5), tmp5 = d(2) - d(5)
                let tmp3 = d(3) + d(4), tmp4 = d(3) - d(4)
                let tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3
                let tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2
                let evenShift = pass == 0 ? constBits - pass1Bits : constBits + pass1Bits
                if pass == 0 {
                    data[base] = (tmp10 + tmp11) << pass1Bits
                    data[base + 4 * step] = (tmp10 - tmp11) << pass1Bits
                } else {
                    data[base] = descale(tmp10 + tmp11, pass1Bits)
                    data[base + 4 * step] = descale(tmp10 - tmp11, pass1Bits)
                }
                let z1 = (tmp12 + tmp13) * fix0_541196100
                data[base + 2 * step] = descale(z1 + tmp13 * fix0_765366865, evenShift)
                data[base + 6 * step] = descale(z1 + tmp12 * -fix1_847759065, evenShift)
                var o1 = tmp4 + tmp7, o2 = tmp5 + tmp6, o3 = tmp4 + tmp6, o4 = tmp5 + tmp7
                let z5 = (o3 + o4) * fix1_175875602
                let t4 = tmp4 * fix0_298631336, t5 = tmp5 * fix2_053119869
                let t6 = tmp6 * fix3_072711026, t7 = tmp7 * fix1_501321110
                o1 *= -fix0_899976223
                o2 *= -fix2_562915447
                o3 = o3 * -fix1_961570560 + z5
                o4 = o4 * -fix0_390180644 + z5
                data[base + 7 * step] = descale(t4 + o1 + o3, evenShift)
                data[base + 5 * step] = descale(t5 + o2 + o4, evenShift)
                data[base + 3 * step] = descale(t6 + o2 + o3, evenShift)
                data[base + 1 * step] = descale(t7 + o1 + o4, evenShift)
            }
        }
    }

    /// Inverse DCT in place on dequantised coefficients; outputs are samples 0...255 after libjpeg's range limit
    /// (which wraps values far outside the range the way its lookup table does).
    static func inverse(_ data: inout [Int]) {
        var work = [Int](repeating: 0, count: 64)
        // Columns into the work array.
        for column in 0..<8 {
            func c(_ row: Int) -> Int { data[row * 8 + column] }
            let out = butterfly(c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7))
            for row in 0..<8 { work[row * 8 + column] = descale(out[row], constBits - pass1Bits) }
        }
        // Rows into samples.
        for row in 0..<8 {
            func w(_ column: Int) -> Int { work[row * 8 + column] }
            let out = butterfly(w(0), w(1), w(2), w(3), w(4), w(5), w(6), w(7))
            for column in 0..<8 { data[row * 8 + column] = rangeLimit(descale(out[column], constBits + pass1Bits + 3)) }
        }
    }

    /// The shared 1-D inverse butterfly, results before descaling.
    @inline(__always)
    private static func butterfly(_ x0: Int, _ x1: Int, _ x2: Int, _ x3: Int, _ x4: Int, _ x5: Int, _ x6: Int,
                                  _ x7: Int) -> [Int] {
        let z1 = (x2 + x6) * fix0_541196100
        let tmp2 = z1 + x6 * -fix1_847759065
        let tmp3 = z1 + x2 * fix0_765366865
        let tmp0 = (x0 + x4) << constBits, tmp1 = (x0 - x4) << constBits
        let tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2
        var o0 = x7, o1 = x5, o2 = x3, o3 = x1
        var z1o = o0 + o3, z2 = o1 + o2, z3 = o0 + o2, z4 = o1 + o3
        let z5 = (z3 + z4) * fix1_175875602
        o0 *= fix0_298631336
        o1 *= fix2_053119869
        o2 *= fix3_072711026
        o3 *= fix1_501321110
        z1o *= -fix0_899976223
        z2 *= -fix2_562915447
        z3 = z3 * -fix1_961570560 + z5
        z4 = z4 * -fix0_390180644 + z5
        o0 += z1o + z3
        o1 += z2 + z4
        o2 += z2 + z3
        o3 += z1o + z4
        return [tmp10 + o3, tmp11 + o2, tmp12 + o1, tmp13 + o0, tmp13 - o0, tmp12 - o1, tmp11 - o2, tmp10 - o3]
    }

    /// libjpeg's post-IDCT range limit: `idct_range_limit[v & 1023]` with the table of `prepare_range_limit_table`.
    @inline(__always)
    static func rangeLimit(_ value: Int) -> Int {
        let index = value & 1023
        switch index {
        case 0..<128: return index + 128
        case 128..<512: return 255
        case 512..<896: return 0
        default: return index - 896
        }
    }
}
