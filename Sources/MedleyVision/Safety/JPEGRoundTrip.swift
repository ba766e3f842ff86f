import MedleyCore

/// What a baseline JPEG encode and decode does to an RGB picture, without the file in between: libjpeg-turbo's
/// lossy steps, integer for integer.
///
/// open_nsfw's scores depend on the compression artefacts of the JPEG round trip its pre-processing does with
/// Pillow (quality 75, 4:2:0): without it astronaut.png scores 0.0152 instead of 0.0317 (notes/vision-models.md,
/// section 5). Only the lossy part of JPEG changes pixels; the entropy coding in between is lossless, so it is
/// skipped. The steps are libjpeg-turbo's defaults, which Pillow uses:
/// RGB to YCbCr (jccolor.c), 2x2 chroma averaging with alternating rounding bias (jcsample.c `h2v2_downsample`),
/// the "slow integer" forward DCT (jfdctint.c), quantisation by reciprocal multiplication (jcdctmgr.c), the
/// integer inverse DCT with its range-limit table (jidctint.c, jdmaster.c), "fancy" triangle-filter chroma
/// upsampling (jdsample.c `h2v2_fancy_upsample`) and YCbCr to RGB (jdcolor.c).
enum JPEGRoundTrip {
    /// The quantisation tables of ITU-T T.81 Annex K (libjpeg's `std_luminance_quant_tbl` and
    /// `std_chrominance_quant_tbl`), in natural order.
    static let luminanceTable: [Int] = [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ]
    static let chrominanceTable: [Int] = [
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
    ] + [Int](repeating: 99, count: 32)

    /// The picture after being saved as a baseline JPEG with 4:2:0 chroma at `quality` (1-100, libjpeg's scale)
    /// and decoded again, as Pillow's `save(format="JPEG", quality=...)` and `Image.open(...).convert("RGB")` do.
    static func apply(to image: Image, quality: Int) -> Image {
        let rgb = image.converted(to: .rgb8)
        let width = rgb.width, height = rgb.height
        guard width > 0, height > 0 else { return rgb }
        // Columns are repeated up to whole MCUs before downsampling (jcsample.c `expand_right_edge`); rows only up to
        // an even count, and the downsampled planes are then filled to whole blocks by repeating their own last row
        // (jcprepct.c `expand_bottom_edge`), which is not the same as downsampling repeated full-size rows.
        let paddedWidth = (width + 15) / 16 * 16, paddedHeight = (height + 15) / 16 * 16
        let evenHeight = (height + 1) / 2 * 2
        var y = [Int](repeating: 0, count: paddedWidth * paddedHeight)
        var cb = [Int](repeating: 0, count: paddedWidth * evenHeight), cr = cb
        for row in 0..<paddedHeight {
            let sourceRow = min(row, height - 1)
            for column in 0..<paddedWidth {
                let o = (sourceRow * width + min(column, width - 1)) * 3
                let converted = Self.ycc(Int(rgb.pixels[o]), Int(rgb.pixels[o + 1]), Int(rgb.pixels[o + 2]))
                y[row * paddedWidth + column] = converted.0
                if row < evenHeight {
                    cb[row * paddedWidth + column] = converted.1
                    cr[row * paddedWidth + column] = converted.2
                }
            }
        }
        let chromaWidth = paddedWidth / 2, chromaHeight = paddedHeight / 2
        func chroma(_ plane: [Int]) -> [Int] {
            var small = downsample(plane, width: paddedWidth, height: evenHeight)
            let lastRow = Array(small[((evenHeight / 2 - 1) * chromaWidth)...])
            while small.count < chromaWidth * chromaHeight { small += lastRow }
            return small
        }
        let smallCb = chroma(cb), smallCr = chroma(cr)
        let luminance = quantTable(luminanceTable, quality: quality)
        let chrominance = quantTable(chrominanceTable, quality: quality)
        let decodedY = roundTripBlocks(y, width: paddedWidth, height: paddedHeight, table: luminance)
        let decodedCb = roundTripBlocks(smallCb, width: chromaWidth, height: chromaHeight, table: chrominance)
        let decodedCr = roundTripBlocks(smallCr, width: chromaWidth, height: chromaHeight, table: chrominance)
        // Upsampling sees only the real chroma samples: ceil(size / 2) of them.
        let realChromaWidth = (width + 1) / 2, realChromaHeight = (height + 1) / 2
        let fullCb = upsample(decodedCb, stride: chromaWidth, width: realChromaWidth, height: realChromaHeight)
        let fullCr = upsample(decodedCr, stride: chromaWidth, width: realChromaWidth, height: realChromaHeight)
        let fullWidth = realChromaWidth * 2
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for row in 0..<height {
            for column in 0..<width {
                let l = decodedY[row * paddedWidth + column]
                let b = fullCb[row * fullWidth + column], r = fullCr[row * fullWidth + column]
                let o = (row * width + column) * 3
                out[o] = clamp(l + ColorTables.crToR[r])
                out[o + 1] = clamp(l + ((ColorTables.cbToG[b] + ColorTables.crToG[r]) >> scaleBits))
                out[o + 2] = clamp(l + ColorTables.cbToB[b])
            }
        }
        return Image(width: width, height: height, format: .rgb8, pixels: out)
    }

