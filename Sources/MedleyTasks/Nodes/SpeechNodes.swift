import Foundation
import MedleyCore
import MedleySpeech
import MedleyWorkflow

/// `speech.vad`: where the speech is (silero VAD).
struct VADNode: NodeType {
    let name = "speech.vad"
    let version = 1
    let summary = "Find the speech in audio or video with silero VAD."
    let inputs = [
        InputSpec("audio", .audio, help: "Any file with an audio stream (video files: their audio)."),
        InputSpec("threshold", .number, default: 0.5, constraint: .range(0, 1), help: "Speech probability threshold."),
        InputSpec("min_speech", .number, default: 0.25, constraint: .range(0, 3600), help: "Drop speech shorter than this (s)."),
        InputSpec("min_silence", .number, default: 0.1, constraint: .range(0, 3600), help: "Silence that ends a segment (s)."),
        InputSpec("pad", .number, default: 0.03, constraint: .range(0, 10), help: "Padding on each side of a segment (s)."),
        InputSpec("model", .string, default: .string(VoiceActivityDetector.defaultModelID), help: "VAD model id."),
    ]
    let outputs = [OutputSpec("segments", .segments, help: "{\"segments\": [{\"start\", \"end\"}], \"duration\"}.")]

    func models(for inputs: NodeInputs) -> [String] { [(try? inputs.string("model")) ?? VoiceActivityDetector.defaultModelID] }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        var settings = VADConfiguration()
        settings.threshold = try inputs.number("threshold")
        settings.minSpeechDuration = try inputs.number("min_speech")
        settings.minSilenceDuration = try inputs.number("min_silence")
        settings.speechPad = try inputs.number("pad")
        let detector = try VoiceActivityDetector(store: context.models, modelID: inputs.string("model"),
                                                 policy: context.policy, configuration: settings)
        let result = try await detector.detect(path: inputs.path("audio"), progress: context.progress)
        return ["segments": try .encoding(result)]
    }
}

/// `speech.subtitles`: SRT or WebVTT cues from a transcript (2 lines of 42 characters, 1-7 s a cue).
struct SubtitlesNode: NodeType {
    let name = "speech.subtitles"
    let version = 1
    let summary = "Make SRT or WebVTT subtitles from a transcript: cues of at most 2 lines of 42 characters, 1-7 s each."
    let inputs = [
        InputSpec("transcript", .transcript, help: "A transcript (from speech.transcribe)."),
        InputSpec("format", .string, default: "srt", constraint: .oneOf(["srt", "vtt"]), help: "Subtitle format."),
        InputSpec("filename", .string, default: "subtitles", help: "File name without extension."),
    ]
    let outputs = [OutputSpec("subtitles", .file, help: "The subtitle file.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let transcript = try inputs.decode("transcript", as: Transcript.self)
        let formatName = try inputs.string("format")
        guard let format = SubtitleFormat(rawValue: formatName) else {
            throw MedleyError.invalidArgument("node '\(inputs.nodeID)': unknown subtitle format '\(formatName)'")
        }
        let cues = SubtitleBuilder().cues(for: transcript.segments.map(\.segment))
        let name = try fileName(inputs, "filename") + "." + formatName
        let path = context.outputPath(name)
        try writeAtomically(to: path) { try Data(format.render(cues).utf8).write(to: URL(fileURLWithPath: $0)) }
        return ["subtitles": .file(FileValue(path: path, name: name))]
    }
}

/// `speech.synthesize`: text spoken by a Piper or espeak-ng voice, marked as AI-generated.
struct SynthesizeNode: NodeType {
    let name = "speech.synthesize"
    let version = 1
    let summary = "Speak text with a Piper or espeak-ng voice, optionally fitted to a duration; the file is tagged AI-generated."
    let inputs = [
        InputSpec("text", .text, help: "What to say."),
        InputSpec("voice", .string, default: .string(VoiceID.defaultVoice.rawValue), help: "Voice id, or espeak:<language>."),
        InputSpec("duration", .number, optional: true, constraint: .range(0.1, 36_000), help: "Fit the speech to this many seconds."),
        InputSpec("rate", .number, optional: true, constraint: .range(0.25, 4), help: "Speaking rate (1 = normal)."),
        InputSpec("seed", .number, default: 0, help: "Seed of Piper's noise: the same seed gives the same audio."),
        InputSpec("filename", .string, default: "speech.wav", help: "Output name; its extension picks the format."),
    ]
    let outputs = [
        OutputSpec("audio", .audio, help: "The speech, tagged as AI-generated."),
        OutputSpec("provenance", .file, help: "The provenance record (text, voice, settings, model, checksum)."),
    ]

