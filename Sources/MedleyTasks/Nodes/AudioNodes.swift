import Foundation
import MedleyAudio
import MedleyCore
import MedleyDSP
import MedleyWorkflow

/// `audio.loudness`: EBU R128 integrated loudness, loudness range and peaks.
struct LoudnessNode: NodeType {
    let name = "audio.loudness"
    let version = 1
    let summary = "Measure loudness (EBU R128 / BS.1770-4): integrated LUFS, loudness range, true and sample peak."
    let inputs = [InputSpec("audio", .audio, help: "Any file with an audio stream.")]
    let outputs = [OutputSpec("loudness", .table, help: "As `medley loudness --json` prints it.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        ["loudness": try .encoding(try await LoudnessMeter.analyze(path: inputs.path("audio"), progress: context.progress))]
    }
}

/// `audio.normalize`: gain to a loudness target with a true-peak limit.
struct NormalizeNode: NodeType {
    let name = "audio.normalize"
    let version = 1
    let summary = "Normalise loudness to a target (LUFS) with a true-peak limit; the output keeps the input's name."
    let inputs = [
        InputSpec("audio", .audio, help: "The audio to normalise."),
        InputSpec("target", .number, default: -16, constraint: .range(-70, 0), help: "Target integrated loudness, LUFS."),
        InputSpec("true_peak", .number, default: -1, constraint: .range(-30, 0), help: "True-peak ceiling, dBTP."),
    ]
    let outputs = [
        OutputSpec("audio", .audio, help: "The normalised audio, same name and format as the input."),
        OutputSpec("report", .table, help: "Gain applied and the output's measured loudness."),
    ]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let input = try inputs.file("audio")
        let output = context.outputPath(input.name)
        let result = try await LoudnessNormalizer.normalize(
            input: input.path, output: output, targetLUFS: inputs.number("target"),
            truePeakLimit: inputs.number("true_peak"), progress: context.progress)
        var report = try JSONValue(encoding: result).objectValue ?? [:]
        report["output"] = .string(input.name) // the work-folder path means nothing outside the node
        return ["audio": .file(FileValue(path: output, name: input.name)), "report": .json(.object(report))]
    }
}

/// `audio.beats`: tempo, beats and onsets.
struct BeatsNode: NodeType {
    let name = "audio.beats"
    let version = 1
    let summary = "Estimate tempo and track beats (Ellis 2007 dynamic programming) and onsets."
    let inputs = [InputSpec("audio", .audio, help: "Any file with an audio stream.")]
    let outputs = [OutputSpec("beats", .table, help: "{\"tempo_bpm\", \"beats\": [...], \"onsets\": [...]}.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        ["beats": try .encoding(try await BeatTracker.analyze(path: inputs.path("audio"), progress: context.progress))]
    }
}

/// `audio.voiceover`: a voice mixed over a video's own audio, which ducks under it.
struct VoiceOverNode: NodeType {
    let name = "audio.voiceover"
    let version = 1
    let summary = "Mix a voice-over into a video: its own audio ducks under the voice; the picture is copied."
    let inputs = [
        InputSpec("video", .video, help: "The video (its picture is copied, its audio mixed)."),
        InputSpec("voice", .audio, help: "The voice-over."),
        InputSpec("start", .number, default: 0, constraint: .range(0, 86_400), help: "When the voice starts (s)."),
        InputSpec("duck", .number, default: -12, constraint: .range(-60, 0), help: "Gain of the video's audio under the voice, dB."),
    ]
    let outputs = [OutputSpec("video", .video, help: "The video with the mixed audio (MP4).")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let video = try inputs.file("video")
        let name = URL(fileURLWithPath: video.name).deletingPathExtension().lastPathComponent + ".mp4"
        let output = context.outputPath(name)
        var settings = VoiceOverSettings()
        settings.voiceStart = try inputs.number("start")
        settings.duckGainDB = try inputs.number("duck")
        try await VoiceOverMixer.mix(video: video.path, voice: inputs.path("voice"), output: output,
                                     settings: settings, progress: context.progress)
        return ["video": .file(FileValue(path: output, name: name))]
    }
}
