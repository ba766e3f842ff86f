import Foundation

/// BlazeFace short-range's anchors and output decoding, as MediaPipe's `face_detection_short_range` graph sets
/// them up (SsdAnchorsCalculator and TensorsToDetectionsCalculator options; notes/vision-models.md, section 3).
enum BlazeFaceDecoding {
    /// The model's square input size.
    static let inputSize = 128
    /// Box and keypoint offsets are in input pixels (`x_scale`, `y_scale`, `w_scale`, `h_scale` = 128).
    static let scale: Float = 128
    /// Regression values per anchor: box (4) and six keypoints (12).
    static let valuesPerAnchor = 16
    static let keypointCount = 6
    /// Logits are clamped to this before the sigmoid (`score_clipping_thresh`).
    static let scoreClipping: Float = 100

    /// Anchor centres in [0, 1], 896 of them: a 16x16 grid with 2 anchors per cell (stride 8), then an 8x8 grid
    /// with 6 per cell (the three stride-16 layers merged). Ordered by row, column, anchor; every anchor is 1x1
    /// (`fixed_anchor_size`), so only the centres matter.
    static let anchors: [SIMD2<Float>] = {
        var anchors: [SIMD2<Float>] = []
        for (grid, perCell) in [(16, 2), (8, 6)] {
            for row in 0..<grid {
                for column in 0..<grid {
                    let center = SIMD2<Float>((Float(column) + 0.5) / Float(grid), (Float(row) + 0.5) / Float(grid))
                    for _ in 0..<perCell { anchors.append(center) }
                }
            }
        }
        return anchors
    }()

    /// One decoded detection in the model's normalised [0, 1] input coordinates.
    struct Detection {
        var minX: Float, minY: Float, maxX: Float, maxY: Float
        var keypoints: [SIMD2<Float>]
        var score: Float

        var area: Float { max(0, maxX - minX) * max(0, maxY - minY) }

        func intersectionOverUnion(_ other: Detection) -> Float {
            let width = min(maxX, other.maxX) - max(minX, other.minX)
            let height = min(maxY, other.maxY) - max(minY, other.minY)
            guard width > 0, height > 0 else { return 0 }
            let overlap = width * height
            let union = area + other.area - overlap
            return union > 0 ? overlap / union : 0
        }
    }

    /// Every anchor's detection whose score reaches `minimumScore`.
    static func decode(regressors: UnsafeBufferPointer<Float>, logits: UnsafeBufferPointer<Float>,
                       minimumScore: Float) -> [Detection] {
        var detections: [Detection] = []
        for (index, anchor) in anchors.enumerated() where index < logits.count {
            let logit = min(max(logits[index], -scoreClipping), scoreClipping)
            let score = 1 / (1 + exp(-logit))
            guard score >= minimumScore else { continue }
            let r = index * valuesPerAnchor
            guard r + valuesPerAnchor <= regressors.count else { break }
            let cx = regressors[r] / scale + anchor.x, cy = regressors[r + 1] / scale + anchor.y
            let w = regressors[r + 2] / scale, h = regressors[r + 3] / scale
            guard w >= 0, h >= 0 else { continue }
            let keypoints = (0..<keypointCount).map { k in
                SIMD2<Float>(regressors[r + 4 + 2 * k] / scale + anchor.x, regressors[r + 5 + 2 * k] / scale + anchor.y)
            }
            detections.append(Detection(minX: cx - w / 2, minY: cy - h / 2, maxX: cx + w / 2, maxY: cy + h / 2,
                                        keypoints: keypoints, score: score))
        }
        return detections
    }

    /// MediaPipe's weighted non-maximum suppression: the best remaining detection and every remaining one that
    /// overlaps it by more than `threshold` IoU (itself included) merge into their score-weighted mean box and
    /// keypoints, keeping the best one's score.
    static func weightedSuppression(_ detections: [Detection], threshold: Float) -> [Detection] {
        var remaining = detections.sorted { $0.score > $1.score }
        var output: [Detection] = []
        while let top = remaining.first {
            // The top detection is always its own candidate, even when degenerate (zero area, IoU 0).
            var candidates: [Detection] = [top]
            var rest: [Detection] = []
            for detection in remaining.dropFirst() {
                if top.intersectionOverUnion(detection) > threshold {
                    candidates.append(detection)
                } else {
                    rest.append(detection)
                }
            }
            var merged = top
            let total = candidates.reduce(0) { $0 + $1.score }
            if total > 0 {
                merged.minX = candidates.reduce(0) { $0 + $1.minX * $1.score } / total
                merged.minY = candidates.reduce(0) { $0 + $1.minY * $1.score } / total
                merged.maxX = candidates.reduce(0) { $0 + $1.maxX * $1.score } / total
                merged.maxY = candidates.reduce(0) { $0 + $1.maxY * $1.score } / total
                merged.keypoints = (0..<top.keypoints.count).map { k in
                    candidates.reduce(SIMD2<Float>.zero) { $0 + $1.keypoints[k] * $1.score } / total
                }
            }
            merged.score = top.score
            output.append(merged)
            remaining = rest
        }
        return output
    }
}
