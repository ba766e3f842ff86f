import ArgumentParser
import Foundation
import MedleyCore
import MedleySpeech
import MedleyWorkflow

struct TranscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Transcribe the speech in an audio or video file (Whisper), as text, JSON or subtitles.",
        discussion: """
            Formats: txt (one line per segment), json (OpenAI's verbose_json: text, language, duration, segments \
            with start, end, text, avg_logprob, no_speech_prob), srt and vtt (subtitle cues of at most two lines \
            of 42 characters). Output goes to stdout unless -o is given; -o writes the file atomically.
            """
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case txt, json, srt, vtt
    }

    @Argument(help: "Any file FFmpeg reads that has an audio stream.")
    var file: String

    @Option(help: "Speech-recognition model id in the store (whisper-base is multilingual).")
    var model: String = WhisperModel.defaultModelID

    @Option(help: "Spoken language code, such as en or de; multilingual models detect it when omitted.")
    var language: String?

    @Option(help: "Output format: txt, json, srt or vtt.")
    var format: Format = .txt

    @Flag(help: "Same as --format json.")
    var json = false

    @Flag(help: "Find speech with silero VAD first and transcribe only it, in chunks of at most 30 s cut at pauses.")
    var vad = false

    @Option(name: .customShort("o"), help: ArgumentHelp("Write the output to this file instead of stdout.",
                                                        valueName: "out"))
    var output: String?

    @OptionGroup var models: TaskModelOptions

    func run() async throws {
        let policy = try models.licensePolicy()
        try requireReadableFile(file)
        let whisper = try WhisperModel(store: models.store, id: model, policy: policy)
        let planner = SpeechChunkPlanner()
        var vadSettings = VADConfiguration()
        // Speech longer than one chunk is cut by silero at its longest pause (faster-whisper's max_speech_duration_s).
        vadSettings.maxSpeechDuration = planner.maxDuration
        let detector = vad
            ? try VoiceActivityDetector(store: models.store, policy: policy, configuration: vadSettings) : nil
        let transcriber = WhisperTranscriber(model: whisper, options: TranscriptionOptions(language: language))
        let bar = ProgressBar()
        let file = self.file
        var settings: [String: JSONValue] = ["model": .string(model), "vad": .bool(vad)]
        if let language { settings["language"] = .string(language) }
        let output = self.output, format = json ? .json : self.format
        try await recordedTask("speech.transcribe", settings: settings, inputs: ["audio": file],
                               models: vad ? [model, VoiceActivityDetector.defaultModelID] : [model],
                               store: models.store) {
            let transcript = try await runCancellable {
                if let detector {
                    return try await transcriber.transcribe(path: file, vad: detector, planner: planner, progress: bar)
                }
                return try await transcriber.transcribe(path: file, progress: bar)
            }
            bar.finish()
            if transcript.segments.isEmpty { Terminal.printWarning("\(file): no speech found") }
            let text = try render(transcript, as: format)
            guard let output else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return ((), [])
            }
            try writeAtomically(to: output) { temporary in
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
                } catch {
                    throw MedleyError.writeFailed(path: output, reason: error.localizedDescription)
                }
            }
            return ((), [output])
        }
    }

    /// The transcript as the text of one output file.
    private func render(_ transcript: Transcript, as format: Format) throws -> String {
        switch format {
        case .txt:
            return transcript.segments.map {
                $0.text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
            }.joined()
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(transcript), as: UTF8.self) + "\n"
        case .srt, .vtt:
            let cues = SubtitleBuilder().cues(for: transcript.segments.map(\.segment))
            return (format == .srt ? SubtitleFormat.srt : SubtitleFormat.vtt).render(cues)
        }
    }
}
