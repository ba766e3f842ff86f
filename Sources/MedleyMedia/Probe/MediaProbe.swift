internal import CFFmpeg
import MedleyCore

/// Reads what a media file contains without decoding it (container, duration, streams).
public enum MediaProbe {
    /// The container-level tags of a media file (`comment`, `encoder`, MP4 `mdta` keys such as
    /// `ai_generated`), as FFmpeg reads them.
    ///
    /// - Throws: the file errors of ``probe(path:)``.
    public static func containerTags(path: String) throws -> [String: String] {
        try InputContainer(path: path).tags
    }

    /// Opens `path` with FFmpeg, reads its headers and returns its container and stream properties.
    ///
    /// Safe to call from any thread; every call opens and closes its own FFmpeg context.
    ///
    /// - Throws: ``MedleyError/fileNotFound(path:)``, ``MedleyError/isDirectory(path:)``,
    ///   ``MedleyError/emptyFile(path:)``, or ``MedleyError/unreadableMedia(path:reason:)`` when FFmpeg cannot
    ///   parse the file (not media, truncated before its headers end).
    public static func probe(path: String) throws -> MediaInfo {
        let container = try InputContainer(path: path)
        let bitRate = container.context.pointee.bit_rate
        var streams: [StreamInfo] = []
        for index in 0..<container.streamCount {
            guard let stream = container.stream(index) else { continue }
            streams.append(streamInfo(stream))
        }
        return MediaInfo(
            format: container.formatName, duration: container.duration,
            bitRate: bitRate > 0 ? Int(bitRate) : nil, streams: streams)
    }

    private static func streamInfo(_ stream: UnsafeMutablePointer<AVStream>) -> StreamInfo {
        let index = Int(stream.pointee.index)
        guard let parameters = stream.pointee.codecpar else {
            return StreamInfo(index: index, type: "unknown", codec: "unknown")
        }
        let type = mediaTypeName(parameters.pointee.codec_type)
        var info = StreamInfo(index: index, type: type, codec: codecDisplayName(parameters))
        if let tag = av_dict_get(stream.pointee.metadata, "language", nil, 0), let value = tag.pointee.value {
            let language = String(cString: value)
            if !language.isEmpty && language != "und" { info.language = language }
        }
        switch parameters.pointee.codec_type {
        case AVMEDIA_TYPE_AUDIO:
            if parameters.pointee.sample_rate > 0 { info.sampleRate = Int(parameters.pointee.sample_rate) }
            let channels = Int(parameters.pointee.ch_layout.nb_channels)
            if channels > 0 {
                info.channels = channels
                info.channelLayout = channelLayoutName(&parameters.pointee.ch_layout)
            }
        case AVMEDIA_TYPE_VIDEO:
            if parameters.pointee.width > 0 { info.width = Int(parameters.pointee.width) }
            if parameters.pointee.height > 0 { info.height = Int(parameters.pointee.height) }
            let rate = stream.pointee.avg_frame_rate
            if rate.num > 0 && rate.den > 0 { info.fps = Double(rate.num) / Double(rate.den) }
            info.rotation = displayRotation(of: stream)
        default:
            break
        }
        return info
    }

    private static func mediaTypeName(_ type: AVMediaType) -> String {
        switch type {
        case AVMEDIA_TYPE_VIDEO: return "video"
        case AVMEDIA_TYPE_AUDIO: return "audio"
        case AVMEDIA_TYPE_SUBTITLE: return "subtitle"
        case AVMEDIA_TYPE_DATA: return "data"
        case AVMEDIA_TYPE_ATTACHMENT: return "attachment"
        default: return "unknown"
        }
    }
}

/// FFmpeg's name for a channel layout ("mono", "stereo", "5.1(side)"). A file that states only a channel
/// count (plain WAV) gets the default layout for that count, the guess the ffmpeg CLI makes and the layout
/// ``AudioDecoder`` assumes (ffprobe prints "unknown" there); layouts
/// without a name get FFmpeg's description (e.g. "3 channels").
func channelLayoutName(_ layout: UnsafePointer<AVChannelLayout>) -> String? {
    if layout.pointee.order == AV_CHANNEL_ORDER_UNSPEC {
        var guessed = AVChannelLayout()
        av_channel_layout_default(&guessed, layout.pointee.nb_channels)
        defer { av_channel_layout_uninit(&guessed) }
        return describeLayout(&guessed)
    }
    return describeLayout(layout)
}

private func describeLayout(_ layout: UnsafePointer<AVChannelLayout>) -> String? {
    var buffer = [CChar](repeating: 0, count: 128)
    let written = av_channel_layout_describe(layout, &buffer, buffer.count)
    guard written > 0 else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
