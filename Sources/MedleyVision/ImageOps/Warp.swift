import MedleyCore

/// How a warp reads the source between pixel centres.
public enum WarpInterpolation: Sendable, Equatable {
    /// 2x2 taps.
    case bilinear
    /// 4x4 taps of the Keys cubic kernel with a = -0.75 (OpenCV's `INTER_CUBIC`).
    case bicubic
}

/// What a warp reads outside the source image.
public enum WarpBorder: Sendable, Equatable {
    /// A constant byte for every channel (0: black, and transparent for RGBA).
    case constant(UInt8)
    /// The nearest edge pixel (OpenCV's `BORDER_REPLICATE`).
    case replicate
}

extension Image {
    /// A `width` x `height` picture whose pixel (x, y) is the source sampled at `sourceFromOutput.apply(x, y)`.
    ///
    /// Sampling is OpenCV's `warpPerspective`/`remap` for 8-bit images, in its fixed point: each source position
    /// is snapped to 1/32 pixel (rounded half to even), and the interpolation weights for that fraction are
    /// 15-bit integers from OpenCV's tables. MediaPipe's input warps (BlazeFace) and RapidOCR's text-line crops
    /// are made this way (notes/vision-models.md, sections 2.5 and 3).
    public func warped(sourceFromOutput map: Homography, width outWidth: Int, height outHeight: Int,
                       interpolation: WarpInterpolation = .bilinear, border: WarpBorder = .constant(0)) -> Image {
        let outWidth = max(0, outWidth), outHeight = max(0, outHeight)
        let channels = format.bytesPerPixel
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        guard width > 0, height > 0, outWidth > 0, outHeight > 0 else {
            return Image(width: outWidth, height: outHeight, format: format, pixels: out)
        }
        let taps = interpolation == .bilinear ? 2 : 4
        let table = interpolation == .bilinear ? RemapTables.bilinear : RemapTables.bicubic
        let before = interpolation == .bilinear ? 0 : 1  // taps left of / above the base pixel
        let constant: Int32
        let replicate: Bool
        switch border {
        case .constant(let value): constant = Int32(value); replicate = false
        case .replicate: constant = 0; replicate = true
        }
        let m = map.m
        let scale = Double(RemapTables.fractionSteps)
        pixels.withUnsafeBufferPointer { src in
            table.withUnsafeBufferPointer { weights in
                out.withUnsafeMutableBufferPointer { dst in
                    var sums = [Int32](repeating: 0, count: channels)
                    for y in 0..<outHeight {
                        let yd = Double(y)
                        for x in 0..<outWidth {
                            let xd = Double(x)
                            var w = m[6] * xd + m[7] * yd + m[8]
                            w = w != 0 ? scale / w : 0
                            let fx = min(max((m[0] * xd + m[1] * yd + m[2]) * w, Double(Int32.min)), Double(Int32.max))
                            let fy = min(max((m[3] * xd + m[4] * yd + m[5]) * w, Double(Int32.min)), Double(Int32.max))
                            let sx = Int(fx.rounded(.toNearestOrEven)), sy = Int(fy.rounded(.toNearestOrEven))
                            let baseX = (sx >> RemapTables.fractionBits) - before
                            let baseY = (sy >> RemapTables.fractionBits) - before
                            let entry = ((sy & (RemapTables.fractionSteps - 1)) * RemapTables.fractionSteps
                                + (sx & (RemapTables.fractionSteps - 1))) * taps * taps
                            for c in 0..<channels { sums[c] = 0 }
                            for i in 0..<taps {
                                var row = baseY + i
                                let rowInside = row >= 0 && row < height
                                if !rowInside && replicate { row = min(max(row, 0), height - 1) }
                                for j in 0..<taps {
                                    let weight = Int32(weights[entry + i * taps + j])
                                    var column = baseX + j
                                    let inside = rowInside && column >= 0 && column < width
                                    if inside || replicate {
                                        column = min(max(column, 0), width - 1)
                                        let offset = row * stride + column * channels
                                        for c in 0..<channels { sums[c] &+= weight &* Int32(src[offset + c]) }
                                    } else {
                                        for c in 0..<channels { sums[c] &+= weight &* constant }
                                    }
                                }
                            }
                            let o = (y * outWidth + x) * channels
                            for c in 0..<channels {
                                dst[o + c] = UInt8(clamping: (sums[c] &+ RemapTables.half) >> RemapTables.weightBits)
                            }
                        }
                    }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, format: format, pixels: out)
    }
}

/// OpenCV's interpolation tables for `remap` on 8-bit images (`initInterTab2D` in imgproc/imgwarp.cpp).
enum RemapTables {
    /// OpenCV's `INTER_BITS`: source positions are snapped to 1/32 pixel.
    static let fractionBits = 5
    static let fractionSteps = 1 << fractionBits
    /// OpenCV's `INTER_REMAP_COEF_BITS`: weights sum to 2^15.
    static let weightBits: Int32 = 15
    static let half: Int32 = 1 << (weightBits - 1)

    /// For each (y fraction, x fraction): 2x2 weights, row-major.
    static let bilinear: [Int16] = table(taps: 2) { x in [1 - x, x] }

    /// For each (y fraction, x fraction): 4x4 weights of the Keys kernel, a = -0.75 (OpenCV's `interpolateCubic`).
    static let bicubic: [Int16] = table(taps: 4) { x in
        let a: Float = -0.75
        let c0 = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a
        let c1 = ((a + 2) * x - (a + 3)) * x * x + 1
        let c2 = ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1
        return [c0, c1, c2, 1 - c0 - c1 - c2]
    }

    /// Builds a 2-D table from 1-D float coefficients the way OpenCV does: float outer products rounded half to
    /// even to 15 bits, and when they do not sum to 2^15, the error moved onto one weight of the block at
    /// rows and columns `taps/2 ... taps/2 + 1` (OpenCV's choice, kept for identical results).
    private static func table(taps: Int, coefficients: (Float) -> [Float]) -> [Int16] {
        let unit = Float(1 << weightBits)
        let oneD = (0..<fractionSteps).map { coefficients(Float($0) / Float(fractionSteps)) }
        var table: [Int16] = []
        table.reserveCapacity(fractionSteps * fractionSteps * taps * taps)
        for i in 0..<fractionSteps {
            for j in 0..<fractionSteps {
                var block = [Int16](repeating: 0, count: taps * taps)
                var sum = 0
                for k1 in 0..<taps {
                    for k2 in 0..<taps {
                        let value = Int16(clamping: Int((oneD[i][k1] * oneD[j][k2] * unit).rounded(.toNearestOrEven)))
                        block[k1 * taps + k2] = value
                        sum += Int(value)
                    }
                }
                let difference = sum - (1 << weightBits)
                if difference != 0 {
                    let centre = taps / 2
                    var low = (centre, centre), high = (centre, centre)
                    for k1 in centre..<min(centre + 2, taps) {
                        for k2 in centre..<min(centre + 2, taps) {
                            if block[k1 * taps + k2] < block[low.0 * taps + low.1] {
                                low = (k1, k2)
                            } else if block[k1 * taps + k2] > block[high.0 * taps + high.1] {
                                high = (k1, k2)
                            }
                        }
                    }
                    if difference < 0 {
                        block[high.0 * taps + high.1] -= Int16(difference)
                    } else {
                        block[low.0 * taps + low.1] -= Int16(difference)
                    }
                }
                table.append(contentsOf: block)
            }
        }
        return table
    }
}
