internal import CFFmpeg
import Foundation
import MedleyCore

extension ImageIO {
    /// Encodes 16-bit grey samples (row-major, `width * height` values, 0 black to 65535 white) as the bytes of a
    /// 16-bit greyscale PNG, through FFmpeg's PNG encoder. Heightmaps and other measured fields keep their precision
    /// this way; 8-bit pictures go through ``encode(_:forPath:quality:)``.
    ///
    /// - Throws: `invalidArgument` for an empty size or a sample count that does not match it; `unsupportedCodec`
    ///   when FFmpeg has no PNG encoder.
    public static func encodeGray16PNG(width: Int, height: Int, samples: [UInt16]) throws -> Data {
        guard width > 0, height > 0, samples.count == width * height else {
            throw MedleyError.invalidArgument(
                "a 16-bit PNG needs width x height samples, got \(samples.count) for \(width)x\(height)")
        }
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_PNG) else {
            throw MedleyError.unsupportedCodec(path: "(16-bit PNG)", codec: "png")
        }
        let context = try OwnedCodecContext(codec: codec)
        context.pointer.pointee.width = Int32(width)
        context.pointer.pointee.height = Int32(height)
        context.pointer.pointee.pix_fmt = AV_PIX_FMT_GRAY16BE
        context.pointer.pointee.time_base = AVRational(num: 1, den: 25)
        let opened = avcodec_open2(context.pointer, codec, nil)
        guard opened >= 0 else { throw MedleyError.internal("cannot open the PNG encoder: \(ffmpegErrorString(opened))") }

        let frame = try OwnedFrame()
        frame.pointer.pointee.width = Int32(width)
        frame.pointer.pointee.height = Int32(height)
        frame.pointer.pointee.format = AV_PIX_FMT_GRAY16BE.rawValue
        let allocated = av_frame_get_buffer(frame.pointer, 0)
        guard allocated >= 0, let plane = frame.pointer.pointee.data.0 else {
            throw MedleyError.internal("av_frame_get_buffer: \(ffmpegErrorString(allocated))")
        }
        let stride = Int(frame.pointer.pointee.linesize.0)
        for y in 0..<height {
            let row = plane + y * stride
            for x in 0..<width {
                let value = samples[y * width + x]
                row[2 * x] = UInt8(value >> 8)
                row[2 * x + 1] = UInt8(value & 0xFF)
            }
        }

        let packet = try OwnedPacket()
        var output = Data()
        for input in [frame.pointer, nil] as [UnsafeMutablePointer<AVFrame>?] {
            let sent = avcodec_send_frame(context.pointer, input)
            guard sent >= 0 else { throw MedleyError.internal("PNG encoding: \(ffmpegErrorString(sent))") }
            while true {
                let received = avcodec_receive_packet(context.pointer, packet.pointer)
                if isAgain(received) || isEndOfFile(received) { break }
                guard received >= 0 else { throw MedleyError.internal("PNG encoding: \(ffmpegErrorString(received))") }
                if let data = packet.pointer.pointee.data, packet.pointer.pointee.size > 0 {
                    output.append(data, count: Int(packet.pointer.pointee.size))
                }
                av_packet_unref(packet.pointer)
            }
        }
        guard !output.isEmpty else { throw MedleyError.internal("the PNG encoder produced no data") }
        return output
    }
}
