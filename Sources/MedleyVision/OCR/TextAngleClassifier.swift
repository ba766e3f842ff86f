import Foundation
import MedleyCore
import MedleyRuntime

/// PP-OCR's text direction classifier: finds cropped lines that are upside down, as RapidOCR's `TextClassifier`
/// runs it (notes/vision-models.md, section 2.6).
final class TextAngleClassifier: Sendable {
    let model: CompiledModel
    /// A line is turned when the '180' class wins with more than this probability (`cls_thresh`).
    let threshold: Float

    /// The classifier's input: 3 x 48 x 192 (`cls_image_shape`).
    static let inputHeight = 48
    static let inputWidth = 192
    /// Lines per inference (`cls_batch_num`).
    static let batchSize = 6

    init(model: CompiledModel, threshold: Float) {
        self.model = model
        self.threshold = threshold
    }

    /// The crops with the upside-down ones turned 180°.
    func orient(_ crops: [Image]) throws -> [Image] {
        var result = crops
        let order = crops.indices.sorted {
            Double(crops[$0].width) / Double(crops[$0].height) < Double(crops[$1].width) / Double(crops[$1].height)
        }
        let plane = Self.inputHeight * Self.inputWidth
        for start in stride(from: 0, to: order.count, by: Self.batchSize) {
            try Task.checkCancellation()
            let batch = Array(order[start..<min(start + Self.batchSize, order.count)])
            var input = Tensor(zeros: [batch.count, 3, Self.inputHeight, Self.inputWidth], elementType: .f32)
            try input.withUnsafeMutableRawBytes { raw in
                let floats = raw.bindMemory(to: Float.self)
                for (slot, index) in batch.enumerated() {
                    let crop = crops[index]
                    let ratio = Double(crop.width) / Double(crop.height)
                    let width = min(Self.inputWidth, Int((Double(Self.inputHeight) * ratio).rounded(.up)))
                    let resized = try crop.resized(width: max(1, width), height: Self.inputHeight, method: .bilinear)
                    let slice = UnsafeMutableBufferPointer(rebasing: floats[(slot * 3 * plane)..<((slot + 1) * 3 * plane)])
                    resized.writeTensor(into: slice, layout: .nchw, channelOrder: .bgr, normalization: .symmetricUnit,
                                        tensorWidth: Self.inputWidth, tensorHeight: Self.inputHeight)
                }
            }
            guard let output = try model.run([input]).first, output.elementCount == batch.count * 2 else {
                throw MedleyError.invalidModel(id: "ppocr-mobile-v2-cls", reason: "expected [N,2] probabilities")
            }
            let probabilities = output.floats()
            for (slot, index) in batch.enumerated() {
                let upright = probabilities[slot * 2], flipped = probabilities[slot * 2 + 1]
                // argmax picks the first class on a tie.
                if flipped > upright && flipped > threshold { result[index] = crops[index].rotated(.halfTurn) }
            }
        }
        return result
    }
}
