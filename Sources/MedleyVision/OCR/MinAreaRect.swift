/// A rotated rectangle as OpenCV's `RotatedRect`: centre, side lengths and angle in degrees, all `Float`.
struct RotatedRect: Equatable {
    var centerX: Float
    var centerY: Float
    var width: Float
    var height: Float
    var angle: Float

    /// OpenCV's `RotatedRect::points` (`cv2.boxPoints`), in its `Float` arithmetic: the corners come out as
    /// 302.99997 where the exact value is 303, and PP-OCR truncates them later, so the arithmetic is kept.
    var corners: [SIMD2<Float>] {
        let radians = Double(angle) * Double.pi / 180
        let b = Float(cos(radians)) * 0.5
        let a = Float(sin(radians)) * 0.5
        let p0 = SIMD2<Float>(centerX - a * height - b * width, centerY + b * height - a * width)
        let p1 = SIMD2<Float>(centerX + a * height - b * width, centerY - b * height - a * width)
        return [p0, p1, SIMD2(2 * centerX - p0.x, 2 * centerY - p0.y), SIMD2(2 * centerX - p1.x, 2 * centerY - p1.y)]
    }

    /// The shorter side.
    var shortSide: Float { min(width, height) }
}

import Foundation

/// OpenCV's `cv2.minAreaRect` on integer points: its convex hull (Sklansky's algorithm, counter-clockwise with
/// y up, cyclically shifted to follow the input order) and its rotating calipers in `Float` (imgproc/convhull.cpp,
/// imgproc/rotcalipers.cpp).
///
/// The input order matters only for ties and for the last bits of the result; PP-OCR's detector passes contours
/// from `cv2.findContours`, which Medley's ``DBPostProcessor`` imitates by listing a region's border points in the
/// order OpenCV traces them.
enum MinAreaRect {
    /// The minimum-area rectangle of `points` (in the order a contour would list them).
    static func of(_ points: [SIMD2<Int32>]) -> RotatedRect {
        let hull = convexHull(points).map { SIMD2<Float>(Float(points[$0].x), Float(points[$0].y)) }
        switch hull.count {
        case 0:
            return RotatedRect(centerX: 0, centerY: 0, width: 0, height: 0, angle: 0)
        case 1:
            return RotatedRect(centerX: hull[0].x, centerY: hull[0].y, width: 0, height: 0, angle: 0)
        case 2:
            let dx = Double(hull[1].x - hull[0].x), dy = Double(hull[1].y - hull[0].y)
            let angle = Float(atan2(dy, dx))
            return normalised(RotatedRect(centerX: (hull[0].x + hull[1].x) * 0.5, centerY: (hull[0].y + hull[1].y) * 0.5,
                                          width: Float((dx * dx + dy * dy).squareRoot()), height: 0,
                                          angle: Float(Double(angle) * 180 / Double.pi)))
        default:
            let out = rotatingCalipers(hull)
            let width = Float((Double(out[1].x) * Double(out[1].x) + Double(out[1].y) * Double(out[1].y)).squareRoot())
            let height = Float((Double(out[2].x) * Double(out[2].x) + Double(out[2].y) * Double(out[2].y)).squareRoot())
            let angle = Float(atan2(Double(out[1].y), Double(out[1].x)))
            return normalised(RotatedRect(centerX: out[0].x + (out[1].x + out[2].x) * 0.5,
                                          centerY: out[0].y + (out[1].y + out[2].y) * 0.5,
                                          width: width, height: height, angle: Float(Double(angle) * 180 / Double.pi)))
        }
    }

    /// OpenCV 5 reports angles in [-90, 0): each quarter turn moved swaps width and height (the same rectangle).
    /// Measured on 2,000 random point sets: cv2.minAreaRect never returned 0 and returned -90 for upright boxes.
    static func normalised(_ rect: RotatedRect) -> RotatedRect {
        var r = rect
        var turns = 0
        while r.angle >= 0 && turns < 8 {
            r.angle -= 90
            swap(&r.width, &r.height)
            turns += 1
        }
        while r.angle < -90 && turns < 8 {
            r.angle += 90
            swap(&r.width, &r.height)
            turns += 1
        }
        return r
    }

    // MARK: - Convex hull (cv::convexHull with clockwise = false)

