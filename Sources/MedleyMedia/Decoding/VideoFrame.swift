import MedleyCore

/// One decoded video frame as an RGB image that the caller owns.
public struct VideoFrame: Sendable, Equatable {
    /// The picture, ``Image/PixelFormat/rgb8``, upright, rows packed (`stride == width * 3`).
    public var image: Image
    /// Presentation time in seconds from the start of the file.
    public var time: Double
    /// The frame's position in the video stream, 0 for the first frame. Counted while decoding; after a seek
    /// the count starts from the first frame's time multiplied by the stream's average frame rate.
    public var index: Int

    /// Creates a frame (``VideoDecoder`` makes these).
    public init(image: Image, time: Double, index: Int) {
        self.image = image
        self.time = time
        self.index = index
    }
}

/// A decoded frame lent to a closure by ``VideoDecoder/withNextFrame(_:)``, without copying its pixels.
///
/// ``pixels`` points into the decoder's reused buffer: it is valid only inside the closure and is
/// overwritten by the next frame. Copy what you need to keep.
public struct BorrowedVideoFrame {
    /// RGB24 pixels, `stride * height` bytes, rows top to bottom.
    public let pixels: UnsafeRawBufferPointer
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Bytes from one row to the next (at least `width * 3`; may include padding).
    public let stride: Int
    /// Presentation time in seconds from the start of the file.
    public let time: Double
    /// See ``VideoFrame/index``.
    public let index: Int
    /// True when the codec flagged the frame as damaged (errors concealed, a reference missing): its picture
    /// may show smeared or grey blocks.
    public let isDamaged: Bool

    init(pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int, time: Double, index: Int,
         isDamaged: Bool = false) {
        self.pixels = pixels
        self.width = width
        self.height = height
        self.stride = stride
        self.time = time
        self.index = index
        self.isDamaged = isDamaged
    }

    /// A copy as an owned ``Image`` with packed rows.
    public func makeImage() -> Image {
        let rowBytes = width * 3
        guard let base = pixels.baseAddress else { return Image(width: width, height: height, format: .rgb8) }
        let bytes = [UInt8](unsafeUninitializedCapacity: rowBytes * height) { buffer, count in
            if let out = buffer.baseAddress {
                if rowBytes == stride {
                    UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: rowBytes * height)
                } else {
                    for y in 0..<height {
                        UnsafeMutableRawPointer(out + y * rowBytes).copyMemory(from: base + y * stride, byteCount: rowBytes)
                    }
                }
            }
            count = rowBytes * height
        }
        return Image(width: width, height: height, format: .rgb8, stride: rowBytes, pixels: bytes)
    }
}

/// A decoded picture lent by ``VideoDecoder/withNextPicture(_:)``: the codec's own 4:2:0 planes when it
/// produces them, otherwise converted RGB.
public enum DecodedPicture {
    /// 8-bit 4:2:0 planes (yuv420p or yuvj420p), stored orientation, coded size.
    case yuv420(YUV420Planes)
    /// Any other pixel format, converted to upright RGB24 at the decoder's output size.
    case rgb(BorrowedVideoFrame)
}

/// The planes of an 8-bit 4:2:0 frame, lent without copying; valid only inside the closure they are lent to.
public struct YUV420Planes {
    /// Luma, `yStride * height` bytes.
    public let y: UnsafePointer<UInt8>
    /// Cb, `uStride * ((height + 1) / 2)` bytes; one sample per 2 x 2 luma block.
    public let u: UnsafePointer<UInt8>
    /// Cr, like ``u``.
    public let v: UnsafePointer<UInt8>
    public let yStride: Int
    public let uStride: Int
    public let vStride: Int
    /// Luma width and height in pixels (the coded size, before any display rotation).
    public let width: Int
    public let height: Int
    /// True for full-range ("JPEG") levels 0...255; false for the usual limited range 16...235.
    public let isFullRange: Bool
    /// See ``VideoFrame/time``.
    public let time: Double
    /// See ``VideoFrame/index``.
    public let index: Int
    /// See ``BorrowedVideoFrame/isDamaged``.
    public let isDamaged: Bool
    /// True for a keyframe (decoding can start here: a seek lands on a frame like this).
    public let isKeyframe: Bool
}
