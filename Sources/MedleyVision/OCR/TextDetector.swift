import MedleyCore
import MedleyRuntime

/// PP-OCRv4's text detector (DB) with RapidOCR's pre- and post-processing: finds the quadrilateral box of every
/// line of text in an image.
///
/// Thread-safe: the compiled model is shared and each call borrows an inference request.
final class TextDetector: Sendable {
    let model: CompiledModel
    let settings: TextDetectionSettings

    /// The detector works on sizes that are multiples of this (the network downsamples by 32).
    static let sizeMultiple = 32

    init(model: CompiledModel, settings: TextDetectionSettings) {
        self.model = model
        self.settings = settings
    }

    /// `32 * round(value / 32)` with Python's round-half-to-even (RapidOCR's size rounding).
    static func roundToMultiple(_ value: Int) -> Int {
        sizeMultiple * Int((Double(value) / Double(sizeMultiple)).rounded(.toNearestOrEven))
    }

    /// The detector input size for an image: the short side raised to the limit, never shrunk, both sides
    /// rounded to multiples of 32 (RapidOCR's `DetPreProcess.resize` with `limit_type: min`).
    func inputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        var ratio = 1.0
        if min(width, height) < settings.shortSideLimit {
            ratio = Double(settings.shortSideLimit) / Double(height < width ? height : width)
        }
        return (Self.roundToMultiple(Int(Double(width) * ratio)), Self.roundToMultiple(Int(Double(height) * ratio)))
    }

    /// Boxes in `image`'s coordinates, corners ordered top-left, top-right, bottom-right, bottom-left, each
    /// clipped to the image and at least 4 px on each side.
    func detect(_ image: Image) throws -> [[SIMD2<Float>]] {
        let size = inputSize(width: image.width, height: image.height)
        guard size.width > 0, size.height > 0 else { return [] }
        let resized = try image.resized(width: size.width, height: size.height, method: .bilinear)
        let input = resized.tensor(layout: .nchw, channelOrder: .bgr, normalization: .symmetricUnit)
        try Task.checkCancellation()
        guard let map = try model.run([input]).first else {
            throw MedleyError.runtime("the text detector returned no output")
        }
        guard map.shape.count == 4, map.shape[2] == size.height, map.shape[3] == size.width, map.elementType == .f32
        else {
            throw MedleyError.invalidModel(
                id: "ppocr-v4-det", reason: "expected a [1,1,\(size.height),\(size.width)] f32 map, got \(map.shape)")
        }
        let boxes = map.withUnsafeRawBytes { raw in
            DBPostProcessor.boxes(probabilities: raw.bindMemory(to: Float.self), width: size.width, height: size.height,
                                  imageWidth: image.width, imageHeight: image.height, settings: settings)
        }
        return boxes.compactMap { Self.clockwiseClipped($0, width: image.width, height: image.height) }
    }

    /// RapidOCR's `filter_tag_det_res`: corners reordered by x (left pair and right pair, each by y), truncated
    /// into the image, and dropped when a side is 3 px or shorter.
    static func clockwiseClipped(_ box: [SIMD2<Float>], width: Int, height: Int) -> [SIMD2<Float>]? {
        let sorted = box.enumerated().sorted {
            $0.element.x != $1.element.x ? $0.element.x < $1.element.x : $0.offset < $1.offset
        }.map(\.element)
        let left = sorted[0].y <= sorted[1].y ? [sorted[0], sorted[1]] : [sorted[1], sorted[0]]
        let right = sorted[2].y <= sorted[3].y ? [sorted[2], sorted[3]] : [sorted[3], sorted[2]]
        let ordered = [left[0], right[0], right[1], left[1]].map { point in
            SIMD2<Float>(Float(Int(min(max(point.x, 0), Float(width - 1)))),
                         Float(Int(min(max(point.y, 0), Float(height - 1)))))
        }
        func length(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Int {
            Int(((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot())
        }
        guard length(ordered[0], ordered[1]) > 3, length(ordered[0], ordered[3]) > 3 else { return nil }
        return ordered
    }
}
