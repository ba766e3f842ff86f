import Foundation
import MedleyCore
import MedleyMedia
import MedleyWorkflow

/// `media.probe`: container, duration and streams of a media file.
struct ProbeNode: NodeType {
    let name = "media.probe"
    let version = 1
    let summary = "Read a media file's container, duration and streams (codecs, sizes, rates, rotation, language)."
    let inputs = [InputSpec("input", .file, help: "Any file FFmpeg reads.")]
    let outputs = [OutputSpec("info", .table, help: "The probe result, as `medley probe --json` prints it.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        ["info": try .encoding(try MediaProbe.probe(path: inputs.path("input")))]
    }
}

/// `media.mux`: a video's stream copied into MP4 or MKV with a new audio and/or subtitle track.
struct MuxNode: NodeType {
    let name = "media.mux"
    let version = 1
    let summary = "Copy a video's picture (no re-encoding) into MP4 or MKV with a subtitle track and/or a new audio track."
    let inputs = [
        InputSpec("video", .video, help: "The video whose picture stream is copied."),
        InputSpec("subtitles", .file, optional: true, help: "An SRT or WebVTT file, muxed as a soft subtitle track."),
        InputSpec("audio", .audio, optional: true, help: "An audio file added as the first, default audio track."),
        InputSpec("replace_audio", .bool, default: false, help: "Drop the video's own audio tracks."),
        InputSpec("language", .string, default: "", help: "ISO 639-2 code of the subtitle track (eng, fra), or empty."),
        InputSpec("container", .string, default: "mkv", constraint: .oneOf(["mkv", "mp4"]), help: "Output container."),
    ]
    let outputs = [OutputSpec("video", .video, help: "The muxed file, named after the input video.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let video = try inputs.file("video")
        let container = try inputs.string("container")
        let name = URL(fileURLWithPath: video.name).deletingPathExtension().lastPathComponent + "." + container
        let output = context.outputPath(name)
        var options = MuxOptions()
        options.replaceAudio = try inputs.bool("replace_audio")
        options.subtitleLanguage = try inputs.optionalString("language")
        let subtitles = inputs.values["subtitles"] == nil ? nil : try inputs.path("subtitles")
        let audio = inputs.values["audio"] == nil ? nil : try inputs.path("audio")
        try Muxer.mux(video: video.path, audio: audio, subtitles: subtitles, output: output, options: options)
        return ["video": .file(FileValue(path: output, name: name))]
    }
}
