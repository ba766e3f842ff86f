extension AnalysisReport {
    /// The analysed file and what it contains.
    ///
    /// JSON: `{"file": "clip.mp4", "placement": "hard_link", "source_path": "/videos/clip.mp4", "sha256": "…",
    /// "size": 123456, "duration": 6.0, "format": "mov,mp4,m4a,3gp,3g2,mj2", "video": {...}, "audio": {...}}`.
    public struct Input: Codable, Sendable, Equatable {
        /// The file's name inside the report folder; nil when the input is not placed in the folder.
        /// ``ReportWriter`` sets it (and ``placement``) when it places the input.
        public var file: String?
        /// How the input was placed in the folder; nil when it was not.
        public var placement: InputPlacement?
        /// The path the input was read from, as given (absolute when the analyze command made it so).
        public var sourcePath: String
        /// SHA-256 of the input's bytes, 64 lowercase hex digits, when computed.
        public var sha256: String?
        /// Size in bytes, when known.
        public var size: Int64?
        /// Duration in seconds, when known.
        public var duration: Double?
        /// The demuxer's names, as ``MedleyMedia/MediaInfo/format`` reports them.
        public var format: String
        /// The first video stream, or nil for audio-only input.
        public var video: VideoStream?
        /// The first audio stream, or nil for a silent video.
        public var audio: AudioStream?

        /// An input description from its parts.
        public init(
            file: String? = nil, placement: InputPlacement? = nil, sourcePath: String, sha256: String? = nil,
            size: Int64? = nil, duration: Double?, format: String, video: VideoStream?, audio: AudioStream?
        ) {
            self.file = file
            self.placement = placement
            self.sourcePath = sourcePath
            self.sha256 = sha256
            self.size = size
            self.duration = duration
            self.format = format
            self.video = video
            self.audio = audio
        }

        enum CodingKeys: String, CodingKey {
            case file, placement
            case sourcePath = "source_path"
            case sha256, size, duration, format, video, audio
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(file, forKey: .file)
            try c.encode(placement, forKey: .placement)
            try c.encode(sourcePath, forKey: .sourcePath)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(size, forKey: .size)
            try c.encode(duration, forKey: .duration)
            try c.encode(format, forKey: .format)
            try c.encode(video, forKey: .video)
            try c.encode(audio, forKey: .audio)
        }
    }

    /// How ``ReportWriter`` put the input into the report folder.
    public enum InputPlacement: String, Codable, Sendable, CaseIterable {
        /// A hard link: no extra space, and the folder keeps working when the original is moved or deleted.
        case hardLink = "hard_link"
        /// A symbolic link to the input's absolute path (the input is on another file system): breaks when the
        /// original moves.
        case symbolicLink = "symbolic_link"
        /// A full copy.
        case copy
    }

    /// The first video stream of the input.
    ///
    /// JSON: `{"width": 1280, "height": 720, "fps": 25.0, "codec": "h264", "rotation": 0}`.
    public struct VideoStream: Codable, Sendable, Equatable {
        /// Coded width in pixels (before rotation).
        public var width: Int
        /// Coded height in pixels (before rotation).
        public var height: Int
        /// Average frame rate, when known.
        public var fps: Double?
        /// FFmpeg's codec name.
        public var codec: String
        /// Clockwise turn to display the picture upright: 0, 90, 180 or 270.
        public var rotation: Int

        /// A video stream description from its parts.
        public init(width: Int, height: Int, fps: Double?, codec: String, rotation: Int = 0) {
            self.width = width
            self.height = height
            self.fps = fps
            self.codec = codec
            self.rotation = rotation
        }

        /// The size as displayed: width and height swapped for a quarter turn.
        public var displaySize: (width: Int, height: Int) {
            rotation == 90 || rotation == 270 ? (height, width) : (width, height)
        }

        enum CodingKeys: String, CodingKey { case width, height, fps, codec, rotation }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(width, forKey: .width)
            try c.encode(height, forKey: .height)
            try c.encode(fps, forKey: .fps)
            try c.encode(codec, forKey: .codec)
            try c.encode(rotation, forKey: .rotation)
        }
    }

    /// The first audio stream of the input: `{"sample_rate": 48000, "channels": 2, "codec": "aac"}`.
    public struct AudioStream: Codable, Sendable, Equatable {
        /// Samples per second.
        public var sampleRate: Int
        /// Number of channels.
        public var channels: Int
        /// FFmpeg's codec name.
        public var codec: String

        /// An audio stream description from its parts.
        public init(sampleRate: Int, channels: Int, codec: String) {
            self.sampleRate = sampleRate
            self.channels = channels
            self.codec = codec
        }

        enum CodingKeys: String, CodingKey {
            case sampleRate = "sample_rate"
            case channels, codec
        }
    }
}
