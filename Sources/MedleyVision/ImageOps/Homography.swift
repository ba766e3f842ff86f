/// A 3x3 projective transform of the plane, row-major: `(x, y)` maps to
/// `((m0 x + m1 y + m2) / w, (m3 x + m4 y + m5) / w)` with `w = m6 x + m7 y + m8`.
public struct Homography: Sendable, Equatable {
    /// The nine coefficients, row by row.
    public private(set) var m: [Double]

    /// A transform from its nine coefficients, row by row (the last is usually 1); nil unless there are nine.
    public init?(coefficients: [Double]) {
        guard coefficients.count == 9 else { return nil }
        m = coefficients
    }

    /// The transform of the nine values of a 3x3 matrix, row by row.
    init(_ m0: Double, _ m1: Double, _ m2: Double, _ m3: Double, _ m4: Double, _ m5: Double, _ m6: Double,
         _ m7: Double, _ m8: Double) {
        m = [m0, m1, m2, m3, m4, m5, m6, m7, m8]
    }

    /// The identity.
    public static let identity = Homography(1, 0, 0, 0, 1, 0, 0, 0, 1)

    /// Scales by `(sx, sy)` and then translates by `(tx, ty)`.
    public static func scaleTranslate(sx: Double, sy: Double, tx: Double, ty: Double) -> Homography {
        Homography(sx, 0, tx, 0, sy, ty, 0, 0, 1)
    }

    /// The transform taking each of four points `from[i]` to `to[i]`, like OpenCV's `getPerspectiveTransform`
    /// (the 8x8 linear system solved with partial pivoting in double precision). Nil when the points are
    /// degenerate (three on a line).
    public init?(from: [ImagePoint], to: [ImagePoint]) {
        guard from.count == 4, to.count == 4 else { return nil }
        // Unknowns m0...m7 (m8 = 1): for each pair, two rows
        //   x' = m0 x + m1 y + m2 - m6 x x' - m7 y x'
        //   y' = m3 x + m4 y + m5 - m6 x y' - m7 y y'
        var a = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 8)
        for i in 0..<4 {
            let (x, y, u, v) = (from[i].x, from[i].y, to[i].x, to[i].y)
            a[i] = [x, y, 1, 0, 0, 0, -x * u, -y * u, u]
            a[i + 4] = [0, 0, 0, x, y, 1, -x * v, -y * v, v]
        }
        for column in 0..<8 {
            var pivot = column
            for row in (column + 1)..<8 where abs(a[row][column]) > abs(a[pivot][column]) { pivot = row }
            guard abs(a[pivot][column]) > 1e-12 else { return nil }
            a.swapAt(column, pivot)
            for row in 0..<8 where row != column {
                let factor = a[row][column] / a[column][column]
                if factor == 0 { continue }
                for k in column..<9 { a[row][k] -= factor * a[column][k] }
            }
        }
        m = (0..<8).map { a[$0][8] / a[$0][$0] } + [1]
    }

    /// Where `point` goes.
    public func apply(_ point: ImagePoint) -> ImagePoint {
        let w = m[6] * point.x + m[7] * point.y + m[8]
        let scale = w != 0 ? 1 / w : 0
        return ImagePoint(x: (m[0] * point.x + m[1] * point.y + m[2]) * scale,
                          y: (m[3] * point.x + m[4] * point.y + m[5]) * scale)
    }

    /// The inverse transform, or nil when the matrix is singular.
    public func inverted() -> Homography? {
        let c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8], c02 = m[3] * m[7] - m[4] * m[6]
        let determinant = m[0] * c00 + m[1] * c01 + m[2] * c02
        guard abs(determinant) > 1e-15 else { return nil }
        let d = 1 / determinant
        return Homography(
            c00 * d, (m[2] * m[7] - m[1] * m[8]) * d, (m[1] * m[5] - m[2] * m[4]) * d,
            c01 * d, (m[0] * m[8] - m[2] * m[6]) * d, (m[2] * m[3] - m[0] * m[5]) * d,
            c02 * d, (m[1] * m[6] - m[0] * m[7]) * d, (m[0] * m[4] - m[1] * m[3]) * d)
    }
}
