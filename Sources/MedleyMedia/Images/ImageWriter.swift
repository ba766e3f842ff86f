internal import CFFmpeg
import Foundation
import MedleyCore

/// Encodes an ``Image`` to a PNG, JPEG or WebP file (see ``ImageIO/write(_:path:quality:)``).
struct ImageWriter {
    let image: Image
    let path: String
    let quality: Int

    private enum Container {
        case png, jpeg, webp
    }

    func write() throws {
        let bytes = try encoded()
        try writeAtomically(to: path) { temporary in
            do {
                try bytes.write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw MedleyError.writeFailed(path: path, reason: error.localizedDescription)
            }
        }
    }

    /// The bytes of the file ``write()`` would write.
    func encoded() throws -> Data {
        guard (1...100).contains(quality) else {
            throw MedleyError.invalidArgument("image quality must be 1...100, got \(quality)")
        }
        guard image.width > 0, image.height > 0, image.stride >= image.width * image.format.bytesPerPixel,
              image.pixels.count >= image.stride * image.height else {
            throw MedleyError.invalidArgument("\(path): cannot write an empty image (\(image.width)x\(image.height))")
        }
        let container = try containerForExtension()
        let encoder = try ImageEncoder(container: container, image: image, path: path, quality: quality)
        return try encoder.encode(image)
    }

