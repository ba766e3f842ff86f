/// One analysed frame as three 8-bit planes in OpenCV's HSV (hue 0...179), with an optional edge map.
///
/// The conversion is OpenCV's `cvtColor(COLOR_BGR2HSV)` for 8-bit images, bit for bit (its fixed-point
/// division tables, 12-bit shift); PySceneDetect scores frames in this space. Buffers are reused: ``load``
/// allocates only when the frame size changes.
struct HSVPlanes {
    private(set) var width = 0
    private(set) var height = 0
    var hue: [UInt8] = []
    var saturation: [UInt8] = []
    var value: [UInt8] = []
    /// Canny-like edges of ``value`` (0 or 255), filled only when ``EdgeMap`` is asked for them.
    var edges: [UInt8] = []

    var pixelCount: Int { width * height }

    /// OpenCV's `hsv_shift`: the tables below are in 12-bit fixed point.
    private static let shift = 12
    /// `round(255 * 4096 / v)`, 0 for v = 0 (OpenCV's `sdiv_table`).
    private static let saturationDivisors: [Int32] = (0..<256).map {
        $0 == 0 ? 0 : Int32((255.0 * 4096.0 / Double($0)).rounded(.toNearestOrEven))
    }
    /// `round(180 * 4096 / (6 * d))`, 0 for d = 0 (OpenCV's `hdiv_table180`).
    private static let hueDivisors: [Int32] = (0..<256).map {
        $0 == 0 ? 0 : Int32((180.0 * 4096.0 / (6.0 * Double($0))).rounded(.toNearestOrEven))
    }

    /// Converts packed RGB24 pixels (`stride` bytes per row) into the planes.
    mutating func load(rgb pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int) {
        let count = width * height
        if count != hue.count {
            hue = [UInt8](repeating: 0, count: count)
            saturation = hue
            value = hue
        }
        self.width = width
        self.height = height
        guard let base = pixels.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        Self.saturationDivisors.withUnsafeBufferPointer { sdiv in
            Self.hueDivisors.withUnsafeBufferPointer { hdiv in
                hue.withUnsafeMutableBufferPointer { h in
                    saturation.withUnsafeMutableBufferPointer { s in
                        value.withUnsafeMutableBufferPointer { v in
                            let round = Int32(1 << (Self.shift - 1))
                            for y in 0..<height {
                                let row = base + y * stride
                                let out = y * width
                                for x in 0..<width {
                                    let r = Int32(row[3 * x]), g = Int32(row[3 * x + 1]), b = Int32(row[3 * x + 2])
                                    let maximum = max(r, g, b)
                                    let diff = maximum - min(r, g, b)
                                    let sat = (diff * sdiv[Int(maximum)] + round) >> Int32(Self.shift)
                                    let raw: Int32
                                    if maximum == r {
                                        raw = g - b
                                    } else if maximum == g {
                                        raw = b - r + 2 * diff
                                    } else {
                                        raw = r - g + 4 * diff
                                    }
                                    var hueValue = (raw * hdiv[Int(diff)] + round) >> Int32(Self.shift)
                                    if hueValue < 0 { hueValue += 180 }
                                    h[out + x] = UInt8(truncatingIfNeeded: hueValue)
                                    s[out + x] = UInt8(truncatingIfNeeded: sat)
                                    v[out + x] = UInt8(truncatingIfNeeded: maximum)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Mean absolute difference of two equally long 8-bit planes: PySceneDetect's per-channel content delta.
func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
    let count = min(a.count, b.count)
    guard count > 0 else { return 0 }
    var total = 0
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            // Blocks of 4096 keep the partial sum in 32 bits (4096 * 255 fits easily) so the loop vectorises.
            var start = 0
            while start < count {
                let end = min(count, start + 4096)
                var partial: UInt32 = 0
                for i in start..<end {
                    let x = Int16(pa[i]) - Int16(pb[i])
                    partial &+= UInt32(truncatingIfNeeded: x < 0 ? -x : x)
                }
                total += Int(partial)
                start = end
            }
        }
    }
    return Double(total) / Double(count)
}
