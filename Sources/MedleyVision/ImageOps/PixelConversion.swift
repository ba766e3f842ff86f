import MedleyCore

extension Image {
    /// True when rows are stored back to back (`stride == width * bytesPerPixel`), the layout every image
    /// operation here produces.
    public var isPacked: Bool { stride == width * format.bytesPerPixel }

    /// The same picture with rows stored back to back; `self` when it already is.
    public func packed() -> Image {
        if isPacked && pixels.count == stride * height { return self }
        let rowBytes = width * format.bytesPerPixel
        var out = [UInt8](repeating: 0, count: rowBytes * height)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                for y in 0..<height {
                    for i in 0..<rowBytes { destination[y * rowBytes + i] = source[y * stride + i] }
                }
            }
        }
        return Image(width: width, height: height, format: format, pixels: out)
    }

    /// The picture in another pixel format.
    ///
    /// - gray to colour copies the grey value into R, G and B (alpha 255);
    /// - colour to gray uses the ITU-R BT.601 luma weights 0.299, 0.587, 0.114 in OpenCV's 14-bit fixed point
    ///   (`cv2.cvtColor(..., COLOR_RGB2GRAY)`);
    /// - RGBA to RGB drops alpha without compositing (what Pillow's `convert("RGB")` does), RGB to RGBA adds
    ///   alpha 255.
    public func converted(to target: PixelFormat) -> Image {
        let source = packed()
        if target == format { return source }
        let count = width * height
        let inBytes = format.bytesPerPixel, outBytes = target.bytesPerPixel
        var out = [UInt8](repeating: 255, count: count * outBytes)
        source.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count {
                    let s = i * inBytes, d = i * outBytes
                    switch (format, target) {
                    case (.gray8, _):
                        dst[d] = src[s]; dst[d + 1] = src[s]; dst[d + 2] = src[s]
                    case (_, .gray8):
                        dst[d] = Self.luma(src[s], src[s + 1], src[s + 2])
                    default:
                        dst[d] = src[s]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s + 2]
                    }
                }
            }
        }
        return Image(width: width, height: height, format: target, pixels: out)
    }

    /// OpenCV's RGB-to-gray: weights 0.299, 0.587, 0.114 scaled by 2^14 (4899, 9617, 1868), rounded.
    @inline(__always)
    static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let sum: Int = Int(r) * 4899 + Int(g) * 9617 + Int(b) * 1868
        return UInt8((sum + 8192) >> 14)
    }
}
