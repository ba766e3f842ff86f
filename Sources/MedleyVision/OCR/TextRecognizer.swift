import Foundation
import MedleyCore
import MedleyRuntime

/// PP-OCRv4's text recogniser (SVTR-LCNet with a CTC head) as RapidOCR's `TextRecognizer` runs it (internal to
/// ``OCREngine``; public only for its batch size): lines sorted by
/// aspect ratio, six per batch, each batch padded to its widest line (notes/vision-models.md, section 2.7).
public final class TextRecognizer: Sendable {
    let model: CompiledModel
    let decoder: CTCDecoder
    /// Lines per model call.
    let batchSize: Int

    /// Input height (`rec_img_shape` [3, 48, 320]).
    static let inputHeight = 48
    /// The narrowest batch width (`rec_img_shape`): a batch is never narrower than 320/48 aspect ratio.
    static let minimumWidth = 320
    /// Lines per inference by default (RapidOCR's `rec_batch_num`).
    public static let batchSize = 6

    init(model: CompiledModel, decoder: CTCDecoder, batchSize: Int = TextRecognizer.batchSize) {
        self.model = model
        self.decoder = decoder
        self.batchSize = batchSize
    }

    /// Text and confidence of each crop, in the crops' order.
    ///
    /// Batching is kept as RapidOCR does it because it changes results: a line run alone gets its own padding and
    /// can read differently (8 of 102 test lines did, mostly in spaces).
    func recognize(_ crops: [Image]) throws -> [(text: String, confidence: Float)] {
        var results = [(text: String, confidence: Float)](repeating: ("", 0), count: crops.count)
        let ratios = crops.map { Double($0.width) / Double($0.height) }
        let order = crops.indices.sorted { ratios[$0] < ratios[$1] }
        let height = Self.inputHeight
        for start in stride(from: 0, to: order.count, by: batchSize) {
            try Task.checkCancellation()
            let batch = Array(order[start..<min(start + batchSize, order.count)])
            let maxRatio = batch.reduce(Double(Self.minimumWidth) / Double(height)) { max($0, ratios[$1]) }
            let batchWidth = Int(Double(height) * maxRatio)
            let plane = height * batchWidth
            var input = Tensor(zeros: [batch.count, 3, height, batchWidth], elementType: .f32)
            try input.withUnsafeMutableRawBytes { raw in
                let floats = raw.bindMemory(to: Float.self)
                for (slot, index) in batch.enumerated() {
                    let width = min(batchWidth, Int((Double(height) * ratios[index]).rounded(.up)))
                    let resized = try crops[index].resized(width: max(1, width), height: height, method: .bilinear)
                    let slice = UnsafeMutableBufferPointer(rebasing: floats[(slot * 3 * plane)..<((slot + 1) * 3 * plane)])
                    resized.writeTensor(into: slice, layout: .nchw, channelOrder: .bgr, normalization: .symmetricUnit,
                                        tensorWidth: batchWidth, tensorHeight: height)
                }
            }
            guard let output = try model.run([input]).first else {
                throw MedleyError.runtime("the text recogniser returned no output")
            }
            guard output.shape.count == 3, output.shape[0] == batch.count,
                  output.shape[2] == decoder.classes.count, output.elementType == .f32 else {
                throw MedleyError.invalidModel(
                    id: "ppocr-v4-rec",
                    reason: "expected [\(batch.count),T,\(decoder.classes.count)] f32 probabilities, got "
                        + "\(output.shape); the character table does not fit the model")
            }
            let steps = output.shape[1], stride = steps * output.shape[2]
            output.withUnsafeRawBytes { raw in
                let floats = raw.bindMemory(to: Float.self)
                for (slot, index) in batch.enumerated() {
                    let line = UnsafeBufferPointer(rebasing: floats[(slot * stride)..<((slot + 1) * stride)])
                    results[index] = decoder.decode(line, steps: steps)
                }
            }
        }
        return results
    }
}
