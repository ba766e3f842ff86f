internal import CFFmpeg
import Foundation
import MedleyCore

/// Settings of a ``Muxer`` run.
public struct MuxOptions: Sendable, Equatable {
    /// Drop the video file's own audio tracks. With a new `audio` file, that file's track is the only audio;
    /// without one, the output is silent. When false, the video's audio is kept after the new track.
    public var replaceAudio: Bool
    /// ISO 639-2 language code for the subtitle track ("eng", "deu"); nil writes none.
    public var subtitleLanguage: String?
    /// ISO 639-2 language code for the new audio track; nil writes none.
    public var audioLanguage: String?
    /// Bits per second when audio must be re-encoded to AAC; nil keeps the encoder's default.
    public var audioBitRate: Int?
    /// Container tags for the output (`comment`, `description`, any key: MP4 keeps them as `mdta` keys).
    public var metadata: [String: String]

    /// Options with every field given or defaulted (keep the video's audio, no language tags, default bit rate,
    /// no tags).
    public init(
        replaceAudio: Bool = false, subtitleLanguage: String? = nil, audioLanguage: String? = nil,
        audioBitRate: Int? = nil, metadata: [String: String] = [:]
    ) {
        self.replaceAudio = replaceAudio
        self.subtitleLanguage = subtitleLanguage
        self.audioLanguage = audioLanguage
        self.audioBitRate = audioBitRate
        self.metadata = metadata
    }
}

/// What a ``Muxer`` run wrote: one entry per output track, in output order.
public struct MuxSummary: Sendable, Equatable {
    /// One output track.
    public struct Track: Sendable, Equatable {
        /// The kind of media a track holds.
        public enum Kind: String, Sendable { case video, audio, subtitle }
        public var kind: Kind
        /// The input file the track came from.
        public var source: String
        /// FFmpeg's name of the codec in the output ("h264", "aac", "subrip", "mov_text").
        public var codec: String
        /// True when packets were copied unchanged; false when the track was decoded and encoded again.
        public var copied: Bool
    }

    /// The output path.
    public var output: String
    public var tracks: [Track]
}

