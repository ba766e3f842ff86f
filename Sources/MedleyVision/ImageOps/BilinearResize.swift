import MedleyCore

/// Bilinear resizing exactly as OpenCV's `cv2.resize(..., interpolation=INTER_LINEAR)` does it on 8-bit images.
///
/// OpenCV works in fixed point: 11-bit interpolation weights, a horizontal pass into 32-bit sums, a vertical
/// pass with two right shifts. A floating-point bilinear resize with the same half-pixel centres differs from it
/// by one level on about 0.6 % of values, which was enough to change a recognised character and to move text
/// boxes by a pixel (notes/vision-models.md, section 1). This reproduces OpenCV's vector code path bit for bit
/// (checked there on 276 resizes, 2x2 up to 3328x736).
enum OpenCVBilinear {
    /// OpenCV's `INTER_RESIZE_COEF_BITS`: interpolation weights are integers summing to 2^11.
    static let weightScale: Float = 2048

    /// For each output index along one axis: the two source indices and their 11-bit weights.
    struct Taps {
        var first: [Int32]
        var second: [Int32]
        var firstWeight: [Int32]
        var secondWeight: [Int32]
    }

    /// The taps of an axis resized from `source` to `destination` samples.
    ///
    /// The position is computed with the ratio in double precision and rounded to `Float`, the fraction and the
    /// weights in `Float` (rounded half to even, OpenCV's `saturate_cast<short>`), and only the indices are
    /// clamped to the image, never the weights: that is what makes the rows at the edges match.
    static func taps(source: Int, destination: Int) -> Taps {
        let ratio = Double(source) / Double(destination)
        var taps = Taps(first: [], second: [], firstWeight: [], secondWeight: [])
        taps.first.reserveCapacity(destination)
        taps.second.reserveCapacity(destination)
        taps.firstWeight.reserveCapacity(destination)
        taps.secondWeight.reserveCapacity(destination)
        for d in 0..<destination {
            let position = Float((Double(d) + 0.5) * ratio - 0.5)
            let index = Int(position.rounded(.down))
            let fraction = position - Float(index)
            taps.secondWeight.append(Int32((fraction * weightScale).rounded(.toNearestOrEven)))
            taps.firstWeight.append(Int32(((1 - fraction) * weightScale).rounded(.toNearestOrEven)))
            taps.first.append(Int32(min(max(index, 0), source - 1)))
            taps.second.append(Int32(min(max(index + 1, 0), source - 1)))
        }
        return taps
    }

    /// Resizes packed 8-bit pixels with `channels` interleaved channels.
    static func resize(_ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int,
                       toWidth outWidth: Int, height outHeight: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        let horizontal = taps(source: width, destination: outWidth)
        let vertical = taps(source: height, destination: outHeight)
        let rowLength = outWidth * channels
        // Per output column and channel: the source byte offsets and weights, expanded once.
        var offset0 = [Int](repeating: 0, count: rowLength), offset1 = offset0
        var weight0 = [Int32](repeating: 0, count: rowLength), weight1 = weight0
        for x in 0..<outWidth {
            for c in 0..<channels {
                offset0[x * channels + c] = Int(horizontal.first[x]) * channels + c
                offset1[x * channels + c] = Int(horizontal.second[x]) * channels + c
                weight0[x * channels + c] = horizontal.firstWeight[x]
                weight1[x * channels + c] = horizontal.secondWeight[x]
            }
        }
        // Horizontally resized rows, the two most recent ones kept (source row index, sums).
        var rowA = [Int32](repeating: 0, count: rowLength), rowB = rowA
        var rowAIndex = -1, rowBIndex = -1
        let sourceStride = width * channels

        func fill(_ row: inout [Int32], from sourceRow: Int) {
            let base = sourceRow * sourceStride
            offset0.withUnsafeBufferPointer { o0 in
                offset1.withUnsafeBufferPointer { o1 in
                    weight0.withUnsafeBufferPointer { w0 in
                        weight1.withUnsafeBufferPointer { w1 in
                            row.withUnsafeMutableBufferPointer { out in
                                for i in 0..<rowLength {
                                    out[i] = Int32(source[base + o0[i]]) &* w0[i] &+ Int32(source[base + o1[i]]) &* w1[i]
                                }
                            }
                        }
                    }
                }
            }
        }

        for y in 0..<outHeight {
            let y0 = Int(vertical.first[y]), y1 = Int(vertical.second[y])
            // Make rowA hold y0 and rowB hold y1, reusing what the previous output row computed.
            if rowAIndex != y0 {
                if rowBIndex == y0 {
                    swap(&rowA, &rowB)
                    swap(&rowAIndex, &rowBIndex)
                } else {
                    fill(&rowA, from: y0)
                    rowAIndex = y0
                }
            }
            if rowBIndex != y1 {
                fill(&rowB, from: y1)
                rowBIndex = y1
            }
            let wy0 = vertical.firstWeight[y], wy1 = vertical.secondWeight[y]
            let outBase = y * rowLength
            rowA.withUnsafeBufferPointer { a in
                rowB.withUnsafeBufferPointer { b in
                    for i in 0..<rowLength {
                        let v = (((a[i] >> 4) &* wy0) >> 16) &+ (((b[i] >> 4) &* wy1) >> 16)
                        output[outBase + i] = UInt8(clamping: (v &+ 2) >> 2)
                    }
                }
            }
        }
    }
}
