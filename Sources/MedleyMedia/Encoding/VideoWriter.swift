internal import CFFmpeg
import Foundation
import MedleyCore

/// Encodes pictures into an H.264 video file (MP4 or MKV by extension), frame by frame, with container tags;
/// optionally with the audio of another file.
///
/// Frames are converted to 4:2:0 (BT.601, limited range) by swscale and encoded with libx264 at a constant rate
/// factor. H.264 in 4:2:0 needs even sizes: an odd width or height is padded by repeating the last column or row.
/// The file is written to a temporary name in the output's folder and renamed by ``finish(audioFrom:)``; if the
/// writer is dropped before that, or any call throws, nothing is left at the output path.
///
/// Not thread-safe: one producer appends frames in order.
public final class VideoWriter {
    /// The output path.
    public let path: String
    /// The picture size the caller gives.
    public let width: Int
    public let height: Int
    /// Frames written so far.
    public private(set) var frameCount = 0

    /// libx264's constant rate factor used when none is given: visually lossless for generated content.
    public static let defaultQuality = 18

    /// How much encoding time to spend per frame (libx264's presets).
    public enum EncoderSpeed: String, Sendable {
        /// libx264 `medium`: its default balance; for short generated clips.
        case balanced = "medium"
        /// libx264 `veryfast`: about a third of `medium`'s time at the same CRF for a slightly larger file; for
        /// frame-by-frame edits of whole videos, where the encoder would otherwise be the slowest stage.
        case fast = "veryfast"
    }

    private let output: TemporaryOutputFile
    private let container: OutputContainer
    private let codec: OwnedCodecContext
    private let stream: UnsafeMutablePointer<AVStream>
    private let frame: OwnedFrame
    private let packet: OwnedPacket
    /// Made for the first frame's pixel format; every later frame must have the same format.
    private var scaler: OpaquePointer?
    private var scalerFormat: Image.PixelFormat?
    private let encodedWidth: Int
    private let encodedHeight: Int
    private var padded: [UInt8] = []
    private var finished = false

