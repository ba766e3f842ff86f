import MedleyCore

/// Where a resampled pixel's value is read: the convention differs between libraries and moves results by
/// a fraction of a pixel.
public enum SamplingAlignment: Sendable, Equatable {
    /// Pixel centres map to pixel centres: output pixel j reads source position `(j + 0.5) * k - 0.5`
    /// (OpenCV's `resize`, Pillow).
    case pixelCenters
    /// Corners map to corners: output pixel j reads source position `j * k` (MediaPipe's image-to-tensor warp,
    /// which maps the region's corners onto the tensor's corners).
    case corners
}

/// A picture scaled to fit a fixed size with its aspect ratio kept and centred, the rest filled (letterbox
/// bars), together with the mapping back to the source.
public struct Letterbox: Sendable {
    /// The letterboxed picture.
    public var image: Image
    /// Source pixels per output pixel (the same on both axes).
    public var sourcePerOutput: Double
    /// The source position of the output's top-left corner; negative where bars were added.
    public var origin: ImagePoint

    /// The source position of an output position (continuous coordinates, pixel edges at integers).
    public func sourcePoint(_ point: ImagePoint) -> ImagePoint {
        ImagePoint(x: point.x * sourcePerOutput + origin.x, y: point.y * sourcePerOutput + origin.y)
    }
}

extension Image {
    /// The picture scaled to fit `width` x `height` keeping its aspect ratio, centred, bars filled with `fill`
    /// (every channel byte). Bilinear sampling in OpenCV's fixed point
    /// (see ``warped(sourceFromOutput:width:height:interpolation:border:)``).
    public func letterboxed(width outWidth: Int, height outHeight: Int, alignment: SamplingAlignment = .pixelCenters,
                            fill: UInt8 = 0) throws -> Letterbox {
        guard outWidth > 0, outHeight > 0, width > 0, height > 0 else {
            throw MedleyError.invalidArgument(
                "cannot letterbox a \(width)x\(height) image to \(outWidth)x\(outHeight): sizes must be positive")
        }
        let k = max(Double(width) / Double(outWidth), Double(height) / Double(outHeight))
        let origin = ImagePoint(x: (Double(width) - Double(outWidth) * k) / 2,
                                y: (Double(height) - Double(outHeight) * k) / 2)
        let shift = alignment == .corners ? 0 : 0.5 * k - 0.5
        let map = Homography.scaleTranslate(sx: k, sy: k, tx: origin.x + shift, ty: origin.y + shift)
        let image = warped(sourceFromOutput: map, width: outWidth, height: outHeight, interpolation: .bilinear,
                           border: .constant(fill))
        return Letterbox(image: image, sourcePerOutput: k, origin: origin)
    }
}