    private func containerForExtension() throws -> Container {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "png": return .png
        case "jpg", "jpeg": return .jpeg
        case "webp": return .webp
        case let other:
            throw MedleyError.invalidArgument(
                "\(path): cannot write images with extension '\(other)'; use .png, .jpg or .webp")
        }
    }

    /// One image encoder: its codec context, input frame and output packet.
    private final class ImageEncoder {
        let path: String
        let codec: OwnedCodecContext
        let frame: OwnedFrame
        let packet: OwnedPacket
        let pixelFormat: AVPixelFormat
        /// The format swscale writes: the encoder's, or its plain twin for the deprecated JPEG-range one.
        let conversionFormat: AVPixelFormat

        /// FFmpeg's mjpeg quantiser scale: 2 is its best, 31 its worst (the range of `ffmpeg -q:v`).
        private static let bestJPEGScale = 2.0
        private static let worstJPEGScale = 31.0

        init(container: Container, image: Image, path: String, quality: Int) throws {
            self.path = path
            let codec: UnsafePointer<AVCodec>?
            let hasAlpha = image.format == .rgba8
            switch container {
            case .png:
                codec = avcodec_find_encoder(AV_CODEC_ID_PNG)
                pixelFormat = ImageReader.ffmpegFormat(image.format)
                conversionFormat = pixelFormat
            case .jpeg:
                codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG)
                pixelFormat = AV_PIX_FMT_YUVJ420P
                conversionFormat = AV_PIX_FMT_YUV420P
            case .webp:
                codec = avcodec_find_encoder_by_name("libwebp")
                pixelFormat = hasAlpha ? AV_PIX_FMT_BGRA : AV_PIX_FMT_YUV420P
                conversionFormat = pixelFormat
            }
            guard let codec else {
                let name = container == .webp ? "webp (FFmpeg was built without libwebp)" : "\(container)"
                throw MedleyError.unsupportedCodec(path: path, codec: name)
            }
            frame = try OwnedFrame()
            packet = try OwnedPacket()
            self.codec = try OwnedCodecContext(codec: codec)
            let context = self.codec.pointer
            context.pointee.width = Int32(image.width)
            context.pointee.height = Int32(image.height)
            context.pointee.pix_fmt = pixelFormat
            context.pointee.time_base = AVRational(num: 1, den: 25)
            switch container {
            case .png:
                break
            case .jpeg:
                context.pointee.color_range = AVCOL_RANGE_JPEG
                let scale = Self.bestJPEGScale + Double(100 - quality) / 99 * (Self.worstJPEGScale - Self.bestJPEGScale)
                context.pointee.flags |= AV_CODEC_FLAG_QSCALE
                context.pointee.global_quality = Int32((scale * Double(FF_QP2LAMBDA)).rounded())
            case .webp:
                if let options = context.pointee.priv_data {
                    let set = av_opt_set_double(options, "quality", Double(quality), 0)
                    guard set >= 0 else { throw MedleyError.internal("libwebp quality: \(ffmpegErrorString(set))") }
                }
            }
            let opened = avcodec_open2(context, codec, nil)
            guard opened >= 0 else {
                throw MedleyError.writeFailed(path: path, reason: "cannot open the \(container) encoder: \(ffmpegErrorString(opened))")
            }
        }

        var context: UnsafeMutablePointer<AVCodecContext> { codec.pointer }

        /// Converts `image` to the encoder's format and returns the encoded file's bytes.
        func encode(_ image: Image) throws -> Data {
            try fillFrame(from: image)
            var output = Data()
            try send(frame.pointer, into: &output)
            try send(nil, into: &output)
            guard !output.isEmpty else {
                throw MedleyError.writeFailed(path: path, reason: "the encoder produced no data")
            }
            return output
        }

        private func send(_ frame: UnsafeMutablePointer<AVFrame>?, into output: inout Data) throws {
            let sent = avcodec_send_frame(context, frame)
            guard sent >= 0 else { throw MedleyError.writeFailed(path: path, reason: "encoding: \(ffmpegErrorString(sent))") }
            while true {
                let received = avcodec_receive_packet(context, packet.pointer)
                if isAgain(received) || isEndOfFile(received) { return }
                guard received >= 0 else {
                    throw MedleyError.writeFailed(path: path, reason: "encoding: \(ffmpegErrorString(received))")
                }
                if let data = packet.pointer.pointee.data, packet.pointer.pointee.size > 0 {
                    output.append(data, count: Int(packet.pointer.pointee.size))
                }
                av_packet_unref(packet.pointer)
            }
        }

        private func fillFrame(from image: Image) throws {
            let pointer = frame.pointer
            pointer.pointee.width = Int32(image.width)
            pointer.pointee.height = Int32(image.height)
            pointer.pointee.format = pixelFormat.rawValue
            pointer.pointee.color_range = context.pointee.color_range
            // With a fixed quantiser FFmpeg's mpegvideo encoders read the quality from each frame.
            pointer.pointee.quality = context.pointee.global_quality
            let allocated = av_frame_get_buffer(pointer, 0)
            guard allocated >= 0 else { throw MedleyError.internal("av_frame_get_buffer: \(ffmpegErrorString(allocated))") }
            guard let converter = sws_getContext(
                Int32(image.width), Int32(image.height), ImageReader.ffmpegFormat(image.format),
                Int32(image.width), Int32(image.height), conversionFormat, ImageReader.conversionFlags, nil, nil, nil)
            else {
                throw MedleyError.internal("swscale cannot convert \(image.format) for the encoder")
            }
            defer { sws_freeContext(converter) }
            if conversionFormat == AV_PIX_FMT_YUV420P && pixelFormat == AV_PIX_FMT_YUVJ420P {
                // JPEG stores full-range YUV (JFIF); tell swscale so instead of using the deprecated yuvj format.
                var inverseTable: UnsafeMutablePointer<Int32>? = nil
                var table: UnsafeMutablePointer<Int32>? = nil
                var sourceRange: Int32 = 0, destinationRange: Int32 = 0
                var brightness: Int32 = 0, contrast: Int32 = 0, saturation: Int32 = 0
                if sws_getColorspaceDetails(converter, &inverseTable, &sourceRange, &table, &destinationRange,
                                            &brightness, &contrast, &saturation) >= 0 {
                    let set = sws_setColorspaceDetails(converter, inverseTable, sourceRange, table, 1,
                                                       brightness, contrast, saturation)
                    guard set >= 0 else { throw MedleyError.internal("swscale refused full-range output") }
                }
            }
            let rows = image.pixels.withUnsafeBytes { bytes -> Int32 in
                var source: UnsafePointer<UInt8>? = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                var sourceStride = Int32(image.stride)
                return withUnsafeMutablePointer(to: &pointer.pointee.data) { data in
                    withUnsafeMutablePointer(to: &pointer.pointee.linesize) { linesize in
                        data.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { planes in
                            linesize.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                                sws_scale(converter, &source, &sourceStride, 0, Int32(image.height), planes, strides)
                            }
                        }
                    }
                }
            }
            guard rows == Int32(image.height) else {
                throw MedleyError.internal("sws_scale produced \(rows) of \(image.height) rows")
            }
        }
    }
}
