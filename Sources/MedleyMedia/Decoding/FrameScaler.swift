internal import CFFmpeg
import MedleyCore

/// Converts decoded frames (any pixel format and size) to packed RGB24 (or RGBA, or GRAY8) of a fixed size
/// with swscale, into one reused, aligned output frame. Owns the `SwsContext` and the output; frees both in
/// `deinit`.
///
/// Large frames are converted with swscale's slice threads (`sws_scale_frame`), as the ffmpeg CLI's scale
/// filter does; the output is identical to a single-threaded conversion. The context is rebuilt only when
/// the input's size, pixel format or colour description changes. Not thread-safe.
final class FrameScaler {
    let width: Int
    let height: Int
    let outputFormat: AVPixelFormat

    private let output: OwnedFrame
    private var context: OpaquePointer?
    private var sourceKey: (Int32, Int32, Int32, UInt32, UInt32) = (0, 0, -1, 0, 0)
    private let flags: Int32
    private let threads: Int

    /// swscale and FFmpeg's SIMD code want rows aligned to this many bytes.
    private static let alignment: Int32 = 64
    /// Below this many output pixels a second thread costs more in hand-offs than it saves.
    private static let threadingThreshold = 320 * 240

    /// - Parameter threads: swscale slice threads for large frames; 0 lets FFmpeg pick one per core.
    init(width: Int, height: Int, flags: Int32, outputFormat: AVPixelFormat = AV_PIX_FMT_RGB24, threads: Int = 1) throws {
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw MedleyError.invalidArgument("output size \(width)x\(height) is out of range (1...16384)")
        }
        self.width = width
        self.height = height
        self.flags = flags
        self.outputFormat = outputFormat
        self.threads = width * height >= Self.threadingThreshold ? max(0, threads) : 1
        output = try OwnedFrame()
        output.pointer.pointee.width = Int32(width)
        output.pointer.pointee.height = Int32(height)
        output.pointer.pointee.format = outputFormat.rawValue
        let allocated = av_frame_get_buffer(output.pointer, Self.alignment)
        guard allocated >= 0 else { throw MedleyError.internal("av_frame_get_buffer: \(ffmpegErrorString(allocated))") }
    }

    deinit {
        if let context { sws_freeContext(context) }
    }

    /// The output pixels, ``stride`` * ``height`` bytes; overwritten by every ``scale(_:)``.
    var pixels: UnsafeMutableRawPointer {
        // av_frame_get_buffer succeeded in init, so plane 0 exists for the object's whole life.
        UnsafeMutableRawPointer(output.pointer.pointee.data.0.unsafelyUnwrapped)
    }

    /// Bytes per output row (at least `width * bytesPerPixel`, aligned for SIMD).
    var stride: Int { Int(output.pointer.pointee.linesize.0) }

    /// Converts `frame` into ``pixels``.
    func scale(_ frame: OwnedFrame) throws {
        let pointer = frame.pointer
        let key = (pointer.pointee.width, pointer.pointee.height, pointer.pointee.format,
                   pointer.pointee.colorspace.rawValue, pointer.pointee.color_range.rawValue)
        if context == nil || key != sourceKey {
            try rebuild(for: pointer)
            sourceKey = key
        }
        let result = sws_scale_frame(context, output.pointer, pointer)
        guard result >= 0 else { throw MedleyError.internal("sws_scale_frame: \(ffmpegErrorString(result))") }
    }

    private func rebuild(for frame: UnsafeMutablePointer<AVFrame>) throws {
        if let context { sws_freeContext(context) }
        context = nil
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
        guard let created = sws_alloc_context() else { throw MedleyError.internal("sws_alloc_context failed (out of memory)") }
        context = created
        let options: [(String, Int64)] = [
            ("srcw", Int64(frame.pointee.width)), ("srch", Int64(frame.pointee.height)),
            ("src_format", Int64(sourceFormat.rawValue)),
            ("dstw", Int64(width)), ("dsth", Int64(height)), ("dst_format", Int64(outputFormat.rawValue)),
            ("sws_flags", Int64(flags)), ("threads", Int64(threads)),
        ]
        for (name, value) in options {
            let set = av_opt_set_int(UnsafeMutableRawPointer(created), name, value, 0)
            guard set >= 0 else { throw MedleyError.internal("swscale option \(name): \(ffmpegErrorString(set))") }
        }
        let initialised = sws_init_context(created, nil, nil)
        guard initialised >= 0 else {
            let name = av_get_pix_fmt_name(sourceFormat).map { String(cString: $0) } ?? "\(sourceFormat.rawValue)"
            throw MedleyError.internal("swscale cannot convert \(name): \(ffmpegErrorString(initialised))")
        }
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
            guard sws_getColorspaceDetails(created, &inverseTable, &sourceRange, &table, &destinationRange,
                                           &brightness, &contrast, &saturation) >= 0
            else { return }  // RGB or other formats without YUV details: nothing to set.
            let coefficients = sws_getCoefficients(matrix)
            // A refusal (-1) leaves swscale's defaults in place, which still gives a picture; not worth failing.
            _ = sws_setColorspaceDetails(created, coefficients, fullRange, table, destinationRange,
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