/// Combines a video with a new audio track and subtitles into MP4 or MKV, without re-encoding the video.
public enum Muxer {
    /// Writes `output` (MP4 or MKV, by extension) from the video stream of `video`, optionally an audio track
    /// from `audio` and a subtitle track from an SRT or WebVTT file.
    ///
    /// - The video stream (FFmpeg's best one in `video`) is **copied packet for packet**, timestamps rescaled;
    ///   other video, subtitle and data streams of `video` are dropped.
    /// - Audio (the new track, and the video file's own tracks unless `options.replaceAudio`) is copied when the
    ///   container can hold its codec (AAC, MP3, Opus, AC-3, E-AC-3, ALAC in MP4; nearly anything in MKV) and
    ///   re-encoded to AAC otherwise (for example PCM from a WAV into MP4). A new audio track comes first and is
    ///   the default one.
    /// - Subtitles: MKV keeps SubRip or WebVTT as they are; MP4 gets `mov_text`, converted cue by cue.
    ///
    /// The output is written to a temporary file in the same folder and renamed when complete; on any error
    /// nothing is left behind. Tracks keep their own lengths (no trimming to the shortest).
    ///
    /// Blocking and synchronous; call it from a background task for long files. It checks for task
    /// cancellation between packets and then throws ``MedleyError/cancelled``. Every call uses its own FFmpeg
    /// state, so calls may run concurrently on different files.
    ///
    /// - Throws: ``MedleyError`` naming the file at fault: `fileNotFound` / `emptyFile` / `isDirectory` for a
    ///   bad input path, `unreadableMedia` for a file that is not media, `noStream` when `video` has no video
    ///   (or `audio` no audio, `subtitles` no subtitle), `invalidArgument` for an unknown output extension, a
    ///   bad language code or a video codec the container cannot hold, `writeFailed` when the output folder is
    ///   missing or writing fails.
    @discardableResult
    public static func mux(
        video: String, audio: String? = nil, subtitles: String? = nil, output: String,
        options: MuxOptions = MuxOptions()
    ) throws -> MuxSummary {
        let kind = try MuxContainerKind(outputPath: output)
        for language in [options.subtitleLanguage, options.audioLanguage].compactMap({ $0 }) {
            try validateLanguage(language)
        }
        if let bitRate = options.audioBitRate, bitRate <= 0 {
            throw MedleyError.invalidArgument("audio bit rate must be positive, not \(bitRate)")
        }

        let videoFile = try MuxSourceFile(path: video)
        let videoIndex = try videoFile.requireBestStream(AVMEDIA_TYPE_VIDEO, kind: "video")
        let audioFile = try audio.map { try MuxSourceFile(path: $0) }
        let audioIndex = try audioFile?.requireBestStream(AVMEDIA_TYPE_AUDIO, kind: "audio")
        let subtitleFile = try subtitles.map { try MuxSourceFile(path: $0) }
        let subtitleIndex = try subtitleFile?.requireBestStream(AVMEDIA_TYPE_SUBTITLE, kind: "subtitle")
        if let subtitleFile, let subtitleIndex { try requireTextSubtitles(subtitleFile, subtitleIndex) }

        var summary = MuxSummary(output: output, tracks: [])
        try writeAtomically(to: output) { temporaryPath in
            let container = try OutputContainer(path: temporaryPath, muxerName: kind.muxerName, displayPath: output)
            var plans: [MuxInputPlan] = [MuxInputPlan(file: videoFile)]
            let videoTrack = try makeVideoTrack(videoFile, videoIndex, container, kind)
            plans[0].tracks[videoIndex] = videoTrack
            var tracks: [any MuxTrack] = [videoTrack]

            if let audioFile, let audioIndex {
                let new = try makeAudioTrack(audioFile, audioIndex, container, kind, options)
                try setLanguage(options.audioLanguage, on: new.stream, container)
                new.stream.pointee.disposition = AV_DISPOSITION_DEFAULT
                plans.append(MuxInputPlan(file: audioFile, tracks: [audioIndex: new.track]))
                tracks.append(new.track)
            }
            if !options.replaceAudio {
                let originals = videoFile.streams(of: AVMEDIA_TYPE_AUDIO)
                for index in originals {
                    let original = try makeAudioTrack(videoFile, index, container, kind, options)
                    copyTags(["language", "title"], from: videoFile.stream(index), to: original.stream)
                    // The new track, if any, is the default; otherwise the video's first audio track.
                    let isDefault = audioFile == nil && index == originals.first
                    original.stream.pointee.disposition = isDefault ? AV_DISPOSITION_DEFAULT : 0
                    plans[0].tracks[index] = original.track
                    tracks.append(original.track)
                }
            }
            if let subtitleFile, let subtitleIndex {
                let source = subtitleFile.stream(subtitleIndex)
                let track: any MuxTrack
                let stream: UnsafeMutablePointer<AVStream>
                if kind == .mp4 && source.pointee.codecpar.pointee.codec_id != AV_CODEC_ID_MOV_TEXT {
                    let movText = try MovTextTrack(source: source, sourcePath: subtitleFile.path, output: container)
                    (track, stream) = (movText, movText.stream)
                } else {
                    try requireStorable(source, in: container, path: subtitleFile.path, what: "subtitle")
                    let copy = try StreamCopyTrack(
                        source: source, sourcePath: subtitleFile.path, output: container, kind: .subtitle)
                    (track, stream) = (copy, copy.stream)
                }
                try setLanguage(options.subtitleLanguage, on: stream, container)
                plans.append(MuxInputPlan(file: subtitleFile, tracks: [subtitleIndex: track]))
                tracks.append(track)
            }

            try container.setMetadata(options.metadata.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            let keepsAnyTag = kind == .mp4 && !options.metadata.isEmpty
            try container.writeHeader(options: keepsAnyTag ? [("movflags", "+use_metadata_tags")] : [])
            try interleave(plans, into: container)
            for track in tracks { try track.finish(into: container) }
            try container.finish()
            summary.tracks = tracks.map(\.summary)
        }
        return summary
    }

    // MARK: - Building tracks

    private static func makeVideoTrack(
        _ file: MuxSourceFile, _ index: Int32, _ container: OutputContainer, _ kind: MuxContainerKind
    ) throws -> StreamCopyTrack {
        let source = file.stream(index)
        try requireStorable(source, in: container, path: file.path, what: "video")
        let track = try StreamCopyTrack(source: source, sourcePath: file.path, output: container, kind: .video)
        copyTags(["language", "title"], from: source, to: track.stream)
        track.stream.pointee.disposition = AV_DISPOSITION_DEFAULT
        return track
    }

    /// A copy when the container takes the codec, else a transcode to AAC.
    private static func makeAudioTrack(
        _ file: MuxSourceFile, _ index: Int32, _ container: OutputContainer, _ kind: MuxContainerKind,
        _ options: MuxOptions
    ) throws -> (track: any MuxTrack, stream: UnsafeMutablePointer<AVStream>) {
        let source = file.stream(index)
        if kind.canCopyAudio(source.pointee.codecpar.pointee.codec_id, container) {
            let copy = try StreamCopyTrack(source: source, sourcePath: file.path, output: container, kind: .audio)
            return (copy, copy.stream)
        }
        let transcode = try AudioTranscodeTrack(
            source: source, sourcePath: file.path, output: container, bitRate: options.audioBitRate)
        return (transcode, transcode.stream)
    }

    private static func requireStorable(
        _ source: UnsafeMutablePointer<AVStream>, in container: OutputContainer, path: String, what: String
    ) throws {
        let id = source.pointee.codecpar.pointee.codec_id
        if avformat_query_codec(container.context.pointee.oformat, id, FF_COMPLIANCE_NORMAL) != 1 {
            throw MedleyError.invalidArgument(
                "\(path): the \(what) codec '\(ffmpegCodecName(id))' cannot be stored in \(container.displayPath) "
                    + "without re-encoding; choose .mkv or convert the \(what) first")
        }
    }

    private static func requireTextSubtitles(_ file: MuxSourceFile, _ index: Int32) throws {
        let id = file.stream(index).pointee.codecpar.pointee.codec_id
        guard let descriptor = avcodec_descriptor_get(id), (descriptor.pointee.props & AV_CODEC_PROP_TEXT_SUB) != 0
        else {
            throw MedleyError.invalidArgument(
                "\(file.path): subtitle codec '\(ffmpegCodecName(id))' is not text; give an SRT or WebVTT file")
        }
    }

    // MARK: - Tags

    private static func validateLanguage(_ code: String) throws {
        let letters = code.unicodeScalars
        guard letters.count == 3, letters.allSatisfy({ ("a"..."z").contains($0) }) else {
            throw MedleyError.invalidArgument(
                "language '\(code)' is not an ISO 639-2 code; use three lower-case letters such as eng, deu, fra")
        }
    }

    private static func setLanguage(
        _ language: String?, on stream: UnsafeMutablePointer<AVStream>, _ container: OutputContainer
    ) throws {
        guard let language else { return }
        let code = av_dict_set(&stream.pointee.metadata, "language", language, 0)
        if code < 0 { throw container.failure("setting the language tag", code) }
    }

    private static func copyTags(
        _ keys: [String], from source: UnsafeMutablePointer<AVStream>, to target: UnsafeMutablePointer<AVStream>
    ) {
        for key in keys {
            guard let entry = av_dict_get(source.pointee.metadata, key, nil, 0), let value = entry.pointee.value else {
                continue
            }
            // Losing a copied tag is harmless, so a failed (out of memory) set is not an error.
            _ = av_dict_set(&target.pointee.metadata, key, value, 0)
        }
    }

    // MARK: - Packet loop

    /// How many packets pass between cancellation checks.
    private static let cancellationInterval = 64

    /// Feeds every mapped packet of every input to its track, always taking the input whose next packet is
    /// earliest, so the muxer's interleaving queue stays short.
    private static func interleave(_ plans: [MuxInputPlan], into container: OutputContainer) throws {
        var inputs = try plans.map { try MuxInputState(plan: $0) }
        var count = 0
        while true {
            for index in inputs.indices { try inputs[index].fill() }
            var next: Int?
            for index in inputs.indices where inputs[index].hasPacket {
                guard let chosen = next else {
                    next = index
                    continue
                }
                if inputs[index].isEarlier(than: inputs[chosen]) { next = index }
            }
            guard let next else { return }
            try inputs[next].deliver(into: container)
            count += 1
            if count % cancellationInterval == 0 && Task.isCancelled { throw MedleyError.cancelled }
        }
    }
}

/// Which input streams go to which track.
private struct MuxInputPlan {
    var file: MuxSourceFile
    var tracks: [Int32: any MuxTrack] = [:]
}

/// The look-ahead packet of one input during interleaving.
private struct MuxInputState {
    let plan: MuxInputPlan
    let packet: OwnedPacket
    private(set) var hasPacket = false
    private var ended = false