    /// Indices into `points` of the convex hull's vertices.
    static func convexHull(_ points: [SIMD2<Int32>]) -> [Int] {
        let total = points.count
        guard total > 0 else { return [] }
        // Sorted by x, then y, then position (OpenCV compares pointers).
        let order = (0..<total).sorted {
            let a = points[$0], b = points[$1]
            if a.x != b.x { return a.x < b.x }
            if a.y != b.y { return a.y < b.y }
            return $0 < $1
        }
        let sorted = order.map { points[$0] }
        var minY = 0, maxY = 0
        for i in 1..<total {
            if sorted[minY].y > sorted[i].y { minY = i }
            if sorted[maxY].y < sorted[i].y { maxY = i }
        }
        if sorted[0] == sorted[total - 1] { return [order[0]] }
        var hull: [Int] = []
        // Upper half.
        var tl = sklansky(sorted, start: 0, end: maxY, nsign: -1, sign2: 1)
        var tr = sklansky(sorted, start: total - 1, end: maxY, nsign: -1, sign2: -1)
        swap(&tl, &tr)  // counter-clockwise output
        for i in 0..<(tl.count - 1) { hull.append(order[tl[i]]) }
        for i in stride(from: tr.count - 1, to: 0, by: -1) { hull.append(order[tr[i]]) }
        let stop = tr.count > 2 ? tr[1] : tl.count > 2 ? tl[tl.count - 2] : -1
        // Lower half.
        var bl = sklansky(sorted, start: 0, end: minY, nsign: 1, sign2: -1)
        var br = sklansky(sorted, start: total - 1, end: minY, nsign: 1, sign2: 1)
        if stop >= 0 {
            let check = bl.count > 2 ? bl[1] : bl.count + br.count > 2 ? br[2 - bl.count] : -1
            if check == stop || (check >= 0 && sorted[check] == sorted[stop]) {
                // All points on one line: the lower half mirrors the upper one.
                bl = Array(bl.prefix(2))
                br = Array(br.prefix(2))
            }
        }
        for i in 0..<(bl.count - 1) { hull.append(order[bl[i]]) }
        for i in stride(from: br.count - 1, to: 0, by: -1) { hull.append(order[br[i]]) }
        return cyclicallyShifted(hull)
    }

    /// OpenCV's `Sklansky_`: one quarter of the hull between sorted positions `start` and `end`. Returns the stack
    /// of sorted positions (its last entry is the one OpenCV leaves past the count, dropped here).
    private static func sklansky(_ p: [SIMD2<Int32>], start: Int, end endIndex: Int, nsign: Int, sign2: Int) -> [Int] {
        if start == endIndex || p[start] == p[endIndex] { return [start] }
        let increment = endIndex > start ? 1 : -1
        var prev = start, cur = start + increment, next = cur + increment
        var stack = [prev, cur, next]
        let afterEnd = endIndex + increment
        func sign<T: BinaryInteger>(_ v: T) -> Int { v > 0 ? 1 : (v < 0 ? -1 : 0) }
        while next != afterEnd {
            let by = Int64(p[next].y) - Int64(p[cur].y)
            if sign(by) != nsign {
                let ax = Int64(p[cur].x) - Int64(p[prev].x), bx = Int64(p[next].x) - Int64(p[cur].x)
                let ay = Int64(p[cur].y) - Int64(p[prev].y)
                let convexity = ay * bx - ax * by
                if sign(convexity) == sign2 && (ax != 0 || ay != 0) {
                    prev = cur
                    cur = next
                    next += increment
                    stack.append(next)
                } else if prev == start {
                    cur = next
                    stack[1] = cur
                    next += increment
                    stack[2] = next
                } else {
                    stack[stack.count - 2] = next
                    cur = prev
                    prev = stack[stack.count - 4]
                    stack.removeLast()
                }
            } else {
                next += increment
                stack[stack.count - 1] = next
            }
        }
        stack.removeLast()
        return stack
    }

    /// OpenCV's last step: when the hull's indices run up or down cyclically, rotate the list so they start at
    /// the extreme index.
    private static func cyclicallyShifted(_ hull: [Int]) -> [Int] {
        let n = hull.count
        guard n >= 3 else { return hull }
        var minIndex = 0, maxIndex = 0, rising = 0
        for i in 1..<n {
            let index = hull[i]
            if hull[i - 1] < index { rising += 1 }
            if rising > 1 && rising <= i - 2 { break }
            if index < hull[minIndex] { minIndex = i }
            if index > hull[maxIndex] { maxIndex = i }
        }
        let distance = abs(maxIndex - minIndex)
        guard (distance == 1 || distance == n - 1) && (rising <= 1 || rising >= n - 2) else { return hull }
        let ascending = (maxIndex + 1) % n == minIndex
        let first = ascending ? minIndex : maxIndex
        guard first > 0 else { return hull }
        var shifted: [Int] = []
        var j = first
        for i in 0..<n {
            let current = hull[j]
            shifted.append(current)
            let nextJ = j + 1 < n ? j + 1 : 0
            if i < n - 1 && (ascending != (current < hull[nextJ])) { return hull }
            j = nextJ
        }
        return shifted
    }

