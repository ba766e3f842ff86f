import Foundation
import MedleyCore

/// An audio file format Medley can write: it fixes the codec, and the output path's extension picks the
/// container where the codec has more than one (Opus in `.opus` or `.ogg`, AAC in `.m4a` or raw `.aac`).
public enum AudioFileFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// WAV, PCM signed 16-bit little-endian (`.wav`).
    case wav
    /// WAV, PCM 32-bit float little-endian (`.wav`): no quantisation of the float samples.
    case wavFloat
    /// FLAC, lossless, 16-bit (`.flac`).
    case flac
    /// MP3 through libmp3lame (`.mp3`); mono or stereo only.
    case mp3
    /// Opus through libopus in Ogg (`.opus`, `.ogg`); always encoded at 48 kHz, the rate Opus works at.
    case opus
    /// AAC with FFmpeg's native encoder, in MP4 audio (`.m4a`) or raw ADTS (`.aac`).
    case aac

    /// The extensions (lower case, without the dot) this format can be written to; the first is the default.
    public var fileExtensions: [String] {
        switch self {
        case .wav, .wavFloat: return ["wav"]
        case .flac: return ["flac"]
        case .mp3: return ["mp3"]
        case .opus: return ["opus", "ogg"]
        case .aac: return ["m4a", "aac"]
        }
    }

    /// True for formats that keep the samples exactly (up to the sample format): WAV and FLAC.
    public var isLossless: Bool {
        switch self {
        case .wav, .wavFloat, .flac: return true
        case .mp3, .opus, .aac: return false
        }
    }

    public var description: String { rawValue }

    /// The format an output path asks for through its extension (case-insensitive); `.wav` gives 16-bit ``wav``.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` naming the path when the extension is missing or unknown.
    public init(forPath path: String) throws {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard let format = Self.allCases.first(where: { $0.fileExtensions.contains(ext) }) else {
            throw MedleyError.invalidArgument(
                "\(path): cannot tell the audio format from the extension '\(ext.isEmpty ? "(none)" : "." + ext)'; "
                    + "use one of \(Self.allExtensionsList) or give the format explicitly")
        }
        self = format
    }

    static var allExtensionsList: String {
        var seen: [String] = []
        for ext in allCases.flatMap(\.fileExtensions) where !seen.contains(ext) { seen.append(ext) }
        return seen.map { "." + $0 }.joined(separator: " ")
    }
}

/// How a container stores tags, which decides what survives a round trip through FFmpeg's readers.
enum AudioTagStyle {
    /// Any key is stored as is (ID3v2 in MP3 and ADTS, MP4 `mdta` keys with `use_metadata_tags`).
    case anyKey
    /// Vorbis comments (FLAC, Ogg): any key, but FFmpeg maps `comment` and `description` to the one Vorbis
    /// `DESCRIPTION` field, so the second would overwrite the first.
    case vorbisComment
    /// RIFF INFO (WAV): only a fixed set of keys; FFmpeg silently drops the others.
    case riffInfo
}

/// The muxer, encoder and tag handling for one format written to one path.
struct AudioContainerPlan {
    var muxerName: String
    var encoderName: String
    /// Private options of the muxer, passed to `avformat_write_header`.
    var muxerOptions: [(String, String)]
    var tagStyle: AudioTagStyle
    /// Ogg keeps its comments per stream, so the tags go on the stream as well.
    var tagsOnStream: Bool
    /// Opus only runs at 48 kHz.
    var requiredSampleRate: Int?
    var maximumChannels: Int

