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
    /// - Bilinear sampling is OpenCV 4's `warpPerspective`/`remap` for 8-bit images, in its fixed point: each
    ///   source position is snapped to 1/32 pixel (rounded half to even) and the weights for that fraction are
    ///   15-bit integers from OpenCV's tables. MediaPipe's input warps (BlazeFace) are made this way
    ///   (notes/vision-models.md, sections 3 and 4).
    /// - Bicubic sampling is OpenCV 5's `warpPerspective(..., INTER_CUBIC)` for 8-bit images, which RapidOCR's
    ///   text-line crops use: positions in `Float`, Keys weights (a = -0.75) in `Float`, sums rounded half to even
    ///   (equal to OpenCV 5.0 on every pixel of the reference cases in reference.json).
    public func warped(sourceFromOutput map: Homography, width outWidth: Int, height outHeight: Int,
                       interpolation: WarpInterpolation = .bilinear, border: WarpBorder = .constant(0)) -> Image {
        let outWidth = max(0, outWidth), outHeight = max(0, outHeight)
        let channels = format.bytesPerPixel
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        guard width > 0, height > 0, outWidth > 0, outHeight > 0 else {
            return Image(width: outWidth, height: outHeight, format: format, pixels: out)
        }
        if interpolation == .bicubic {
            return bicubicWarp(map, width: outWidth, height: outHeight, border: border)
        }
        let taps = 2
        let table = RemapTables.bilinear
        let before = 0  // taps left of / above the base pixel
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

extension Image {
    /// Floating-point bicubic warp (see ``warped(sourceFromOutput:width:height:interpolation:border:)``).
    fileprivate func bicubicWarp(_ map: Homography, width outWidth: Int, height outHeight: Int,
                                 border: WarpBorder) -> Image {
        let channels = format.bytesPerPixel
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        let m = map.m
        let (constant, replicate): (Double, Bool)
        switch border {
        case .constant(let value): (constant, replicate) = (Double(value), false)
        case .replicate: (constant, replicate) = (0, true)
        }
        @inline(__always) func keys(_ t: Float) -> Float {
            let a: Float = -0.75, x = abs(t)
            if x <= 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
            return 0
        }
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var sums = [Double](repeating: 0, count: channels)
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let xd = Double(x), yd = Double(y)
                        let w = m[6] * xd + m[7] * yd + m[8]
                        let scale = w != 0 ? 1 / w : 0
                        let fx = Float((m[0] * xd + m[1] * yd + m[2]) * scale)
                        let fy = Float((m[3] * xd + m[4] * yd + m[5]) * scale)
                        guard fx.isFinite, fy.isFinite, abs(fx) < 1e8, abs(fy) < 1e8 else { continue }
                        let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
                        let tx = fx - Float(x0), ty = fy - Float(y0)
                        for c in 0..<channels { sums[c] = 0 }
                        for i in -1...2 {
                            let wy = keys(Float(i) - ty)
                            var row = y0 + i
                            let rowInside = row >= 0 && row < height
                            if !rowInside && replicate { row = min(max(row, 0), height - 1) }
                            for j in -1...2 {
                                let weight = Double(keys(Float(j) - tx) * wy)
                                var column = x0 + j
                                if (rowInside && column >= 0 && column < width) || replicate {
                                    column = min(max(column, 0), width - 1)
                                    let offset = row * stride + column * channels
                                    for c in 0..<channels { sums[c] += weight * Double(src[offset + c]) }
                                } else {
                                    for c in 0..<channels { sums[c] += weight * constant }
                                }
                            }
                        }
                        let o = (y * outWidth + x) * channels
                        for c in 0..<channels {
                            dst[o + c] = UInt8(min(max(sums[c].rounded(.toNearestOrEven), 0), 255))
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