    // MARK: - Colour conversion (jccolor.c, jdcolor.c; SCALEBITS = 16)

    static let scaleBits = 16
    static let oneHalf = 1 << 15
    /// libjpeg's `FIX(x)`: x in 16.16 fixed point, rounded.
    static func fix(_ x: Double) -> Int { Int(x * 65536 + 0.5) }

    static func ycc(_ r: Int, _ g: Int, _ b: Int) -> (Int, Int, Int) {
        let offset = 128 << scaleBits
        let y = (fix(0.29900) * r + fix(0.58700) * g + fix(0.11400) * b + oneHalf) >> scaleBits
        let cb = (-fix(0.16874) * r - fix(0.33126) * g + fix(0.5) * b + offset + oneHalf - 1) >> scaleBits
        let cr = (fix(0.5) * r - fix(0.41869) * g - fix(0.08131) * b + offset + oneHalf - 1) >> scaleBits
        return (y, cb, cr)
    }

    /// jdcolor.c's `build_ycc_rgb_table`.
    enum ColorTables {
        static let crToR: [Int] = (0..<256).map { (fix(1.40200) * ($0 - 128) + oneHalf) >> scaleBits }
        static let cbToB: [Int] = (0..<256).map { (fix(1.77200) * ($0 - 128) + oneHalf) >> scaleBits }
        static let crToG: [Int] = (0..<256).map { -fix(0.71414) * ($0 - 128) }
        static let cbToG: [Int] = (0..<256).map { -fix(0.34414) * ($0 - 128) + oneHalf }
    }

    static func clamp(_ v: Int) -> UInt8 { UInt8(min(max(v, 0), 255)) }

    // MARK: - Chroma resampling

    /// `h2v2_downsample`: each 2x2 block averaged, the rounding bias alternating 1, 2, 1, 2 along a row.
    static func downsample(_ plane: [Int], width: Int, height: Int) -> [Int] {
        let outWidth = width / 2, outHeight = height / 2
        var out = [Int](repeating: 0, count: outWidth * outHeight)
        for row in 0..<outHeight {
            var bias = 1
            for column in 0..<outWidth {
                let a = (2 * row) * width + 2 * column, b = a + width
                out[row * outWidth + column] = (plane[a] + plane[a + 1] + plane[b] + plane[b + 1] + bias) >> 2
                bias ^= 3
            }
        }
        return out
    }

