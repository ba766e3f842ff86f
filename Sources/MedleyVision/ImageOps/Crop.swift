import MedleyCore

extension Image {
    /// The part of the picture inside the rectangle, clipped to the image.
    ///
    /// - Throws: `invalidArgument` when the rectangle does not overlap the image.
    public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) throws -> Image {
        let left = max(0, x), top = max(0, y)
        let right = min(width, x + cropWidth), bottom = min(height, y + cropHeight)
        guard right > left, bottom > top else {
            throw MedleyError.invalidArgument(
                "crop \(cropWidth)x\(cropHeight) at (\(x), \(y)) lies outside the \(width)x\(height) image")
        }
        let channels = format.bytesPerPixel
        let outWidth = right - left, outHeight = bottom - top
        let rowBytes = outWidth * channels
        var out = [UInt8](repeating: 0, count: rowBytes * outHeight)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<outHeight {
                    let from = (top + row) * stride + left * channels
                    for i in 0..<rowBytes { dst[row * rowBytes + i] = src[from + i] }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, format: format, pixels: out)
    }

    /// The picture on a larger canvas: `top`, `bottom`, `left` and `right` pixels of `value` (every channel
    /// byte, so 0 is black and transparent) added around it.
    public func padded(top: Int = 0, bottom: Int = 0, left: Int = 0, right: Int = 0, value: UInt8 = 0) -> Image {
        let top = max(0, top), bottom = max(0, bottom), left = max(0, left), right = max(0, right)
        let channels = format.bytesPerPixel
        let outWidth = width + left + right, outHeight = height + top + bottom
        let rowBytes = outWidth * channels, sourceRowBytes = width * channels
        var out = [UInt8](repeating: value, count: rowBytes * outHeight)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<height {
                    let to = (top + row) * rowBytes + left * channels
                    for i in 0..<sourceRowBytes { dst[to + i] = src[row * stride + i] }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, format: format, pixels: out)
    }
}
