/// What a media file contains: its container and its streams, as ``MediaProbe/probe(path:)`` reports it.
///
/// Encodes to JSON with snake_case keys in the shape of ffprobe's essentials, leaving out the fields that
/// are unknown or do not apply to a stream's type:
/// `{"format": "mov,mp4,m4a,3gp,3g2,mj2", "duration": 60.0, "bit_rate": 123, "streams": [...]}`.
/// A plain value: `Sendable`, safe to share between tasks.
public struct MediaInfo: Codable, Sendable, Equatable {
    /// The demuxer's names, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "wav".
    public var format: String
    /// Duration of the whole file in seconds, when known.
    public var duration: Double?
    /// Overall bit rate in bits per second, when known.
    public var bitRate: Int?
    /// Every stream of the file, in file order.
    public var streams: [StreamInfo]

    /// Creates a description (``MediaProbe/probe(path:)`` makes these from files).
    public init(format: String, duration: Double?, bitRate: Int?, streams: [StreamInfo]) {
        self.format = format
        self.duration = duration
        self.bitRate = bitRate
        self.streams = streams
    }

    enum CodingKeys: String, CodingKey {
        case format, duration
        case bitRate = "bit_rate"
        case streams
    }

    /// The first stream of a type ("video", "audio", ...), if any.
    public func firstStream(ofType type: String) -> StreamInfo? {
        streams.first { $0.type == type }
    }
}

/// One stream of a media file. Fields that do not apply to the stream's type (a sample rate on video) or
/// that the file does not state are nil and left out of the JSON.
public struct StreamInfo: Codable, Sendable, Equatable {
    /// The stream's index in the file (what `streamIndex` parameters take).
    public var index: Int
    /// "video", "audio", "subtitle", "data" or "attachment" (FFmpeg's media type names; "unknown" otherwise).
    public var type: String
    /// FFmpeg's codec name, e.g. "h264", "aac", "pcm_s16le".
    public var codec: String
    /// Audio: samples per second.
    public var sampleRate: Int?
    /// Audio: number of channels.
    public var channels: Int?
    /// Audio: FFmpeg's layout name, e.g. "mono", "stereo", "5.1(side)".
    public var channelLayout: String?
    /// Video: coded width in pixels (before rotation).
    public var width: Int?
    /// Video: coded height in pixels (before rotation).
    public var height: Int?
    /// Video: average frame rate (frames per second), when known.
    public var fps: Double?
    /// Video: how far the picture must be turned clockwise to display upright: 0, 90, 180 or 270.
    /// This is the value ffprobe prints as `rotate` (the negated display-matrix angle).
    public var rotation: Int?
    /// The stream's language tag (ISO 639-2, e.g. "eng"), when present.
    public var language: String?

    /// Creates a stream description; fields that do not apply stay nil.
    public init(
        index: Int, type: String, codec: String, sampleRate: Int? = nil, channels: Int? = nil,
        channelLayout: String? = nil, width: Int? = nil, height: Int? = nil, fps: Double? = nil,
        rotation: Int? = nil, language: String? = nil
    ) {
        self.index = index
        self.type = type
        self.codec = codec
        self.sampleRate = sampleRate
        self.channels = channels
        self.channelLayout = channelLayout
        self.width = width
        self.height = height
        self.fps = fps
        self.rotation = rotation
        self.language = language
    }

    enum CodingKeys: String, CodingKey {
        case index, type, codec
        case sampleRate = "sample_rate"
        case channels
        case channelLayout = "channel_layout"
        case width, height, fps, rotation, language
    }
}
