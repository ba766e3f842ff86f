/// Pillow's `Image.resize(..., resample=Image.BILINEAR)`: a triangle filter whose support widens with the
/// shrink factor, so shrinking averages instead of aliasing (unlike OpenCV's bilinear).
///
/// Follows Pillow's `Resample.c`: double-precision coefficients normalised per output sample, converted to
/// 22-bit fixed point (`PRECISION_BITS = 32 - 8 - 2`), a horizontal pass rounded to 8 bits, then a vertical
/// pass. The open_nsfw classifier was run on images resized this way (notes/vision-models.md, section 5).
enum PillowBilinear {
    /// Pillow's `PRECISION_BITS` for 8-bit images.
    static let precisionBits = 22

    /// One output sample: the first source index and its fixed-point coefficients.
    struct Kernel {
        var start: Int
        var coefficients: [Int32]
    }

    /// Pillow's `precompute_coeffs` for the bilinear filter (support 1), then `normalize_coeffs_8bpc`.
    static func kernels(source: Int, destination: Int) -> [Kernel] {
        let scale = Double(source) / Double(destination)
        let filterScale = max(scale, 1)
        let support = 1.0 * filterScale
        let inverseScale = 1.0 / filterScale
        return (0..<destination).map { d in
            // The same operations in the same order as Pillow's C (floating point is not associative).
            let center = 0 + (Double(d) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let last = min(Int(center + support + 0.5), source)
            var weights: [Double] = []
            var total = 0.0
            if last > first {
                for x in first..<last {
                    let t = abs((Double(x) - center + 0.5) * inverseScale)
                    let weight = t < 1 ? 1 - t : 0
                    weights.append(weight)
                    total += weight
                }
            }
            let unit = Double(1 << precisionBits)
            let coefficients = weights.map { w -> Int32 in
                let normalised = total != 0 ? w / total : w
                return Int32(normalised < 0 ? -0.5 + normalised * unit : 0.5 + normalised * unit)
            }
            return Kernel(start: first, coefficients: coefficients)
        }
    }

    @inline(__always)
    static func clip8(_ sum: Int32) -> UInt8 {
        UInt8(clamping: sum >> Int32(precisionBits))
    }

    /// Resizes packed 8-bit pixels with `channels` interleaved channels.
    static func resize(_ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int,
                       toWidth outWidth: Int, height outHeight: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        let half = Int32(1) << Int32(precisionBits - 1)
        // Horizontal pass over every source row (Pillow limits it to the rows the vertical pass needs, which
        // is every row unless a crop box is given).
        var horizontal = [UInt8](repeating: 0, count: outWidth * height * channels)
        let columns = kernels(source: width, destination: outWidth)
        for y in 0..<height {
            let base = y * width * channels
            for (x, kernel) in columns.enumerated() {
                for c in 0..<channels {
                    var sum = half
                    for (k, coefficient) in kernel.coefficients.enumerated() {
                        sum &+= Int32(source[base + (kernel.start + k) * channels + c]) &* coefficient
                    }
                    horizontal[(y * outWidth + x) * channels + c] = clip8(sum)
                }
            }
        }
        let rows = kernels(source: height, destination: outHeight)
        let rowLength = outWidth * channels
        for (y, kernel) in rows.enumerated() {
            for i in 0..<rowLength {
                var sum = half
                for (k, coefficient) in kernel.coefficients.enumerated() {
                    sum &+= Int32(horizontal[(kernel.start + k) * rowLength + i]) &* coefficient
                }
                output[y * rowLength + i] = clip8(sum)
            }
        }
    }
}
