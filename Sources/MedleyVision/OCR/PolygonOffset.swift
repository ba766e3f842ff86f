import Foundation

/// Grows a polygon outwards by a distance with round corners, as pyclipper (Clipper 6.4.2's `ClipperOffset` with
/// `JT_ROUND`, `ET_CLOSEDPOLYGON`, arc tolerance 0.25) does it for PP-OCR's "unclip" step.
///
/// Moving each side out by the distance is not the same: the rounded corners, Clipper's integer coordinates and its
/// rounding move the final text box by a pixel or two (notes/vision-models.md, section 2.3 step 5). This follows
/// Clipper's arithmetic step by step: coordinates truncated to integers on the way in (pyclipper's conversion),
/// unit normals, an arc of `max(round(stepsPerRadian * angle), 1)` points per corner, each rounded half away from
/// zero. Clipper's final union only drops collinear points, which do not change the hull that is used next.
enum PolygonOffset {
    /// Clipper's default arc tolerance, in its integer units (pixels here).
    static let arcTolerance = 0.25

    /// The grown polygon's points, or an empty list for a degenerate input (fewer than 3 distinct points).
    static func grow(_ corners: [SIMD2<Float>], by delta: Double) -> [SIMD2<Int32>] {
        // pyclipper converts each coordinate with C's truncation; repeated points are dropped (Clipper's AddPath).
        var path: [SIMD2<Int64>] = []
        for corner in corners {
            guard corner.x.isFinite, corner.y.isFinite, abs(corner.x) < 1e9, abs(corner.y) < 1e9 else { return [] }
            let point = SIMD2<Int64>(Int64(corner.x), Int64(corner.y))
            if path.last != point { path.append(point) }
        }
        while path.count > 1 && path.last == path.first { path.removeLast() }
        guard path.count >= 3, delta > 0, delta.isFinite else { return [] }
        // Outer polygons must have positive orientation (Clipper's FixOrientations).
        if area(path) < 0 { path.reverse() }

        let tolerance = arcTolerance > delta * arcTolerance ? delta * arcTolerance : arcTolerance
        var steps = Double.pi / acos(1 - tolerance / delta)
        if steps > delta * Double.pi { steps = delta * Double.pi }
        let sine = sin(2 * Double.pi / steps), cosine = cos(2 * Double.pi / steps)
        let stepsPerRadian = steps / (2 * Double.pi)

        let count = path.count
        let normals: [SIMD2<Double>] = (0..<count).map { j in
            let a = path[j], b = path[(j + 1) % count]
            let dx = Double(b.x - a.x), dy = Double(b.y - a.y)
            if dx == 0 && dy == 0 { return .zero }
            let f = 1 / (dx * dx + dy * dy).squareRoot()
            return SIMD2(dy * f, -dx * f)
        }
        var out: [SIMD2<Int32>] = []
        // Clipper's Round: half away from zero, computed as a shifted truncation.
        func clipperRound(_ v: Double) -> Int32 { Int32(clamping: Int64(v < 0 ? v - 0.5 : v + 0.5)) }
        func emit(_ x: Double, _ y: Double) { out.append(SIMD2(clipperRound(x), clipperRound(y))) }
        var k = count - 1
        for j in 0..<count {
            let source = SIMD2<Double>(Double(path[j].x), Double(path[j].y))
            var sinA = normals[k].x * normals[j].y - normals[j].x * normals[k].y
            let cosA = normals[k].x * normals[j].x + normals[j].y * normals[k].y
            if abs(sinA * delta) < 1.0 && cosA > 0 {
                // Nearly straight: one point, and (as in Clipper) the previous edge stays the reference.
                emit(source.x + normals[k].x * delta, source.y + normals[k].y * delta)
                continue
            }
            sinA = min(max(sinA, -1), 1)
            if sinA * delta < 0 {
                // A concave corner (not reached for rectangles).
                emit(source.x + normals[k].x * delta, source.y + normals[k].y * delta)
                out.append(SIMD2(Int32(clamping: path[j].x), Int32(clamping: path[j].y)))
                emit(source.x + normals[j].x * delta, source.y + normals[j].y * delta)
            } else {
                // DoRound.
                let angle = atan2(sinA, normals[k].x * normals[j].x + normals[k].y * normals[j].y)
                let arcSteps = max(Int(round(stepsPerRadian * abs(angle))), 1)
                var x = normals[k].x, y = normals[k].y
                for _ in 0..<arcSteps {
                    emit(source.x + x * delta, source.y + y * delta)
                    let previousX = x
                    x = x * cosine - sine * y
                    y = previousX * sine + y * cosine
                }
                emit(source.x + normals[j].x * delta, source.y + normals[j].y * delta)
            }
            k = j
        }
        // Clipper's union merges repeated points.
        var merged: [SIMD2<Int32>] = []
        for point in out where merged.last != point { merged.append(point) }
        while merged.count > 1 && merged.last == merged.first { merged.removeLast() }
        return merged
    }

    /// Clipper's signed area (positive for its "positive" orientation).
    static func area(_ path: [SIMD2<Int64>]) -> Double {
        guard path.count >= 3 else { return 0 }
        var a = 0.0
        var j = path.count - 1
        for i in 0..<path.count {
            a += (Double(path[j].x) + Double(path[i].x)) * (Double(path[j].y) - Double(path[i].y))
            j = i
        }
        return -a * 0.5
    }

    /// The unclip distance of PP-OCR's DB post-processing: `area * ratio / perimeter` of the (float) box, as
    /// shapely's `Polygon.area` and `.length` compute them.
    static func unclipDistance(_ corners: [SIMD2<Float>], ratio: Double) -> Double {
        var area = 0.0, perimeter = 0.0
        for i in 0..<corners.count {
            let a = SIMD2<Double>(Double(corners[i].x), Double(corners[i].y))
            let b = SIMD2<Double>(Double(corners[(i + 1) % corners.count].x), Double(corners[(i + 1) % corners.count].y))
            area += a.x * b.y - b.x * a.y
            perimeter += ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
        }
        return perimeter > 0 ? abs(area) / 2 * ratio / perimeter : 0
    }
}