    init(plan: MuxInputPlan) throws {
        self.plan = plan
        packet = try OwnedPacket()
    }

    /// Reads until a packet of a mapped stream (or the end) is at hand.
    mutating func fill() throws {
        while !hasPacket && !ended {
            if try !plan.file.read(into: packet) {
                ended = true
            } else if plan.tracks[packet.pointer.pointee.stream_index] != nil {
                hasPacket = true
            } else {
                av_packet_unref(packet.pointer)
            }
        }
    }

    func isEarlier(than other: MuxInputState) -> Bool {
        guard let mine = timestamp, let theirs = other.timestamp else { return timestamp == nil }
        return av_compare_ts(mine, timeBase, theirs, other.timeBase) < 0
    }

    mutating func deliver(into container: OutputContainer) throws {
        defer {
            av_packet_unref(packet.pointer)
            hasPacket = false
        }
        try plan.tracks[packet.pointer.pointee.stream_index]?.consume(packet.pointer, into: container)
    }

    /// Decoding order time of the pending packet; nil (deliver at once) when the demuxer gives none.
    private var timestamp: Int64? {
        let dts = packet.pointer.pointee.dts
        if dts != medley_av_nopts_value() { return dts }
        let pts = packet.pointer.pointee.pts
        return pts != medley_av_nopts_value() ? pts : nil
    }

