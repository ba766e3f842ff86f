import MedleyCore

/// The memory order of an image tensor.
public enum TensorLayout: String, Sendable {
    /// `[N, C, H, W]`: one plane per channel (ONNX exports of PaddlePaddle and PyTorch models).
    case nchw
    /// `[N, H, W, C]`: channels interleaved (TensorFlow and TFLite models).
    case nhwc
}

/// The order of the colour channels in a tensor.
public enum ChannelOrder: String, Sendable {
    case rgb
    /// Blue, green, red: OpenCV's and Caffe's order.
    case bgr
}

/// `value = (byte - mean[c]) * scale[c]` per tensor channel c (in the tensor's channel order).
public struct PixelNormalization: Sendable, Equatable {
    /// Subtracted from each byte, per channel.
    public var mean: [Float]
    /// Multiplies the difference, per channel.
    public var scale: [Float]

    /// A normalisation with a mean and a scale per tensor channel.
    public init(mean: [Float], scale: [Float]) {
        self.mean = mean
        self.scale = scale
    }

    /// The same mean and scale for every channel.
    public init(mean: Float, scale: Float) {
        self.init(mean: [mean, mean, mean], scale: [scale, scale, scale])
    }

    /// `(v / 255 - 0.5) / 0.5`, into [-1, 1] (PP-OCR).
    public static let symmetricUnit = PixelNormalization(mean: 127.5, scale: 1 / 127.5)
    /// Bytes as they are.
    public static let identity = PixelNormalization(mean: 0, scale: 1)
}

extension Image {
    /// The picture as a float tensor of batch 1 with three channels: grey is repeated into all three, alpha is
    /// dropped.
    public func tensor(layout: TensorLayout, channelOrder: ChannelOrder = .rgb,
                       normalization: PixelNormalization = .identity) -> Tensor {
        let shape = layout == .nchw ? [1, 3, height, width] : [1, height, width, 3]
        var tensor = Tensor(zeros: shape, elementType: .f32)
        tensor.withUnsafeMutableRawBytes { raw in
            let floats = raw.bindMemory(to: Float.self)
            writeTensor(into: floats, layout: layout, channelOrder: channelOrder, normalization: normalization,
                        tensorWidth: width, tensorHeight: height)
        }
        return tensor
    }

    /// Writes the picture into one image of a float tensor of size `tensorWidth` x `tensorHeight` (at least the
    /// picture's size), at the top-left; the rest of the slot is left as it is.
    ///
    /// - Parameter floats: the slot: `3 * tensorHeight * tensorWidth` floats.
    func writeTensor(into floats: UnsafeMutableBufferPointer<Float>, layout: TensorLayout, channelOrder: ChannelOrder,
                     normalization: PixelNormalization, tensorWidth: Int, tensorHeight: Int) {
        let channels = format.bytesPerPixel
        let picks: [Int]
        switch (format, channelOrder) {
        case (.gray8, _): picks = [0, 0, 0]
        case (_, .rgb): picks = [0, 1, 2]
        case (_, .bgr): picks = [2, 1, 0]
        }
        let mean = normalization.mean, scale = normalization.scale
        let rows = min(height, tensorHeight), columns = min(width, tensorWidth)
        let plane = tensorWidth * tensorHeight
        pixels.withUnsafeBufferPointer { src in
            for c in 0..<3 {
                // A lookup per channel: one multiply-add per byte value instead of per pixel.
                var lookup = [Float](repeating: 0, count: 256)
                for v in 0..<256 { lookup[v] = (Float(v) - mean[c]) * scale[c] }
                let pick = picks[c]
                lookup.withUnsafeBufferPointer { table in
                    for y in 0..<rows {
                        let sourceRow = y * stride + pick
                        switch layout {
                        case .nchw:
                            let base = c * plane + y * tensorWidth
                            for x in 0..<columns { floats[base + x] = table[Int(src[sourceRow + x * channels])] }
                        case .nhwc:
                            let base = y * tensorWidth * 3 + c
                            for x in 0..<columns { floats[base + x * 3] = table[Int(src[sourceRow + x * channels])] }
                        }
                    }
                }
            }
        }
    }
}
