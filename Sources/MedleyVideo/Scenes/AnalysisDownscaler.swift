import MedleyMedia

/// Makes the small RGB24 frame that the detectors analyse straight from the decoder's 4:2:0 planes, the way
/// PySceneDetect's frames come out of OpenCV: swscale's default YUV-to-RGB conversion (BT.601 limited
/// range, integer, each chroma sample serving its 2 x 2 block) followed by `cv2.resize(INTER_LINEAR)` in
/// OpenCV's fixed point (11-bit weights, the rounding of its vertical pass). Only the source pixels that the
/// resize reads are converted, so a 1280 x 720 frame costs about 150,000 conversions instead of 920,000, and
/// swscale is not run at all. The rules were checked bit for bit against OpenCV (notes/audio-and-scenes.md, §4).
struct AnalysisDownscaler {
    private(set) var width = 0
    private(set) var height = 0
    private(set) var stride = 0
    /// Packed RGB24 output, `width * 3` bytes per row.
    private(set) var pixels: [UInt8] = []

    private var sourceWidth = 0
    private var sourceHeight = 0
    /// Per output column: the left source column and the two weights (x 2048).
    private var columnSource: [Int] = []
    private var columnWeight0: [Int32] = []
    private var columnWeight1: [Int32] = []
    private var rows: [(source: Int, weight0: Int32, weight1: Int32)] = []
    /// Source columns that the resize reads (only those are converted to RGB).
    private var neededColumns: [Int] = []
    /// Two converted source rows (RGB24 at source width, only the needed columns filled) and which rows they hold.
    private var converted: [[UInt8]] = [[], []]
    private var convertedRow = [-1, -1]
    private var upper: [Int32] = []
    private var lower: [Int32] = []
    /// True when every output pixel lies exactly on a source pixel (see ``loadPointSampled(_:)``).
    private var isPointSampled = false

    /// OpenCV's `INTER_RESIZE_COEF_BITS`: interpolation weights are in 11-bit fixed point.
    private static let weightScale: Float = 2048

    /// OpenCV's per-axis sampling for `INTER_LINEAR`: source index and its two weights for each output index.
    static func axis(source: Int, destination: Int) -> [(source: Int, weight0: Int32, weight1: Int32)] {
        let scale = Double(source) / Double(destination)
        return (0..<destination).map { d in
            var fx = Float((Double(d) + 0.5) * scale - 0.5)
            var sx = Int(fx.rounded(.down))
            fx -= Float(sx)
            if sx < 0 { sx = 0; fx = 0 }
            if sx >= source - 1 { sx = source - 1; fx = 0 }
            let w1 = Int32((fx * weightScale).rounded(.toNearestOrEven))
            let w0 = Int32(((1 - fx) * weightScale).rounded(.toNearestOrEven))
            return (sx, w0, w1)
        }
    }

    /// Fills ``pixels`` with `planes` shrunk to `targetWidth` x `targetHeight`.
    mutating func load(_ planes: YUV420Planes, targetWidth: Int, targetHeight: Int) {
        if planes.width != sourceWidth || planes.height != sourceHeight || targetWidth != width || targetHeight != height {
            configure(sourceWidth: planes.width, sourceHeight: planes.height, width: targetWidth, height: targetHeight)
        }
        if isPointSampled {
            loadPointSampled(planes)
            return
        }
        convertedRow = [-1, -1]
        let lastRow = sourceHeight - 1
        // Moved out of self while self is mutated (the row cache), and back at the end: no copy, no allocation.
        var upper: [Int32] = [], lower: [Int32] = []
        swap(&upper, &self.upper)
        swap(&lower, &self.lower)
        defer {
            swap(&upper, &self.upper)
            swap(&lower, &self.lower)
        }
        for dy in 0..<height {
            let row = rows[dy]
            horizontal(planes, row: row.source, into: &upper)
            if row.weight1 != 0 { horizontal(planes, row: min(row.source + 1, lastRow), into: &lower) }
            let b0 = row.weight0, b1 = row.weight1, count = stride
            pixels.withUnsafeMutableBufferPointer { out in
                upper.withUnsafeBufferPointer { upper in
                    lower.withUnsafeBufferPointer { lower in
                        guard let out = out.baseAddress, let upper = upper.baseAddress, let lower = lower.baseAddress
                        else { return }
                        let line = out + dy * count
                        if b1 == 0 {
                            for i in 0..<count {
                                line[i] = UInt8(truncatingIfNeeded: min(255, max(0, (((upper[i] &>> 4) &* b0) &>> 16 &+ 2) &>> 2)))
                            }
                        } else {
                            for i in 0..<count {
                                let sum = (((upper[i] &>> 4) &* b0) &>> 16) &+ (((lower[i] &>> 4) &* b1) &>> 16)
                                line[i] = UInt8(truncatingIfNeeded: min(255, max(0, (sum &+ 2) &>> 2)))
                            }
                        }
                    }
                }
            }
        }
    }

