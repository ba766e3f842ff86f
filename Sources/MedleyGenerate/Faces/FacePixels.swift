import MedleyCore

/// Turns the synthesis network's output tensor into an 8-bit picture, as random_face's `tensor_to_img` does.
enum FacePixels {
    /// The picture of an `img` output, [1, 3, H, W] float planes.
    ///
    /// Per value, in Float like numpy's float32 arithmetic: clip to the config's range, `(v - lo) / (hi - lo +
    /// 1e-5)`, then `v * 255 + 0.5` clipped to [0, 255] and truncated to a byte.
    ///
    /// Channel order: the planes are R, G, B, and written as R, G, B. random_face's config says
    /// `img_rgb2bgr: true` because its network emits RGB and OpenCV wants BGR: the package reverses the planes
    /// only to hand `cv2.imshow`/`imwrite` the BGR they expect. Looking at the pictures confirms it: planes
    /// written in their own order give natural skin tones and lips; reversed, skin turns blue-grey.
    static func image(from output: Tensor, config: FaceModelConfig) throws -> Image {
        guard output.elementType == .f32, output.shape.count == 4, output.shape[0] == 1, output.shape[1] == 3,
              output.shape[2] > 0, output.shape[3] > 0
        else {
            throw MedleyError.invalidModel(
                id: FaceGenerator.modelID,
                reason: "the synthesis network returned \(output.elementType) \(output.shape), expected f32 [1,3,H,W]")
        }
        let height = output.shape[2], width = output.shape[3]
        let plane = width * height
        let low = config.outputRange.lowerBound, high = config.outputRange.upperBound
        // numpy computes `hi - lo + 1e-5` in Python floats (double), then divides the float32 array by it as float32.
        let span = Float(Double(high) - Double(low) + normalizationEpsilon)
        let normalizes = config.normalizes
        var pixels = [UInt8](repeating: 0, count: plane * 3)
        output.withUnsafeRawBytes { raw in
            pixels.withUnsafeMutableBufferPointer { out in
                for channel in 0..<3 {
                    let base = channel * plane * 4
                    for index in 0..<plane {
                        var value = raw.loadUnaligned(fromByteOffset: base + index * 4, as: Float.self)
                        if normalizes { value = (min(max(value, low), high) - low) / span }
                        let scaled = value * 255 + 0.5
                        // Written as comparisons so that NaN (every comparison false) becomes 0 instead of trapping.
                        out[index * 3 + channel] = scaled >= 255 ? 255 : scaled > 0 ? UInt8(scaled) : 0
                    }
                }
            }
        }
        return Image(width: width, height: height, format: .rgb8, pixels: pixels)
    }

    /// The `1e-5` random_face adds to the range so that `hi` maps just below 1.
    static let normalizationEpsilon = 1e-5
}
