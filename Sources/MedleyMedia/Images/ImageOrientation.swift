import MedleyCore

/// The eight EXIF orientations (TIFF tag 274): how stored pixels must be turned or flipped to display
/// upright. Also used for video display rotation (90° clockwise is ``rotate90``).
enum ImageOrientation: Int, Sendable {
    /// Stored upright.
    case up = 1
    /// Mirrored left to right.
    case mirrored = 2
    /// Turned 180°.
    case rotate180 = 3
    /// Mirrored top to bottom.
    case mirroredVertically = 4
    /// Mirrored along the main diagonal (transpose).
    case transposed = 5
    /// Must be turned 90° clockwise to display upright.
    case rotate90 = 6
    /// Mirrored along the anti-diagonal (transverse).
    case transversed = 7
    /// Must be turned 90° counter-clockwise (270° clockwise) to display upright.
    case rotate270 = 8

    /// The orientation for a clockwise display rotation of 0, 90, 180 or 270 degrees.
    init(clockwiseDegrees: Int) {
        switch ((clockwiseDegrees % 360) + 360) % 360 {
        case 90: self = .rotate90
        case 180: self = .rotate180
        case 270: self = .rotate270
        default: self = .up
        }
    }

    /// True when displaying swaps width and height.
    var swapsDimensions: Bool { rawValue >= 5 }

    /// The displayed size of a stored `width` x `height` picture.
    func displaySize(width: Int, height: Int) -> (width: Int, height: Int) {
        swapsDimensions ? (height, width) : (width, height)
    }

    /// Where the displayed pixel (x, y) comes from in the stored picture (`width` x `height`, stored size).
    @inline(__always)
    private func source(x: Int, y: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch self {
        case .up: return (x, y)
        case .mirrored: return (width - 1 - x, y)
        case .rotate180: return (width - 1 - x, height - 1 - y)
        case .mirroredVertically: return (x, height - 1 - y)
        case .transposed: return (y, x)
        case .rotate90: return (y, height - 1 - x)
        case .transversed: return (width - 1 - y, height - 1 - x)
        case .rotate270: return (width - 1 - y, x)
        }
    }

    /// Writes the displayed picture of `source` (stored `width` x `height`, rows `sourceStride` bytes apart)
    /// into `destination` (rows `destinationStride` bytes apart, sized for ``displaySize(width:height:)``).
    ///
    /// Works for any pixel size; the buffers must not overlap.
    func apply(
        source: UnsafeRawPointer, width: Int, height: Int, sourceStride: Int, bytesPerPixel: Int,
        destination: UnsafeMutableRawPointer, destinationStride: Int
    ) {
        let (outWidth, outHeight) = displaySize(width: width, height: height)
        if self == .up {
            for y in 0..<outHeight {
                (destination + y * destinationStride).copyMemory(from: source + y * sourceStride, byteCount: width * bytesPerPixel)
            }
            return
        }
        let src = source.assumingMemoryBound(to: UInt8.self)
        let dst = destination.assumingMemoryBound(to: UInt8.self)
        // The column step in the source for one step right in the output, and the start of each output row:
        // every orientation walks the source along a straight line, so the inner loop is a strided copy.
        let first = self.source(x: 0, y: 0, width: width, height: height)
        let next = self.source(x: min(1, outWidth - 1), y: 0, width: width, height: height)
        let step = outWidth > 1 ? (next.y - first.y) * sourceStride + (next.x - first.x) * bytesPerPixel : 0
        for y in 0..<outHeight {
            let start = self.source(x: 0, y: y, width: width, height: height)
            var from = start.y * sourceStride + start.x * bytesPerPixel
            var to = y * destinationStride
            switch bytesPerPixel {
            case 3:
                for _ in 0..<outWidth {
                    dst[to] = src[from]
                    dst[to + 1] = src[from + 1]
                    dst[to + 2] = src[from + 2]
                    from += step
                    to += 3
                }
            case 4:
                for _ in 0..<outWidth {
                    (destination + to).storeBytes(of: (source + from).loadUnaligned(as: UInt32.self), as: UInt32.self)
                    from += step
                    to += 4
                }
            default:
                for _ in 0..<outWidth {
                    for c in 0..<bytesPerPixel { dst[to + c] = src[from + c] }
                    from += step
                    to += bytesPerPixel
                }
            }
        }
    }

    /// The displayed version of `image`.
    func apply(to image: Image) -> Image {
        if self == .up { return image }
        let (outWidth, outHeight) = displaySize(width: image.width, height: image.height)
        let bytesPerPixel = image.format.bytesPerPixel
        let outStride = outWidth * bytesPerPixel
        var pixels = [UInt8](repeating: 0, count: outStride * outHeight)
        image.pixels.withUnsafeBytes { source in
            pixels.withUnsafeMutableBytes { destination in
                guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress else { return }
                apply(source: sourceBase, width: image.width, height: image.height, sourceStride: image.stride,
                      bytesPerPixel: bytesPerPixel, destination: destinationBase, destinationStride: outStride)
            }
        }
        return Image(width: outWidth, height: outHeight, format: image.format, stride: outStride, pixels: pixels)
    }
}
