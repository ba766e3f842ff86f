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

/// `audio.pitch`: f0 and voicing per frame (pYIN or YIN).
struct PitchNode: NodeType {
    let name = "audio.pitch"
    let version = 1
    let summary = "Track pitch: f0 (Hz, null when unvoiced) and voicing probability per frame, with pYIN or YIN."
    let inputs = [
        InputSpec("audio", .audio, help: "Any file with an audio stream."),
        InputSpec("method", .string, default: "pyin", constraint: .oneOf(PitchMethod.allCases.map(\.rawValue)), help: "pyin or yin."),
        InputSpec("fmin", .number, default: 65.40639132514966, constraint: .range(20, 8000), help: "Lowest f0, Hz (C2)."),
        InputSpec("fmax", .number, default: 2093.004522404789, constraint: .range(20, 8000), help: "Highest f0, Hz (C7)."),
    ]
    let outputs = [OutputSpec("pitch", .table, help: "As `medley pitch --json` prints it.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        var settings = PitchSettings()
        settings.method = PitchMethod(rawValue: try inputs.string("method")) ?? .pyin
        settings.minHz = try inputs.number("fmin")
        settings.maxHz = try inputs.number("fmax")
        return ["pitch": try .encoding(try await PitchTracker.analyze(path: inputs.path("audio"), settings: settings,
                                                                      progress: context.progress))]
    }
}

/// `audio.features`: frame-level acoustic features (librosa-compatible) or the eGeMAPS-style voice set.
struct FeaturesNode: NodeType {
    let name = "audio.features"
    let version = 1
    let summary = "Acoustic features per frame: mfcc, mel, chroma, spectral (librosa's defaults) or the voice set (eGeMAPS-style)."
    let inputs = [
        InputSpec("audio", .audio, help: "Any file with an audio stream."),
        InputSpec("set", .string, default: "mfcc", constraint: .oneOf(FeatureSet.allCases.map(\.rawValue) + ["voice"]), help: "Which features."),
        InputSpec("htk", .bool, default: false, help: "HTK/Kaldi-style MFCCs instead of librosa's."),
    ]
    let outputs = [OutputSpec("features", .table, help: "As `medley features --format json` prints it.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let path = try inputs.path("audio"), set = try inputs.string("set")
        if set == "voice" {
            return ["features": try .encoding(try await VoiceFeatureExtractor.analyze(path: path, progress: context.progress))]
        }
        let settings = try inputs.bool("htk") ? FeatureSettings.htk : FeatureSettings()
        return ["features": try .encoding(try await FeatureExtractor.analyze(
            path: path, set: FeatureSet(rawValue: set) ?? .mfcc, settings: settings, progress: context.progress))]
    }
}