    /// The plan for `format` (or the format the extension names) written to `path`.
    static func make(path: String, format: AudioFileFormat?) throws -> (AudioFileFormat, AudioContainerPlan) {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        let chosen = try format ?? AudioFileFormat(forPath: path)
        if !ext.isEmpty && !chosen.fileExtensions.contains(ext) {
            let allowed = chosen.fileExtensions.map { "." + $0 }.joined(separator: " or ")
            throw MedleyError.invalidArgument(
                "\(path): the extension '.\(ext)' does not fit the audio format \(chosen); use \(allowed)")
        }
        let container = ext.isEmpty ? chosen.fileExtensions[0] : ext
        let plan: AudioContainerPlan
        switch (chosen, container) {
        case (.wav, _):
            plan = AudioContainerPlan(
                muxerName: "wav", encoderName: "pcm_s16le", muxerOptions: [], tagStyle: .riffInfo,
                tagsOnStream: false, requiredSampleRate: nil, maximumChannels: 8)
        case (.wavFloat, _):
            plan = AudioContainerPlan(
                muxerName: "wav", encoderName: "pcm_f32le", muxerOptions: [], tagStyle: .riffInfo,
                tagsOnStream: false, requiredSampleRate: nil, maximumChannels: 8)
        case (.flac, _):
            plan = AudioContainerPlan(
                muxerName: "flac", encoderName: "flac", muxerOptions: [], tagStyle: .vorbisComment,
                tagsOnStream: false, requiredSampleRate: nil, maximumChannels: 8)
        case (.mp3, _):
            // ID3v2.4 (the muxer's default) keeps any key, as TXXX frames for the non-standard ones.
            plan = AudioContainerPlan(
                muxerName: "mp3", encoderName: "libmp3lame", muxerOptions: [], tagStyle: .anyKey,
                tagsOnStream: false, requiredSampleRate: nil, maximumChannels: 2)
        case (.opus, let container):
            plan = AudioContainerPlan(
                muxerName: container == "ogg" ? "ogg" : "opus", encoderName: "libopus", muxerOptions: [],
                tagStyle: .vorbisComment, tagsOnStream: true, requiredSampleRate: opusSampleRate,
                maximumChannels: 2)
        case (.aac, "aac"):
            // Raw ADTS has no tags of its own; FFmpeg's ADTS reader picks up an ID3v2 header in front.
            plan = AudioContainerPlan(
                muxerName: "adts", encoderName: "aac", muxerOptions: [("write_id3v2", "1")], tagStyle: .anyKey,
                tagsOnStream: false, requiredSampleRate: nil, maximumChannels: 8)
        case (.aac, _):
            // Without use_metadata_tags the MP4 muxer keeps only the iTunes keys it knows.
            plan = AudioContainerPlan(
                muxerName: "ipod", encoderName: "aac", muxerOptions: [("movflags", "+use_metadata_tags")],
                tagStyle: .anyKey, tagsOnStream: false, requiredSampleRate: nil, maximumChannels: 8)
        }
        return (chosen, plan)
    }
}

/// Opus codes at 48 kHz internally; libopus accepts a few lower rates, but 48 kHz keeps every input exact.
let opusSampleRate = 48_000

/// RIFF INFO keys FFmpeg's WAV muxer writes (FFmpeg's `ff_riff_info_conv`, generic names).
private let riffInfoKeys: Set<String> = [
    "artist", "comment", "copyright", "date", "genre", "language", "title", "album", "track", "encoder",
    "timecode", "encoded_by",
]

/// Rewrites caller tags so that every value survives `style`.
///
/// Where a container cannot hold a key distinctly (Vorbis comments merge `comment` and `description`; RIFF
/// INFO has no free keys), the value is folded into `comment`: first the comment, then the description, then
/// `key: value` lines for the other keys, in key order. Provenance written by TTS therefore stays readable in
/// every format.
func containerTags(_ tags: [String: String], style: AudioTagStyle) -> [(String, String)] {
    let sorted = tags.sorted { $0.key < $1.key }
    let keepsKey: (String) -> Bool
    switch style {
    case .anyKey: return sorted.map { ($0.key, $0.value) }
    case .vorbisComment: keepsKey = { $0 != "comment" && $0 != "description" }
    case .riffInfo: keepsKey = { riffInfoKeys.contains($0) && $0 != "comment" }
    }
    var kept: [(String, String)] = []
    var comments: [String] = []
    var descriptions: [String] = []
    var others: [String] = []
    for (key, value) in sorted {
        switch key.lowercased() {
        case "comment": comments.append(value)
        case "description": descriptions.append(value)
        case let lower where keepsKey(lower): kept.append((key, value))
        default: others.append("\(key): \(value)")
        }
    }
    let folded = comments + descriptions + others
    if !folded.isEmpty { kept.append(("comment", folded.joined(separator: "\n"))) }
    return kept
}

/// Throws when a tag cannot be written: empty keys, or keys with `=` or NUL, which no tag format can hold.
func validateTags(_ tags: [String: String]) throws {
    for (key, value) in tags {
        if key.isEmpty || key.contains("=") || key.contains("\0") {
            throw MedleyError.invalidArgument(
                "metadata key '\(key)' is not allowed; keys must be non-empty and contain no '=' or NUL")
        }
        if value.contains("\0") {
            throw MedleyError.invalidArgument("metadata value for '\(key)' contains a NUL character")
        }
    }
}
