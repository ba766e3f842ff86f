internal import CFFmpeg
import MedleyCore

/// Converts decoded frames (any pixel format and size) to packed RGB24 (or RGBA, or GRAY8) of a fixed size
/// with swscale, into one reused, aligned output buffer. Owns the `SwsContext` and the buffer; frees both in `deinit`.
///
/// The context is rebuilt only when the input's size, pixel format or colour description changes.
/// Not thread-safe.
final class FrameScaler {
    let width: Int
    let height: Int
    /// Bytes per output row (`width * bytesPerPixel` rounded up for SIMD alignment).
    let stride: Int
    let outputFormat: AVPixelFormat
    /// The output pixels, `stride * height` bytes; overwritten by every ``scale(_:)``.
    let pixels: UnsafeMutableRawPointer

    private var context: OpaquePointer?
    private var sourceKey: (Int32, Int32, Int32, UInt32, UInt32) = (0, 0, -1, 0, 0)
    private let flags: Int32

    /// swscale and FFmpeg's SIMD code want rows aligned to this many bytes.
    private static let alignment = 64

    init(width: Int, height: Int, flags: Int32, outputFormat: AVPixelFormat = AV_PIX_FMT_RGB24, bytesPerPixel: Int = 3) throws {
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw MedleyError.invalidArgument("output size \(width)x\(height) is out of range (1...16384)")
        }
        self.width = width
        self.height = height
        self.flags = flags
        self.outputFormat = outputFormat
        stride = (width * bytesPerPixel + Self.alignment - 1) / Self.alignment * Self.alignment
        pixels = .allocate(byteCount: stride * height, alignment: Self.alignment)
    }

    deinit {
        if let context { sws_freeContext(context) }
        pixels.deallocate()
    }

    /// Converts `frame` into ``pixels``.
    func scale(_ frame: DecodedFrame) throws {
        let pointer = frame.pointer
        let key = (pointer.pointee.width, pointer.pointee.height, pointer.pointee.format,
                   pointer.pointee.colorspace.rawValue, pointer.pointee.color_range.rawValue)
        if context == nil || key != sourceKey {
            try rebuild(for: pointer)
            sourceKey = key
        }
        var destination: UnsafeMutablePointer<UInt8>? = pixels.assumingMemoryBound(to: UInt8.self)
        var destinationStride = Int32(stride)
        let rows = frame.withPlanes { planes, strides in
            sws_scale(context, planes, strides, 0, pointer.pointee.height, &destination, &destinationStride)
        }
        guard rows == Int32(height) else {
            throw MedleyError.internal("sws_scale produced \(rows) of \(height) rows")
        }
    }

    private func rebuild(for frame: UnsafeMutablePointer<AVFrame>) throws {
        var sourceFormat = AVPixelFormat(frame.pointee.format)
        // The deprecated JPEG-range formats are their plain twins at full range; naming them so keeps swscale
        // from warning on every image.
        var fullRange: Int32 = frame.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0
        if let plain = Self.jpegRangeTwins[sourceFormat.rawValue] {
            sourceFormat = AVPixelFormat(plain)
            fullRange = 1
        }
        guard frame.pointee.width > 0, frame.pointee.height > 0, sourceFormat != AV_PIX_FMT_NONE else {
            throw MedleyError.internal("decoded video frame has no size or pixel format")
        }
        guard let rebuilt = sws_getCachedContext(
            context, frame.pointee.width, frame.pointee.height, sourceFormat,
            Int32(width), Int32(height), outputFormat, flags, nil, nil, nil)
        else {
            let name = av_get_pix_fmt_name(sourceFormat).map { String(cString: $0) } ?? "\(sourceFormat.rawValue)"
            throw MedleyError.internal("swscale cannot convert \(name) to \(outputFormat.rawValue)")
        }
        context = rebuilt
        // Follow the frame's colour tags as the ffmpeg CLI's scale filter does: BT.709 matrix for tagged HD,
        // full range for JPEG-range video. Untagged video uses BT.601 limited range, swscale's default.
        let matrix: Int32
        switch frame.pointee.colorspace {
        case AVCOL_SPC_BT709: matrix = SWS_CS_ITU709
        case AVCOL_SPC_FCC: matrix = SWS_CS_FCC
        case AVCOL_SPC_SMPTE240M: matrix = SWS_CS_SMPTE240M
        case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL: matrix = SWS_CS_BT2020
        default: matrix = SWS_CS_DEFAULT
        }
        if matrix != SWS_CS_DEFAULT || fullRange == 1 {
            var inverseTable: UnsafeMutablePointer<Int32>? = nil
            var table: UnsafeMutablePointer<Int32>? = nil
            var sourceRange: Int32 = 0, destinationRange: Int32 = 0
            var brightness: Int32 = 0, contrast: Int32 = 0, saturation: Int32 = 0
            guard sws_getColorspaceDetails(rebuilt, &inverseTable, &sourceRange, &table, &destinationRange,
                                           &brightness, &contrast, &saturation) >= 0
            else { return }  // RGB or other formats without YUV details: nothing to set.
            let coefficients = sws_getCoefficients(matrix)
            // A refusal (-1) leaves swscale's defaults in place, which still gives a picture; not worth failing.
            _ = sws_setColorspaceDetails(rebuilt, coefficients, fullRange, table, destinationRange,
                                         brightness, contrast, saturation)
        }
    }

    /// yuvj formats and the plain formats with the same memory layout.
    private static let jpegRangeTwins: [Int32: Int32] = [
        AV_PIX_FMT_YUVJ420P.rawValue: AV_PIX_FMT_YUV420P.rawValue,
        AV_PIX_FMT_YUVJ422P.rawValue: AV_PIX_FMT_YUV422P.rawValue,
        AV_PIX_FMT_YUVJ444P.rawValue: AV_PIX_FMT_YUV444P.rawValue,
        AV_PIX_FMT_YUVJ440P.rawValue: AV_PIX_FMT_YUV440P.rawValue,
        AV_PIX_FMT_YUVJ411P.rawValue: AV_PIX_FMT_YUV411P.rawValue,
    ]
}
