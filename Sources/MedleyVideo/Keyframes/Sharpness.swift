import MedleyCore

/// How sharp a picture is: the variance of its Laplacian on the luma, the usual blur measure
/// (`cv2.Laplacian(gray, CV_64F).var()`; Pech-Pacheco et al., 2000). A blurred frame scores low.
public enum Sharpness {
    /// The variance of the 4-neighbour Laplacian (OpenCV's `ksize=1` kernel) of the BT.601 luma, over the
    /// interior pixels. 0 for images smaller than 3 x 3.
    public static func laplacianVariance(of image: Image) -> Double {
        image.pixels.withUnsafeBytes { bytes in
            laplacianVariance(pixels: bytes, width: image.width, height: image.height, stride: image.stride,
                              bytesPerPixel: image.format.bytesPerPixel)
        }
    }

    /// The same for pixels lent by a decoder (RGB24 or RGBA when `bytesPerPixel` is 3 or 4, grey when 1).
    public static func laplacianVariance(pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
                                         bytesPerPixel: Int = 3) -> Double {
        guard width >= 3, height >= 3, let base = pixels.baseAddress?.assumingMemoryBound(to: UInt8.self),
              pixels.count >= stride * height else { return 0 }
        // Three rows of luma at a time, reused.
        var rows = [[Int32]](repeating: [Int32](repeating: 0, count: width), count: 3)
        func loadLuma(_ y: Int, into row: inout [Int32]) {
            let line = base + y * stride
            if bytesPerPixel == 1 {
                for x in 0..<width { row[x] = Int32(line[x]) }
                return
            }
            for x in 0..<width {
                let p = line + x * bytesPerPixel
                // BT.601 luma in OpenCV's 14-bit fixed point (4899, 9617, 1868), as cvtColor(RGB2GRAY).
                row[x] = (Int32(p[0]) * 4899 + Int32(p[1]) * 9617 + Int32(p[2]) * 1868 + 8192) >> 14
            }
        }
        loadLuma(0, into: &rows[0])
        loadLuma(1, into: &rows[1])
        var sum = 0.0, sumSquares = 0.0
        for y in 1..<(height - 1) {
            loadLuma(y + 1, into: &rows[(y + 1) % 3])
            let above = rows[(y - 1) % 3], middle = rows[y % 3], below = rows[(y + 1) % 3]
            var rowSum: Int64 = 0, rowSquares: Int64 = 0
            for x in 1..<(width - 1) {
                let value = Int64(above[x] + below[x] + middle[x - 1] + middle[x + 1] - 4 * middle[x])
                rowSum += value
                rowSquares += value * value
            }
            sum += Double(rowSum)
            sumSquares += Double(rowSquares)
        }
        let count = Double((width - 2) * (height - 2))
        let mean = sum / count
        return max(0, sumSquares / count - mean * mean)
    }
}
