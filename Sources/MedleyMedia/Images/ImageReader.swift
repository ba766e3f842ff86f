internal import CFFmpeg
import Foundation
import MedleyCore

/// Decodes the first picture of a file into an ``Image`` (see ``ImageIO/read(path:)``).
struct ImageReader {
    let path: String

    func read() throws -> Image {
        // A single file, never a numbered sequence: "photo%d.png" is a name, not a pattern.
        let container = try InputContainer(path: path, demuxerOptions: ["pattern_type": "none"])
        let stream = try container.selectStream(type: AVMEDIA_TYPE_VIDEO, kind: "image", requested: nil)
        let decoder = try StreamDecoder(container: container, stream: stream, threadCount: 1, strict: true)
        let frame = try OwnedFrame()
        guard try decoder.nextFrame(into: frame) else {
            throw MedleyError.unreadableMedia(path: path, reason: "no picture could be decoded")
        }
        let width = Int(frame.pointer.pointee.width)
        let height = Int(frame.pointer.pointee.height)
        let format = outputFormat(of: frame.pointer, codec: decoder.context.pointee.codec_id)
        let scaler = try FrameScaler(
            width: width, height: height, flags: Self.conversionFlags, outputFormat: Self.ffmpegFormat(format))
        try scaler.scale(frame)
        let rowBytes = width * format.bytesPerPixel
        let pixels = [UInt8](unsafeUninitializedCapacity: rowBytes * height) { buffer, count in
            if let base = buffer.baseAddress {
                for y in 0..<height {
                    UnsafeMutableRawPointer(base + y * rowBytes)
                        .copyMemory(from: scaler.pixels + y * scaler.stride, byteCount: rowBytes)
                }
            }
            count = rowBytes * height
        }
        let image = Image(width: width, height: height, format: format, stride: rowBytes, pixels: pixels)
        return exifOrientation(of: frame.pointer).apply(to: image)
    }

    /// Accurate conversion for stills: full chroma interpolation and exact rounding (speed does not matter
    /// for one picture, colour fidelity does).
    static let conversionFlags = SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP

    static func ffmpegFormat(_ format: Image.PixelFormat) -> AVPixelFormat {
        switch format {
        case .rgb8: return AV_PIX_FMT_RGB24
        case .rgba8: return AV_PIX_FMT_RGBA
        case .gray8: return AV_PIX_FMT_GRAY8
        }
    }

    /// gray8 for gray sources, rgba8 when the source carries alpha, rgb8 otherwise.
    private func outputFormat(of frame: UnsafeMutablePointer<AVFrame>, codec: AVCodecID) -> Image.PixelFormat {
        guard let descriptor = av_pix_fmt_desc_get(AVPixelFormat(frame.pointee.format)) else { return .rgb8 }
        let flags = descriptor.pointee.flags
        let isPalette = flags & UInt64(AV_PIX_FMT_FLAG_PAL) != 0
        var hasAlpha = flags & UInt64(AV_PIX_FMT_FLAG_ALPHA) != 0
        if isPalette {
            hasAlpha = paletteHasTransparency(frame)
        }
        // JPEG has no alpha: a 4-component JPEG is CMYK (or YCCK), which the decoder hands over as a
        // 4-plane format.
        if codec == AV_CODEC_ID_MJPEG { hasAlpha = false }
        let isGray = !isPalette && descriptor.pointee.nb_components <= 2 && flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0
        if hasAlpha { return .rgba8 }
        return isGray ? .gray8 : .rgb8
    }

    /// True when one of the palette's 256 entries (stored as native-endian 0xAARRGGBB) is not opaque.
    private func paletteHasTransparency(_ frame: UnsafeMutablePointer<AVFrame>) -> Bool {
        guard let palette = frame.pointee.data.1 else { return false }
        return palette.withMemoryRebound(to: UInt32.self, capacity: 256) { entries in
            (0..<256).contains { entries[$0] >> 24 != 0xFF }
        }
    }

    /// The EXIF orientation FFmpeg's JPEG decoder put into the frame's metadata; upright when absent.
    private func exifOrientation(of frame: UnsafeMutablePointer<AVFrame>) -> ImageOrientation {
        guard let entry = av_dict_get(frame.pointee.metadata, "Orientation", nil, 0),
              let value = entry.pointee.value,
              let number = Int(String(cString: value).trimmingCharacters(in: .whitespaces)),
              let orientation = ImageOrientation(rawValue: number)
        else { return .up }
        return orientation
    }
}