    private mutating func configure(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.width = width
        self.height = height
        stride = width * 3
        let columns = Self.axis(source: sourceWidth, destination: width)
        columnSource = columns.map(\.source)
        columnWeight0 = columns.map(\.weight0)
        columnWeight1 = columns.map(\.weight1)
        var needed = Set<Int>()
        for column in columns {
            needed.insert(column.source)
            if column.weight1 != 0 { needed.insert(min(column.source + 1, sourceWidth - 1)) }
        }
        neededColumns = needed.sorted()
        rows = Self.axis(source: sourceHeight, destination: height)
        let exact = Int32(Self.weightScale)
        isPointSampled = columns.allSatisfy { $0.weight0 == exact && $0.weight1 == 0 }
            && rows.allSatisfy { $0.weight0 == exact && $0.weight1 == 0 }
        pixels = [UInt8](repeating: 0, count: stride * height)
        upper = [Int32](repeating: 0, count: stride)
        lower = upper
        converted = [[UInt8](repeating: 0, count: sourceWidth * 3), [UInt8](repeating: 0, count: sourceWidth * 3)]
    }

    /// The resize when every output pixel falls exactly on one source pixel: every column's and row's weights
    /// are 2048 and 0, as when shrinking by an odd whole factor (1280 x 720 to 256 x 144 reads source pixel
    /// 5d + 2). OpenCV's fixed-point passes then return the source value unchanged (`((v * 2048 >> 4) * 2048
    /// >> 16 + 2) >> 2 == v`), so each output pixel is its source pixel's RGB, converted directly: no row
    /// cache, no intermediate sums. Same bytes as the general path (the parity test covers 720p).
    private mutating func loadPointSampled(_ planes: YUV420Planes) {
        let fullRange = planes.isFullRange
        let outputWidth = width, outputStride = stride
        let rows = self.rows
        columnSource.withUnsafeBufferPointer { columns in
            pixels.withUnsafeMutableBufferPointer { out in
                guard let out = out.baseAddress else { return }
                LimitedRangeRGB.withTables { luma, blueU, greenU, greenV, redV in
                    for dy in 0..<rows.count {
                        let row = rows[dy].source
                        let y = planes.y + row * planes.yStride
                        let cb = planes.u + (row >> 1) * planes.uStride
                        let cr = planes.v + (row >> 1) * planes.vStride
                        let line = out + dy * outputStride
                        if fullRange {
                            for dx in 0..<outputWidth {
                                let x = columns[dx]
                                let (r, g, b) = Self.rgb(y[x], cb[x &>> 1], cr[x &>> 1], true)
                                line[3 &* dx] = r
                                line[3 &* dx &+ 1] = g
                                line[3 &* dx &+ 2] = b
                            }
                            continue
                        }
                        for dx in 0..<outputWidth {
                            let x = columns[dx]
                            let l = luma[Int(y[x])], u = Int(cb[x &>> 1]), v = Int(cr[x &>> 1])
                            line[3 &* dx] = LimitedRangeRGB.byte(l &+ redV[v])
                            line[3 &* dx &+ 1] = LimitedRangeRGB.byte(l &+ greenU[u] &+ greenV[v])
                            line[3 &* dx &+ 2] = LimitedRangeRGB.byte(l &+ blueU[u])
                        }
                    }
                }
            }
        }
    }