    func models(for inputs: NodeInputs) -> [String] {
        let voice = VoiceID(rawValue: (try? inputs.string("voice")) ?? VoiceID.defaultVoice.rawValue)
        return voice.rawValue.hasPrefix("espeak:") ? ["espeak-ng-data"] : [voice.rawValue]
    }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        var options = SynthesisOptions()
        options.duration = try inputs.optionalNumber("duration")
        options.rate = try inputs.optionalNumber("rate")
        let seed = try inputs.number("seed")
        guard seed >= 0, seed < 1.8e19, seed == seed.rounded() else {
            throw MedleyError.invalidArgument("node '\(inputs.nodeID)': seed must be a whole number >= 0")
        }
        options.seed = UInt64(seed)
        let synthesizer = SpeechSynthesizer(store: context.models, policy: context.policy)
        let result = try await synthesizer.synthesize(text: inputs.string("text"),
                                                      voice: VoiceID(rawValue: inputs.string("voice")), options: options)
        let name = try fileName(inputs, "filename")
        let files = try result.write(to: context.outputPath(name))
        return [
            "audio": .file(FileValue(path: files.audio, name: name)),
            "provenance": .file(FileValue(path: files.provenance, name: name + ".provenance.json")),
        ]
    }
}

/// `speech.transcribe`: Whisper speech recognition (Medley's own Swift implementation on CTranslate2 weights).
struct TranscribeNode: NodeType {
    let name = "speech.transcribe"
    let version = 1
    let summary = "Transcribe speech with Whisper (greedy with timestamps, temperature fallback); OpenAI verbose_json out."
    let inputs = [
        InputSpec("audio", .audio, help: "Any file with an audio stream (video files: their audio)."),
        InputSpec("model", .string, default: .string(WhisperModel.defaultModelID), help: "Whisper model id."),
        InputSpec("language", .string, default: "", help: "Spoken language code (en, de); empty to detect (multilingual models)."),
        InputSpec("vad", .bool, default: false, help: "Cut the audio at pauses found by silero VAD instead of fixed 30 s windows; silence is skipped."),
    ]
    let outputs = [
        OutputSpec("transcript", .transcript, help: "{\"text\", \"language\", \"duration\", \"segments\": [...]}."),
        OutputSpec("text", .text, help: "The whole text."),
    ]

    func models(for inputs: NodeInputs) -> [String] {
        let model = (try? inputs.string("model")) ?? WhisperModel.defaultModelID
        return (try? inputs.bool("vad")) == true ? [model, VoiceActivityDetector.defaultModelID] : [model]
    }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let path = try inputs.path("audio")
        let model = try WhisperModel(store: context.models, id: inputs.string("model"), policy: context.policy)
        let transcriber = WhisperTranscriber(model: model, options: TranscriptionOptions(language: try inputs.optionalString("language")))
        let transcript: Transcript
        if try inputs.bool("vad") {
            let detector = try VoiceActivityDetector(store: context.models, policy: context.policy)
            transcript = try await transcriber.transcribe(path: path, vad: detector, progress: context.progress)
        } else {
            transcript = try await transcriber.transcribe(path: path, progress: context.progress)
        }
        return ["transcript": try .encoding(transcript), "text": .text(transcript.text)]
    }
}
