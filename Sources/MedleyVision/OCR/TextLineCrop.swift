import MedleyCore

extension Image {
    /// The quadrilateral region (corners top-left, top-right, bottom-right, bottom-left) straightened into a
    /// rectangle as wide as its longer horizontal side and as tall as its longer vertical side (both truncated).
    ///
    /// This is RapidOCR's `get_rotate_crop_image`: a perspective warp with bicubic sampling and replicated borders
    /// (`cv2.warpPerspective(..., INTER_CUBIC, BORDER_REPLICATE)`), turned 90° counter-clockwise when the result is
    /// at least 1.5 times taller than wide (a vertical line of text). Nil when the quadrilateral is degenerate.
    func perspectiveCrop(_ corners: [SIMD2<Float>]) -> Image? {
        guard corners.count == 4 else { return nil }
        func distance(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }
        let width = Int(max(distance(corners[0], corners[1]), distance(corners[2], corners[3])))
        let height = Int(max(distance(corners[0], corners[3]), distance(corners[1], corners[2])))
        guard width > 0, height > 0 else { return nil }
        let target = [ImagePoint(x: 0, y: 0), ImagePoint(x: Double(width), y: 0),
                      ImagePoint(x: Double(width), y: Double(height)), ImagePoint(x: 0, y: Double(height))]
        let source = corners.map { ImagePoint(x: Double($0.x), y: Double($0.y)) }
        // OpenCV computes source-to-target and inverts it; solving target-to-source directly is the same map.
        guard let map = Homography(from: target, to: source) else { return nil }
        let crop = warped(sourceFromOutput: map, width: width, height: height, interpolation: .bicubic,
                          border: .replicate)
        return Double(crop.height) / Double(crop.width) >= 1.5 ? crop.rotated(.counterClockwise) : crop
    }
}
