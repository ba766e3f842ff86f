/// Connected regions of a binary text map, each as the border points a contour tracer would list.
///
/// RapidOCR finds regions with `cv2.findContours(RETR_LIST, CHAIN_APPROX_SIMPLE)` and only ever uses a region's
/// convex hull. 8-connected components give the same hulls (notes/vision-models.md, section 2.3 step 2), and a
/// component's hull vertices are among the leftmost and rightmost pixels of its rows, so those are all that is
/// kept. They are listed in OpenCV's tracing order (from the top-left pixel, down the left side and back up the
/// right side, counter-clockwise on screen), which decides ties in ``MinAreaRect``.
enum TextRegions {
    /// Regions in the order of their first pixel (row by row), each as its border points.
    static func find(in mask: [UInt8], width: Int, height: Int) -> [[SIMD2<Int32>]] {
        guard width > 0, height > 0 else { return [] }
        var labels = [Int32](repeating: 0, count: width * height)
        var parent: [Int32] = [0]  // parent[0] is the background

        func root(_ label: Int32) -> Int32 {
            var r = label
            while parent[Int(r)] != r { r = parent[Int(r)] }
            var l = label
            while parent[Int(l)] != r {
                let next = parent[Int(l)]
                parent[Int(l)] = r
                l = next
            }
            return r
        }
        func union(_ a: Int32, _ b: Int32) -> Int32 {
            let ra = root(a), rb = root(b)
            if ra == rb { return ra }
            let (low, high) = ra < rb ? (ra, rb) : (rb, ra)
            parent[Int(high)] = low
            return low
        }

        // First pass: provisional labels from the already visited neighbours (W, NW, N, NE).
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] != 0 {
                var label: Int32 = 0
                func consider(_ nx: Int, _ ny: Int) {
                    guard nx >= 0, nx < width, ny >= 0 else { return }
                    let neighbour = labels[ny * width + nx]
                    guard neighbour != 0 else { return }
                    label = label == 0 ? root(neighbour) : union(label, neighbour)
                }
                consider(x - 1, y)
                consider(x - 1, y - 1)
                consider(x, y - 1)
                consider(x + 1, y - 1)
                if label == 0 {
                    label = Int32(parent.count)
                    parent.append(label)
                }
                labels[y * width + x] = label
            }
        }

        // Second pass: each row's leftmost and rightmost pixel per region, regions numbered by first pixel.
        var regionOf = [Int32](repeating: -1, count: parent.count)
        var rows: [[(y: Int32, left: Int32, right: Int32)]] = []
        for y in 0..<height {
            for x in 0..<width {
                let label = labels[y * width + x]
                guard label != 0 else { continue }
                let r = Int(root(label))
                var region = regionOf[r]
                if region < 0 {
                    region = Int32(rows.count)
                    regionOf[r] = region
                    rows.append([])
                }
                let i = Int(region)
                if let last = rows[i].last, last.y == Int32(y) {
                    rows[i][rows[i].count - 1].right = Int32(x)
                } else {
                    rows[i].append((Int32(y), Int32(x), Int32(x)))
                }
            }
        }
        return rows.map { extents in
            var points = extents.map { SIMD2<Int32>($0.left, $0.y) }
            for extent in extents.reversed() where extent.right != extent.left {
                points.append(SIMD2(extent.right, extent.y))
            }
            return points
        }
    }
}

/// Filling a polygon with integer vertices the way OpenCV's `fillPoly` covers pixels: the interior row by row and
/// the outline drawn as 8-connected lines.
enum PolygonRaster {
    static func fill(_ vertices: [SIMD2<Int>], into mask: inout [Bool], width: Int, height: Int) {
        guard vertices.count >= 3 else { return }
        func set(_ x: Int, _ y: Int) {
            if x >= 0, y >= 0, x < width, y < height { mask[y * width + x] = true }
        }
        // Interior: on each row, the span between the leftmost and rightmost crossing of the outline.
        let n = vertices.count
        let top = max(0, vertices.map(\.y).min() ?? 0), bottom = min(height - 1, vertices.map(\.y).max() ?? -1)
        if top <= bottom {
            for y in top...bottom {
                var low = Double.infinity, high = -Double.infinity
                for i in 0..<n {
                    let a = vertices[i], b = vertices[(i + 1) % n]
                    let (y0, y1) = (min(a.y, b.y), max(a.y, b.y))
                    guard y >= y0, y <= y1 else { continue }
                    if a.y == b.y {
                        low = min(low, Double(min(a.x, b.x)))
                        high = max(high, Double(max(a.x, b.x)))
                    } else {
                        let x = Double(a.x) + Double(y - a.y) * Double(b.x - a.x) / Double(b.y - a.y)
                        low = min(low, x)
                        high = max(high, x)
                    }
                }
                guard low <= high else { continue }
                let from = max(0, Int(low.rounded(.up))), to = min(width - 1, Int(high.rounded(.down)))
                if from <= to { for x in from...to { mask[y * width + x] = true } }
            }
        }
        // Outline.
        for i in 0..<n {
            let a = vertices[i], b = vertices[(i + 1) % n]
            var x = a.x, y = a.y
            let dx = abs(b.x - a.x), dy = -abs(b.y - a.y)
            let sx = a.x < b.x ? 1 : -1, sy = a.y < b.y ? 1 : -1
            var error = dx + dy
            while true {
                set(x, y)
                if x == b.x && y == b.y { break }
                let e2 = 2 * error
                if e2 >= dy { error += dy; x += sx }
                if e2 <= dx { error += dx; y += sy }
            }
        }
    }
}
