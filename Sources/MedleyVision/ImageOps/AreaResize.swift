/// Area-averaging resize (OpenCV's `INTER_AREA` idea): each output pixel is the mean of the source pixels it
/// covers, weighted by how much of each it covers. The right filter for shrinking: it never aliases.
///
/// Separable and in floating point, rounded once at the end; for whole-number ratios it is the plain block
/// mean. (OpenCV's own `INTER_AREA` upscales with a bilinear variant; ``Image/resized(width:height:method:)``
/// sends enlargements to bilinear instead.)
enum AreaResampler {
    /// One output sample's footprint on an axis: source indices and weights summing to 1.
    struct Footprint {
        var start: Int
        var weights: [Float]
    }

    /// Footprints of every output sample when `source` samples shrink to `destination` (destination <= source).
    static func footprints(source: Int, destination: Int) -> [Footprint] {
        let scale = Double(source) / Double(destination)
        return (0..<destination).map { d in
            let from = Double(d) * scale, to = min(Double(d + 1) * scale, Double(source))
            let first = Int(from.rounded(.down)), last = min(Int(to.rounded(.up)), source)
            var weights: [Float] = []
            for s in first..<max(last, first + 1) {
                let overlap = min(Double(s + 1), to) - max(Double(s), from)
                weights.append(Float(max(0, overlap) / scale))
            }
            return Footprint(start: first, weights: weights)
        }
    }

    /// Shrinks packed 8-bit pixels with `channels` interleaved channels.
    static func resize(_ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int,
                       toWidth outWidth: Int, height outHeight: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        let columns = footprints(source: width, destination: outWidth)
        let rows = footprints(source: height, destination: outHeight)
        let rowLength = outWidth * channels
        var horizontal = [Float](repeating: 0, count: rowLength)
        var accumulated = [Float](repeating: 0, count: rowLength)
        for (y, footprint) in rows.enumerated() {
            for i in 0..<rowLength { accumulated[i] = 0 }
            for (k, rowWeight) in footprint.weights.enumerated() {
                let sourceRow = min(footprint.start + k, height - 1)
                let base = sourceRow * width * channels
                for (x, column) in columns.enumerated() {
                    for c in 0..<channels {
                        var sum: Float = 0
                        for (j, weight) in column.weights.enumerated() {
                            sum += weight * Float(source[base + min(column.start + j, width - 1) * channels + c])
                        }
                        horizontal[x * channels + c] = sum
                    }
                }
                for i in 0..<rowLength { accumulated[i] += rowWeight * horizontal[i] }
            }
            for i in 0..<rowLength {
                output[y * rowLength + i] = UInt8(clamping: Int(accumulated[i].rounded(.toNearestOrEven)))
            }
        }
    }
}