    /// `h2v2_fancy_upsample`: the triangle filter, weights 9/16, 3/16, 3/16, 1/16 from the nearest samples, with the
    /// edge rows repeated above and below. Returns `2 * width` x `2 * height` samples.
    static func upsample(_ plane: [Int], stride: Int, width: Int, height: Int) -> [Int] {
        let outWidth = 2 * width
        var out = [Int](repeating: 0, count: outWidth * 2 * height)
        for row in 0..<height {
            for v in 0..<2 {
                let near = row * stride
                let farRow = v == 0 ? max(row - 1, 0) : min(row + 1, height - 1)
                let far = farRow * stride
                let outRow = (2 * row + v) * outWidth
                func sum(_ column: Int) -> Int { plane[near + column] * 3 + plane[far + column] }
                if width == 1 {
                    let s = sum(0)
                    out[outRow] = (s * 4 + 8) >> 4
                    out[outRow + 1] = (s * 4 + 7) >> 4
                    continue
                }
                var this = sum(0), next = sum(1), last = this
                out[outRow] = (this * 4 + 8) >> 4
                out[outRow + 1] = (this * 3 + next + 7) >> 4
                last = this
                this = next
                for column in 1..<(width - 1) {
                    next = sum(column + 1)
                    out[outRow + 2 * column] = (this * 3 + last + 8) >> 4
                    out[outRow + 2 * column + 1] = (this * 3 + next + 7) >> 4
                    last = this
                    this = next
                }
                out[outRow + 2 * (width - 1)] = (this * 3 + last + 8) >> 4
                out[outRow + 2 * (width - 1) + 1] = (this * 4 + 7) >> 4
            }
        }
        return out
    }

    // MARK: - Quantisation

    /// `jpeg_set_quality` with `force_baseline`: the Annex K table scaled by 5000/q (q < 50) or 200 - 2q, values
    /// rounded and limited to 1...255.
    static func quantTable(_ basic: [Int], quality: Int) -> [Int] {
        let q = min(max(quality, 1), 100)
        let scale = q < 50 ? 5000 / q : 200 - q * 2
        return basic.map { min(max(($0 * scale + 50) / 100, 1), 255) }
    }

    /// One 8x8 block's coefficients quantised: libjpeg-turbo divides by multiplying with a 16-bit reciprocal
    /// (`compute_reciprocal`; the SIMD builds keep DCT values in 16 bits), which it makes agree with rounded
    /// division.
    struct Divisor {
        let reciprocal: Int, correction: Int, shift: Int

        init(_ quant: Int) {
            let divisor = quant << 3  // the slow-integer DCT's outputs are 8 times too large
            if divisor == 1 {
                reciprocal = 1; correction = 0; shift = 0
                return
            }
            var r = 16 + (Int.bitWidth - divisor.leadingZeroBitCount - 1)
            var fq = (1 << r) / divisor
            let fr = (1 << r) % divisor
            var c = divisor / 2
            if fr == 0 {
                fq >>= 1
                r -= 1
            } else if fr <= divisor / 2 {
                c += 1
            } else {
                fq += 1
            }
            reciprocal = fq & 0xFFFF
            correction = c & 0xFFFF
            shift = r
        }

        func quantise(_ value: Int) -> Int {
            let magnitude = ((abs(value) + correction) & 0xFFFF) * reciprocal
            let quotient = magnitude >> shift
            return value < 0 ? -quotient : quotient
        }
    }

    /// Every 8x8 block through forward DCT, quantisation, dequantisation and inverse DCT.
    static func roundTripBlocks(_ plane: [Int], width: Int, height: Int, table: [Int]) -> [Int] {
        let divisors = table.map(Divisor.init)
        var out = [Int](repeating: 0, count: plane.count)
        var block = [Int](repeating: 0, count: 64)
        for top in stride(from: 0, to: height, by: 8) {
            for left in stride(from: 0, to: width, by: 8) {
                for r in 0..<8 {
                    for c in 0..<8 { block[r * 8 + c] = plane[(top + r) * width + left + c] - 128 }
                }
                IntegerDCT.forward(&block)
                for i in 0..<64 { block[i] = divisors[i].quantise(block[i]) * table[i] }
                IntegerDCT.inverse(&block)
                for r in 0..<8 {
                    for c in 0..<8 { out[(top + r) * width + left + c] = block[r * 8 + c] }
                }
            }
        }
        return out
    }
}