    /// Source row `row` converted to RGB (needed columns only), from a two-row cache: with a shrink factor
    /// under 2 each source row serves two output rows.
    private mutating func convertedSlot(_ planes: YUV420Planes, row: Int) -> Int {
        if convertedRow[0] == row { return 0 }
        if convertedRow[1] == row { return 1 }
        // Replace the row that is not the previous output row's lower one (the older of the two).
        let slot = convertedRow[0] < convertedRow[1] ? 0 : 1
        convertedRow[slot] = row
        let luma = planes.y + row * planes.yStride
        let cb = planes.u + (row >> 1) * planes.uStride
        let cr = planes.v + (row >> 1) * planes.vStride
        let fullRange = planes.isFullRange
        neededColumns.withUnsafeBufferPointer { needed in
            converted[slot].withUnsafeMutableBufferPointer { out in
                guard let out = out.baseAddress else { return }
                for x in needed {
                    let (r, g, b) = Self.rgb(luma[x], cb[x &>> 1], cr[x &>> 1], fullRange)
                    out[3 &* x] = r
                    out[3 &* x &+ 1] = g
                    out[3 &* x &+ 2] = b
                }
            }
        }
        return slot
    }

    /// One source row interpolated horizontally (weights x 2048), RGB interleaved.
    private mutating func horizontal(_ planes: YUV420Planes, row: Int, into out: inout [Int32]) {
        let slot = convertedSlot(planes, row: row)
        let lastColumn = sourceWidth - 1
        converted[slot].withUnsafeBufferPointer { source in
            columnSource.withUnsafeBufferPointer { sources in
                columnWeight0.withUnsafeBufferPointer { weights0 in
                    columnWeight1.withUnsafeBufferPointer { weights1 in
                        out.withUnsafeMutableBufferPointer { out in
                            guard let p = source.baseAddress, let out = out.baseAddress else { return }
                            for dx in 0..<sources.count {
                                let x0 = 3 &* sources[dx]
                                let w0 = weights0[dx], w1 = weights1[dx]
                                let o = 3 &* dx
                                if w1 == 0 {
                                    out[o] = Int32(p[x0]) &* w0
                                    out[o &+ 1] = Int32(p[x0 &+ 1]) &* w0
                                    out[o &+ 2] = Int32(p[x0 &+ 2]) &* w0
                                } else {
                                    let x1 = 3 &* min(sources[dx] &+ 1, lastColumn)
                                    out[o] = Int32(p[x0]) &* w0 &+ Int32(p[x1]) &* w1
                                    out[o &+ 1] = Int32(p[x0 &+ 1]) &* w0 &+ Int32(p[x1 &+ 1]) &* w1
                                    out[o &+ 2] = Int32(p[x0 &+ 2]) &* w0 &+ Int32(p[x1 &+ 2]) &* w1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// swscale's default integer YUV-to-RGB: BT.601 limited range (`y = ((8Y - 128) * 9539) >> 16`, chroma
    /// offsets 8U - 1024 and 8V - 1024, coefficients 16525, -3209, -6660, 13075 over 2^16). Full-range
    /// (JPEG) video uses the JFIF matrix (1.402, 0.344136, 0.714136, 1.772) in 14-bit fixed point.
    @inline(__always)
    static func rgb(_ y: UInt8, _ u: UInt8, _ v: UInt8, _ fullRange: Bool) -> (UInt8, UInt8, UInt8) {
        if fullRange {
            let luma = Int32(y), cb = Int32(u) - 128, cr = Int32(v) - 128
            let r = luma + ((cr &* 22970 + 8192) >> 14)
            let g = luma - ((cb &* 5638 + cr &* 11700 + 8192) >> 14)
            let b = luma + ((cb &* 29032 + 8192) >> 14)
            return (UInt8(clamping: r), UInt8(clamping: g), UInt8(clamping: b))
        }
        let luma = ((8 * Int32(y) - 128) &* 9539) >> 16
        let cb = 8 * Int32(u) - 1024, cr = 8 * Int32(v) - 1024
        let b = luma + ((cb &* 16525) >> 16)
        let g = luma + ((cb &* -3209) >> 16) + ((cr &* -6660) >> 16)
        let r = luma + ((cr &* 13075) >> 16)
        return (UInt8(clamping: r), UInt8(clamping: g), UInt8(clamping: b))
    }
}