    /// Opens the output and its encoder.
    ///
    /// - Parameters:
    ///   - frameRate: frames per second (rational approximations such as 30000/1001 are derived from it).
    ///   - metadata: container tags (`comment`, `description`, any key: MP4 keeps them as `mdta` keys).
    ///   - quality: libx264's CRF, 0 (lossless) to 51.
    ///   - speed: the encoder preset.
    /// - Throws: `invalidArgument` (size, rate, extension), `writeFailed` (missing folder), `unsupportedCodec`
    ///   (no H.264 encoder in this FFmpeg).
    public init(path: String, width: Int, height: Int, frameRate: Double, metadata: [String: String] = [:],
                quality: Int = defaultQuality, speed: EncoderSpeed = .balanced) throws {
        guard width > 0, height > 0, width <= 16384, height <= 16384 else {
            throw MedleyError.invalidArgument("\(path): cannot write a \(width)x\(height) video; sizes are 1...16384")
        }
        guard frameRate.isFinite, frameRate > 0, frameRate <= 1000 else {
            throw MedleyError.invalidArgument("\(path): frame rate \(frameRate) is not in (0, 1000]")
        }
        guard (0...51).contains(quality) else {
            throw MedleyError.invalidArgument("H.264 quality (CRF) must be 0...51, got \(quality)")
        }
        let muxerName: String
        switch (path as NSString).pathExtension.lowercased() {
        case "mp4", "m4v": muxerName = "mp4"
        case "mkv": muxerName = "matroska"
        case let other:
            throw MedleyError.invalidArgument("\(path): cannot write video with extension '\(other)'; use .mp4 or .mkv")
        }
        self.path = path
        self.width = width
        self.height = height
        encodedWidth = width + width % 2
        encodedHeight = height + height % 2
        output = try TemporaryOutputFile(for: path)
        container = try OutputContainer(path: output.temporaryPath, muxerName: muxerName, displayPath: path)
        guard let encoder = avcodec_find_encoder_by_name("libx264") ?? avcodec_find_encoder(AV_CODEC_ID_H264) else {
            throw MedleyError.unsupportedCodec(path: path, codec: "h264 (no encoder in this FFmpeg)")
        }
        codec = try OwnedCodecContext(codec: encoder)
        let rate = av_d2q(frameRate, 1_001_000)
        let context = codec.pointer
        context.pointee.width = Int32(encodedWidth)
        context.pointee.height = Int32(encodedHeight)
        context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        context.pointee.time_base = AVRational(num: rate.den, den: rate.num)
        context.pointee.framerate = rate
        context.pointee.gop_size = 250
        context.pointee.color_range = AVCOL_RANGE_MPEG
        context.pointee.colorspace = AVCOL_SPC_BT470BG
        if container.wantsGlobalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        av_dict_set(&options, "crf", String(quality), 0)
        av_dict_set(&options, "preset", speed.rawValue, 0)
        let opened = avcodec_open2(context, encoder, &options)
        guard opened >= 0 else {
            throw MedleyError.writeFailed(path: path, reason: "cannot open the H.264 encoder: \(ffmpegErrorString(opened))")
        }
        stream = try container.addStream()
        let copied = avcodec_parameters_from_context(stream.pointee.codecpar, context)
        guard copied >= 0 else { throw container.failure("setting the video stream", copied) }
        stream.pointee.time_base = context.pointee.time_base
        stream.pointee.avg_frame_rate = rate
        try container.setMetadata(metadata.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let muxerOptions: [(String, String)] = muxerName == "matroska" ? [] : [("movflags", "+faststart+use_metadata_tags")]
        try container.writeHeader(options: muxerOptions)

        frame = try OwnedFrame()
        frame.pointer.pointee.width = Int32(encodedWidth)
        frame.pointer.pointee.height = Int32(encodedHeight)
        frame.pointer.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        frame.pointer.pointee.color_range = AVCOL_RANGE_MPEG
        let allocated = av_frame_get_buffer(frame.pointer, 0)
        guard allocated >= 0 else { throw MedleyError.internal("av_frame_get_buffer: \(ffmpegErrorString(allocated))") }
        packet = try OwnedPacket()
    }

    deinit {
        if let scaler { sws_freeContext(scaler) }
    }

    /// Encodes one picture, which must have the writer's size (RGB, RGBA or grey; alpha is dropped).
    ///
    /// - Throws: `invalidArgument` for another size; `writeFailed` when encoding or writing fails.
    public func append(_ image: Image) throws {
        guard !finished else { throw MedleyError.internal("VideoWriter.append after finish") }
        guard image.width == width, image.height == height else {
            throw MedleyError.invalidArgument(
                "\(path): frame \(frameCount) is \(image.width)x\(image.height), the video is \(width)x\(height)")
        }
        var source = image
        if encodedWidth != width || encodedHeight != height { source = evenSized(image) }
        let converter = try scaler(for: source.format)
        let writable = av_frame_make_writable(frame.pointer)
        guard writable >= 0 else { throw MedleyError.internal("av_frame_make_writable: \(ffmpegErrorString(writable))") }
        let rows = source.pixels.withUnsafeBytes { bytes -> Int32 in
            var plane: UnsafePointer<UInt8>? = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            var stride = Int32(source.stride)
            return withUnsafeMutablePointer(to: &frame.pointer.pointee.data) { data in
                withUnsafeMutablePointer(to: &frame.pointer.pointee.linesize) { linesize in
                    data.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { planes in
                        linesize.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                            sws_scale(converter, &plane, &stride, 0, Int32(source.height), planes, strides)
                        }
                    }
                }
            }
        }
        guard rows == Int32(encodedHeight) else { throw MedleyError.internal("sws_scale wrote \(rows) rows") }
        frame.pointer.pointee.pts = Int64(frameCount)
        try send(frame.pointer)
        frameCount += 1
    }

