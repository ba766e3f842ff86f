/// Edge maps for the content score's edge component (used only when its weight is not 0).
///
/// PySceneDetect runs OpenCV's Canny on the HSV value plane with thresholds `(1 -/+ 1/3) * median`, then
/// dilates with a `k x k` square where `k = 4 + round(sqrt(w * h) / 192)`, made odd. This is a simpler
/// relative of that: Sobel L1 magnitude, a one-step hysteresis (weak pixels next to a strong one count),
/// no non-maximum suppression (the dilation thickens edges anyway). Its scores are close to, not equal to,
/// PySceneDetect's.
enum EdgeMap {
    /// Fills `planes.edges` from `planes.value`.
    static func compute(_ planes: inout HSVPlanes) {
        let width = planes.width, height = planes.height, count = width * height
        guard width >= 3, height >= 3 else {
            planes.edges = [UInt8](repeating: 0, count: count)
            return
        }
        let value = planes.value
        let median = Self.median(value)
        let low = Int((1.0 - 1.0 / 3.0) * Double(median)), high = Int((1.0 + 1.0 / 3.0) * Double(median))
        var magnitude = [Int32](repeating: 0, count: count)
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                let i = y * width + x
                func p(_ dx: Int, _ dy: Int) -> Int32 { Int32(value[i + dy * width + dx]) }
                let gx = (p(1, -1) + 2 * p(1, 0) + p(1, 1)) - (p(-1, -1) + 2 * p(-1, 0) + p(-1, 1))
                let gy = (p(-1, 1) + 2 * p(0, 1) + p(1, 1)) - (p(-1, -1) + 2 * p(0, -1) + p(1, -1))
                magnitude[i] = abs(gx) + abs(gy)
            }
        }
        var edges = [UInt8](repeating: 0, count: count)
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                let i = y * width + x
                let m = Int(magnitude[i])
                if m > high {
                    edges[i] = 255
                } else if m > low {
                    let strongNeighbour = [-width - 1, -width, -width + 1, -1, 1, width - 1, width, width + 1]
                        .contains { Int(magnitude[i + $0]) > high }
                    if strongNeighbour { edges[i] = 255 }
                }
            }
        }
        var kernel = 4 + Int((Double(width * height).squareRoot() / 192).rounded(.toNearestOrEven))
        if kernel % 2 == 0 { kernel += 1 }
        planes.edges = dilate(edges, width: width, height: height, size: kernel)
    }

    /// Square dilation, separable (rows then columns).
    private static func dilate(_ source: [UInt8], width: Int, height: Int, size: Int) -> [UInt8] {
        let radius = size / 2
        var rows = [UInt8](repeating: 0, count: source.count)
        for y in 0..<height {
            for x in 0..<width {
                var best: UInt8 = 0
                for k in max(0, x - radius)...min(width - 1, x + radius) { best = max(best, source[y * width + k]) }
                rows[y * width + x] = best
            }
        }
        var out = [UInt8](repeating: 0, count: source.count)
        for y in 0..<height {
            for x in 0..<width {
                var best: UInt8 = 0
                for k in max(0, y - radius)...min(height - 1, y + radius) { best = max(best, rows[k * width + x]) }
                out[y * width + x] = best
            }
        }
        return out
    }

    private static func median(_ plane: [UInt8]) -> Int {
        var histogram = [Int](repeating: 0, count: 256)
        for v in plane { histogram[Int(v)] += 1 }
        var seen = 0
        for (level, count) in histogram.enumerated() {
            seen += count
            if 2 * seen > plane.count { return level }
        }
        return 0
    }
}
