import MedleyCore

/// How ``MedleyCore/Image/resized(width:height:method:)`` interpolates.
public enum ResizeMethod: String, Sendable, CaseIterable {
    /// OpenCV's `INTER_LINEAR`, bit for bit (fixed point, half-pixel centres). Fast; aliases when shrinking by
    /// more than 2x. What PP-OCR's pre-processing uses.
    case bilinear
    /// Area averaging: each output pixel is the weighted mean of the source pixels it covers. Best for
    /// shrinking; enlargements fall back to ``bilinear``.
    case area
    /// Pillow's antialiased `BILINEAR` (a triangle filter widened by the shrink factor), in Pillow's fixed point.
    /// What open_nsfw's pre-processing uses.
    case antialiasedBilinear
}

extension Image {
    /// The picture scaled to `width` x `height` (aspect ratio not kept), same pixel format.
    ///
    /// - Throws: `invalidArgument` when a size is not positive or the source is empty.
    public func resized(width outWidth: Int, height outHeight: Int, method: ResizeMethod = .bilinear) throws -> Image {
        guard outWidth > 0, outHeight > 0 else {
            throw MedleyError.invalidArgument("cannot resize to \(outWidth)x\(outHeight): sizes must be positive")
        }
        guard width > 0, height > 0 else {
            throw MedleyError.invalidArgument("cannot resize an empty \(width)x\(height) image")
        }
        if outWidth == width && outHeight == height { return packed() }
        let source = packed()
        let channels = format.bytesPerPixel
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        let shrinking = outWidth <= width && outHeight <= height
        source.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                switch method {
                case .area where shrinking:
                    AreaResampler.resize(src, width: width, height: height, channels: channels,
                                         toWidth: outWidth, height: outHeight, into: dst)
                case .bilinear, .area:
                    OpenCVBilinear.resize(src, width: width, height: height, channels: channels,
                                          toWidth: outWidth, height: outHeight, into: dst)
                case .antialiasedBilinear:
                    PillowBilinear.resize(src, width: width, height: height, channels: channels,
                                          toWidth: outWidth, height: outHeight, into: dst)
                }
            }
        }
        return Image(width: outWidth, height: outHeight, format: format, pixels: out)
    }

    /// The picture scaled by `factor` on both axes (sizes rounded, at least 1 pixel).
    public func scaled(by factor: Double, method: ResizeMethod = .bilinear) throws -> Image {
        guard factor > 0, factor.isFinite else {
            throw MedleyError.invalidArgument("scale factor must be a positive number, got \(factor)")
        }
        return try resized(width: max(1, Int((Double(width) * factor).rounded())),
                           height: max(1, Int((Double(height) * factor).rounded())), method: method)
    }
}