    /// Flushes the encoder and completes the file; with `audioFrom`, adds the best audio stream of that file
    /// (copied when MP4/MKV can hold it, AAC otherwise), keeping the container tags. Returns the output path.
    ///
    /// - Throws: `invalidArgument` when no frame was appended; `noStream` when `audioFrom` has no audio; write
    ///   errors. On error nothing is left at ``path``.
    @discardableResult
    public func finish(audioFrom: String? = nil) throws -> String {
        guard !finished else { return path }
        finished = true
        guard frameCount > 0 else {
            throw MedleyError.invalidArgument("\(path): no frames were written; a video needs at least one frame")
        }
        try send(nil)
        try container.finish()
        guard let audioFrom else {
            try output.commit()
            return path
        }
        let tags = try MediaProbe.containerTags(path: output.temporaryPath)
        try Muxer.mux(video: output.temporaryPath, audio: audioFrom, output: path,
                      options: MuxOptions(replaceAudio: true, metadata: tags))
        output.discard()
        return path
    }

    /// Drops the partial output.
    public func cancel() {
        finished = true
        output.discard()
    }

    private func send(_ frame: UnsafeMutablePointer<AVFrame>?) throws {
        let sent = avcodec_send_frame(codec.pointer, frame)
        guard sent >= 0 else { throw MedleyError.writeFailed(path: path, reason: "encoding: \(ffmpegErrorString(sent))") }
        while true {
            let received = avcodec_receive_packet(codec.pointer, packet.pointer)
            if isAgain(received) || isEndOfFile(received) { return }
            guard received >= 0 else {
                throw MedleyError.writeFailed(path: path, reason: "encoding: \(ffmpegErrorString(received))")
            }
            packet.pointer.pointee.stream_index = stream.pointee.index
            av_packet_rescale_ts(packet.pointer, codec.pointer.pointee.time_base, stream.pointee.time_base)
            try container.write(packet.pointer)
        }
    }

    private func scaler(for format: Image.PixelFormat) throws -> OpaquePointer {
        if let scaler, let scalerFormat {
            guard format == scalerFormat else {
                throw MedleyError.invalidArgument(
                    "\(path): frame \(frameCount) is \(format.rawValue), earlier frames were \(scalerFormat.rawValue)")
            }
            return scaler
        }
        guard let made = Self.makeScaler(format: format, width: encodedWidth, height: encodedHeight) else {
            throw MedleyError.internal("swscale cannot convert \(format.rawValue) to 4:2:0")
        }
        scaler = made
        scalerFormat = format
        return made
    }

    private static func makeScaler(format: Image.PixelFormat, width: Int, height: Int) -> OpaquePointer? {
        sws_getContext(Int32(width), Int32(height), ImageReader.ffmpegFormat(format), Int32(width), Int32(height),
                       AV_PIX_FMT_YUV420P, ImageReader.conversionFlags, nil, nil, nil)
    }

    /// The image padded to even sizes by repeating its last column and row, converted to RGB.
    private func evenSized(_ image: Image) -> Image {
        let rgb = image.format == .rgb8 ? image : image.rgbCopy()
        let rowBytes = encodedWidth * 3
        if padded.count != rowBytes * encodedHeight { padded = [UInt8](repeating: 0, count: rowBytes * encodedHeight) }
        for y in 0..<encodedHeight {
            let sourceRow = min(y, height - 1) * rgb.stride
            let targetRow = y * rowBytes
            for x in 0..<encodedWidth {
                let sx = min(x, width - 1) * 3
                padded[targetRow + x * 3] = rgb.pixels[sourceRow + sx]
                padded[targetRow + x * 3 + 1] = rgb.pixels[sourceRow + sx + 1]
                padded[targetRow + x * 3 + 2] = rgb.pixels[sourceRow + sx + 2]
            }
        }
        return Image(width: encodedWidth, height: encodedHeight, format: .rgb8, pixels: padded)
    }
}

extension Image {
    /// The picture as packed RGB (grey is replicated, alpha dropped).
    func rgbCopy() -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let channels = format.bytesPerPixel
        for y in 0..<height {
            for x in 0..<width {
                let source = y * stride + x * channels
                let target = (y * width + x) * 3
                if format == .gray8 {
                    pixels[target] = self.pixels[source]
                    pixels[target + 1] = self.pixels[source]
                    pixels[target + 2] = self.pixels[source]
                } else {
                    pixels[target] = self.pixels[source]
                    pixels[target + 1] = self.pixels[source + 1]
                    pixels[target + 2] = self.pixels[source + 2]
                }
            }
        }
        return Image(width: width, height: height, format: .rgb8, pixels: pixels)
    }
}
