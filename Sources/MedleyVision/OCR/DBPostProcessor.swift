/// Settings of PP-OCR's DB (differentiable binarisation) post-processing; the defaults are RapidOCR 1.4.4's
/// `config.yaml` (`Det` section).
public struct TextDetectionSettings: Sendable, Equatable {
    /// A map pixel is text when its probability is above this (`thresh`).
    public var threshold: Float = 0.3
    /// A region is kept when the mean probability inside its box reaches this (`box_thresh`).
    public var boxThreshold: Float = 0.5
    /// How far a box grows: `area * ratio / perimeter` pixels (`unclip_ratio`).
    public var unclipRatio: Double = 1.6
    /// At most this many regions are examined (`max_candidates`).
    public var maxCandidates = 1000
    /// The detector's input short side is raised to this, in multiples of 32 (`limit_side_len`, `limit_type: min`).
    public var shortSideLimit = 736

    public init() {}
}

/// Turns the detector's probability map into text boxes, as RapidOCR's `DBPostProcess` does (notes/vision-models.md,
/// section 2.3): threshold, 2x2 dilation, regions, minimum-area rectangles, box score, unclip, rectangles again,
/// scaling to the image.
enum DBPostProcessor {
    /// Regions whose rectangle's short side is below this are noise (`min_size`); after unclipping the limit is
    /// this plus 2.
    static let minSize: Float = 3

    /// Text boxes (four corners each, in the order top-left, top-right, bottom-right, bottom-left of
    /// `get_mini_boxes`) in the coordinates of an image of `imageWidth` x `imageHeight`.
    static func boxes(probabilities p: UnsafeBufferPointer<Float>, width: Int, height: Int, imageWidth: Int,
                      imageHeight: Int, settings: TextDetectionSettings) -> [[SIMD2<Float>]] {
        // Threshold, then dilate with a 2x2 kernel anchored at its bottom-right: a pixel is set when it or its left,
        // upper or upper-left neighbour is above the threshold (cv2.dilate with np.ones((2, 2))).
        var above = [UInt8](repeating: 0, count: width * height)
        for i in 0..<(width * height) where p[i] > settings.threshold { above[i] = 1 }
        var mask = above
        for y in 0..<height {
            for x in 0..<width where above[y * width + x] == 0 {
                let left = x > 0 && above[y * width + x - 1] != 0
                let up = y > 0 && above[(y - 1) * width + x] != 0
                let upLeft = x > 0 && y > 0 && above[(y - 1) * width + x - 1] != 0
                if left || up || upLeft { mask[y * width + x] = 1 }
            }
        }
        var result: [[SIMD2<Float>]] = []
        for region in TextRegions.find(in: mask, width: width, height: height).prefix(settings.maxCandidates) {
            let rect = MinAreaRect.of(region)
            guard rect.shortSide >= minSize else { continue }
            let corners = orderedCorners(rect.corners)
            let score = boxScore(p, width: width, height: height, corners: corners)
            guard score >= settings.boxThreshold else { continue }
            let distance = PolygonOffset.unclipDistance(corners, ratio: settings.unclipRatio)
            let grown = PolygonOffset.grow(corners, by: distance)
            guard !grown.isEmpty else { continue }
            let expanded = MinAreaRect.of(grown)
            guard expanded.shortSide >= minSize + 2 else { continue }
            // Map coordinates to the image: round half to even (np.round) in Float, clipped to the image size.
            let scaleX = Float(imageWidth), scaleY = Float(imageHeight)
            let box = orderedCorners(expanded.corners).map { corner in
                SIMD2<Float>(min(max((corner.x / Float(width) * scaleX).rounded(.toNearestOrEven), 0), scaleX),
                             min(max((corner.y / Float(height) * scaleY).rounded(.toNearestOrEven), 0), scaleY))
            }
            result.append(box)
        }
        return result
    }

    /// RapidOCR's `get_mini_boxes` order: sorted by x (stable), then the left pair and the right pair each split
    /// by y into top and bottom. Returns top-left, top-right, bottom-right, bottom-left.
    static func orderedCorners(_ points: [SIMD2<Float>]) -> [SIMD2<Float>] {
        let sorted = points.enumerated().sorted {
            $0.element.x != $1.element.x ? $0.element.x < $1.element.x : $0.offset < $1.offset
        }
            .map(\.element)
        let (topLeft, bottomLeft) = sorted[1].y > sorted[0].y ? (sorted[0], sorted[1]) : (sorted[1], sorted[0])
        let (topRight, bottomRight) = sorted[3].y > sorted[2].y ? (sorted[2], sorted[3]) : (sorted[3], sorted[2])
        return [topLeft, topRight, bottomRight, bottomLeft]
    }

    /// RapidOCR's `box_score_fast`: the mean probability over the box's pixels. The box's corners are truncated to
    /// integers relative to its bounding box, and the quadrilateral is filled with its edges included (OpenCV's
    /// `fillPoly` draws the outline too).
    static func boxScore(_ p: UnsafeBufferPointer<Float>, width: Int, height: Int, corners: [SIMD2<Float>]) -> Float {
        let xs = corners.map(\.x), ys = corners.map(\.y)
        guard let minXValue = xs.min(), let maxXValue = xs.max(), let minYValue = ys.min(), let maxYValue = ys.max(),
              minXValue.isFinite, maxXValue.isFinite, minYValue.isFinite, maxYValue.isFinite else { return 0 }
        func clampedIndex(_ v: Float, _ limit: Int) -> Int { min(max(Int(max(min(v, 1e9), -1e9)), 0), limit - 1) }
        let xMin = clampedIndex(minXValue.rounded(.down), width), xMax = clampedIndex(maxXValue.rounded(.up), width)
        let yMin = clampedIndex(minYValue.rounded(.down), height), yMax = clampedIndex(maxYValue.rounded(.up), height)
        let maskWidth = xMax - xMin + 1, maskHeight = yMax - yMin + 1
        // Vertices relative to the mask, truncated toward zero (numpy's astype(int32)).
        let vertices = corners.map { SIMD2<Int>(Int($0.x - Float(xMin)), Int($0.y - Float(yMin))) }
        var mask = [Bool](repeating: false, count: maskWidth * maskHeight)
        PolygonRaster.fill(vertices, into: &mask, width: maskWidth, height: maskHeight)
        var sum: Double = 0
        var count = 0
        for y in 0..<maskHeight {
            for x in 0..<maskWidth where mask[y * maskWidth + x] {
                sum += Double(p[(y + yMin) * width + x + xMin])
                count += 1
            }
        }
        return count > 0 ? Float(sum / Double(count)) : 0
    }
}