    private var timeBase: AVRational { plan.file.stream(packet.pointer.pointee.stream_index).pointee.time_base }
}

/// The output containers the muxer writes.
enum MuxContainerKind {
    case mp4
    case matroska

    init(outputPath: String) throws {
        switch URL(fileURLWithPath: outputPath).pathExtension.lowercased() {
        case "mp4", "m4v": self = .mp4
        case "mkv": self = .matroska
        case let ext:
            throw MedleyError.invalidArgument(
                "\(outputPath): unknown output extension '\(ext.isEmpty ? "(none)" : "." + ext)'; use .mp4 or .mkv")
        }
    }

    var muxerName: String {
        switch self {
        case .mp4: return "mp4"
        case .matroska: return "matroska"
        }
    }

    /// Audio codecs FFmpeg 5.1 writes to MP4 without `-strict experimental` (FLAC in MP4 still needs it, so
    /// the container's tag list alone is not enough).
    private static let mp4AudioCodecs: Set<UInt32> = [
        AV_CODEC_ID_AAC.rawValue, AV_CODEC_ID_MP3.rawValue, AV_CODEC_ID_OPUS.rawValue, AV_CODEC_ID_AC3.rawValue,
        AV_CODEC_ID_EAC3.rawValue, AV_CODEC_ID_ALAC.rawValue,
    ]

    func canCopyAudio(_ id: AVCodecID, _ container: OutputContainer) -> Bool {
        switch self {
        case .mp4: return Self.mp4AudioCodecs.contains(id.rawValue)
        case .matroska: return avformat_query_codec(container.context.pointee.oformat, id, FF_COMPLIANCE_NORMAL) == 1
        }
    }
}