    // MARK: - Rotating calipers (CALIPERS_MINAREARECT)

    /// OpenCV's `rotatingCalipers` in min-area mode: returns the rectangle's corner, its first side vector and
    /// its second side vector.
    private static func rotatingCalipers(_ points: [SIMD2<Float>]) -> [SIMD2<Float>] {
        let n = points.count
        var minArea = Float.greatestFiniteMagnitude
        var vect = [SIMD2<Float>](repeating: .zero, count: n)
        var inverseLength = [Float](repeating: 0, count: n)
        var left = 0, bottom = 0, right = 0, top = 0
        var pt0 = points[0]
        var leftX = pt0.x, rightX = pt0.x, topY = pt0.y, bottomY = pt0.y
        for i in 0..<n {
            if pt0.x < leftX { leftX = pt0.x; left = i }
            if pt0.x > rightX { rightX = pt0.x; right = i }
            if pt0.y > topY { topY = pt0.y; top = i }
            if pt0.y < bottomY { bottomY = pt0.y; bottom = i }
            let pt = points[i + 1 < n ? i + 1 : 0]
            let dx = Double(pt.x - pt0.x), dy = Double(pt.y - pt0.y)
            vect[i] = SIMD2(Float(dx), Float(dy))
            inverseLength[i] = Float(1 / (dx * dx + dy * dy).squareRoot())
            pt0 = pt
        }
        // The hull's orientation.
        var orientation: Float = 0
        var ax = Double(vect[n - 1].x), ay = Double(vect[n - 1].y)
        for i in 0..<n {
            let bx = Double(vect[i].x), by = Double(vect[i].y)
            let convexity = ax * by - ay * bx
            if convexity != 0 {
                orientation = convexity > 0 ? 1 : -1
                break
            }
            ax = bx
            ay = by
        }
        var baseA = orientation, baseB: Float = 0
        var seq = [bottom, right, top, left]
        var best: (left: Int, a: Float, width: Float, b: Float, height: Float, bottom: Int) = (0, 0, 0, 0, 0, 0)
        for _ in 0..<n {
            let dp: [Float] = [
                baseA * vect[seq[0]].x + baseB * vect[seq[0]].y,
                -baseB * vect[seq[1]].x + baseA * vect[seq[1]].y,
                -baseA * vect[seq[2]].x - baseB * vect[seq[2]].y,
                baseB * vect[seq[3]].x - baseA * vect[seq[3]].y,
            ]
            var maxCos = dp[0] * inverseLength[seq[0]]
            var main = 0
            for i in 1..<4 {
                let cosAlpha = dp[i] * inverseLength[seq[i]]
                if cosAlpha > maxCos {
                    main = i
                    maxCos = cosAlpha
                }
            }
            let index = seq[main]
            let leadX = vect[index].x * inverseLength[index], leadY = vect[index].y * inverseLength[index]
            switch main {
            case 0: baseA = leadX; baseB = leadY
            case 1: baseA = leadY; baseB = -leadX
            case 2: baseA = -leadX; baseB = -leadY
            default: baseA = -leadY; baseB = leadX
            }
            seq[main] += 1
            if seq[main] == n { seq[main] = 0 }
            var dx = points[seq[1]].x - points[seq[3]].x
            var dy = points[seq[1]].y - points[seq[3]].y
            let width = dx * baseA + dy * baseB
            dx = points[seq[2]].x - points[seq[0]].x
            dy = points[seq[2]].y - points[seq[0]].y
            let height = -dx * baseB + dy * baseA
            let area = width * height
            if area <= minArea {
                minArea = area
                best = (seq[3], baseA, width, baseB, height, seq[0])
            }
        }
        let a1 = best.a, b1 = best.b, a2 = -best.b, b2 = best.a
        let c1 = a1 * points[best.left].x + points[best.left].y * b1
        let c2 = a2 * points[best.bottom].x + points[best.bottom].y * b2
        let inverseDeterminant = 1 / (a1 * b2 - a2 * b1)
        let px = (c1 * b2 - c2 * b1) * inverseDeterminant
        let py = (a1 * c2 - a2 * c1) * inverseDeterminant
        return [SIMD2(px, py), SIMD2(a1 * best.width, b1 * best.width), SIMD2(a2 * best.height, b2 * best.height)]
    }
}
