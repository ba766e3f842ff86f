/// An 8-bit raster image in memory.
///
/// Rows are stored top to bottom, each `stride` bytes long (`stride >= width * format.bytesPerPixel`); the
/// bytes past a row's pixels are padding. Channel order is R, G, B (then A) for the colour formats.
public struct Image: Sendable, Equatable {
    /// How a pixel is laid out.
    public enum PixelFormat: String, Sendable, Codable, CaseIterable {
        case rgb8, rgba8, gray8

        /// Bytes per pixel: 3, 4 or 1.
        public var bytesPerPixel: Int {
            switch self {
            case .rgb8: return 3
            case .rgba8: return 4
            case .gray8: return 1
            }
        }
    }

    public var width: Int
    public var height: Int
    /// Bytes from the start of one row to the start of the next.
    public var stride: Int
    public var format: PixelFormat
    /// `stride * height` bytes.
    public var pixels: [UInt8]

    /// Creates an image over existing pixel bytes. `pixels.count` must be at least `stride * height`.
    public init(width: Int, height: Int, format: PixelFormat, stride: Int? = nil, pixels: [UInt8]) {
        let rowBytes = stride ?? width * format.bytesPerPixel
        precondition(width >= 0 && height >= 0 && rowBytes >= width * format.bytesPerPixel, "invalid image geometry")
        precondition(pixels.count >= rowBytes * height, "pixel buffer too small")
        self.width = width
        self.height = height
        self.stride = rowBytes
        self.format = format
        self.pixels = pixels
    }

    /// Creates an image filled with zeros (black, transparent).
    public init(width: Int, height: Int, format: PixelFormat) {
        self.init(width: width, height: height, format: format,
                  pixels: [UInt8](repeating: 0, count: width * height * format.bytesPerPixel))
    }

    /// The byte offset of pixel (x, y).
    @inlinable public func offset(x: Int, y: Int) -> Int { y * stride + x * format.bytesPerPixel }

    /// The pixel at (x, y) as its channel bytes.
    public func pixel(x: Int, y: Int) -> [UInt8] {
        let o = offset(x: x, y: y)
        return Array(pixels[o..<(o + format.bytesPerPixel)])
    }
}
