/// swscale's default integer YUV-to-RGB conversion for limited-range (BT.601, 16...235) video, as lookup
/// tables: each of its terms depends on one sample and is rounded (shifted) on its own, so
/// `r = luma[Y] + redV[V]`, `g = luma[Y] + greenU[U] + greenV[V]`, `b = luma[Y] + blueU[U]`, then clamped to
/// 0...255, equals ``AnalysisDownscaler/rgb(_:_:_:_:)`` bit for bit with five lookups and no multiplication.
enum LimitedRangeRGB {
    /// `((8Y - 128) * 9539) >> 16`.
    static let luma: [Int32] = (0..<256).map { ((8 * Int32($0) - 128) &* 9539) >> 16 }
    /// `((8U - 1024) * 16525) >> 16`.
    static let blueU: [Int32] = (0..<256).map { ((8 * Int32($0) - 1024) &* 16525) >> 16 }
    /// `((8U - 1024) * -3209) >> 16`.
    static let greenU: [Int32] = (0..<256).map { ((8 * Int32($0) - 1024) &* -3209) >> 16 }
    /// `((8V - 1024) * -6660) >> 16`.
    static let greenV: [Int32] = (0..<256).map { ((8 * Int32($0) - 1024) &* -6660) >> 16 }
    /// `((8V - 1024) * 13075) >> 16`.
    static let redV: [Int32] = (0..<256).map { ((8 * Int32($0) - 1024) &* 13075) >> 16 }

    /// Lends the five tables to `body` as raw pointers (for inner loops).
    static func withTables<Result>(
        _ body: (_ luma: UnsafePointer<Int32>, _ blueU: UnsafePointer<Int32>, _ greenU: UnsafePointer<Int32>,
                 _ greenV: UnsafePointer<Int32>, _ redV: UnsafePointer<Int32>) -> Result
    ) -> Result {
        luma.withUnsafeBufferPointer { l in
            blueU.withUnsafeBufferPointer { bu in
                greenU.withUnsafeBufferPointer { gu in
                    greenV.withUnsafeBufferPointer { gv in
                        redV.withUnsafeBufferPointer { rv in
                            // The tables are never empty, so the base addresses exist.
                            body(l.baseAddress!, bu.baseAddress!, gu.baseAddress!, gv.baseAddress!, rv.baseAddress!)
                        }
                    }
                }
            }
        }
    }

    /// `value` clamped to 0...255 without a branch (the compiler turns `min`/`max` into jumps here, which
    /// mispredict on busy pictures): negative values are masked to 0, values over 255 to all ones.
    @inline(__always)
    static func byte(_ value: Int32) -> UInt8 {
        let positive = value & ~(value &>> 31)
        return UInt8(truncatingIfNeeded: positive | ((255 &- positive) &>> 31))
    }
}
