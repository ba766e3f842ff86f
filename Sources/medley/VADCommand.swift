import ArgumentParser
import Foundation
import MedleySpeech
import MedleyWorkflow

struct VADCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vad",
        abstract: "Find the speech in an audio or video file (silero VAD)."
    )

    @Argument(help: "Any file FFmpeg reads that has an audio stream.")
    var file: String

    @Flag(help: "Print JSON on stdout: {\"segments\": [{\"start\": 1.06, \"end\": 3.58}], \"duration\": 60.0}.")
    var json = false

    @Option(help: "Speech probability threshold.")
    var threshold: Double = 0.5

    @Option(help: "Drop speech shorter than this (seconds).")
    var minSpeech: Double = 0.25

    @Option(help: "Silence needed to end a segment (seconds).")
    var minSilence: Double = 0.1

    @Option(help: "Padding added on each side of a segment (seconds).")
    var pad: Double = 0.03

    @Option(help: "Model id in the store.")
    var model: String = VoiceActivityDetector.defaultModelID

    @OptionGroup var models: TaskModelOptions

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be in [0, 1]") }
        guard minSpeech >= 0, minSilence >= 0, pad >= 0 else {
            throw ValidationError("--min-speech, --min-silence and --pad must not be negative")
        }
    }

    func run() async throws {
        var settings = VADConfiguration()
        settings.threshold = threshold
        settings.minSpeechDuration = minSpeech
        settings.minSilenceDuration = minSilence
        settings.speechPad = pad
        let detector = try VoiceActivityDetector(store: models.store, modelID: model, policy: models.licensePolicy(),
                                                 configuration: settings)
        let bar = ProgressBar()
        let file = self.file
        let settingsJSON: [String: JSONValue] = ["threshold": .number(threshold), "min_speech": .number(minSpeech),
                                                 "min_silence": .number(minSilence), "pad": .number(pad),
                                                 "model": .string(model)]
        let result = try await recordedTask("speech.vad", settings: settingsJSON, inputs: ["audio": file],
                                            models: [model], store: models.store) {
            (try await runCancellable { try await detector.detect(path: file, progress: bar) }, [])
        }
        bar.finish()
        if json {
            try Terminal.printJSON(result)
            return
        }
        for segment in result.segments {
            print(String(format: "%8.3f  %8.3f  (%.2f s)", segment.start, segment.end, segment.end - segment.start))
        }
        print(String(format: "%d speech segment(s), %.1f s of speech in %.1f s", result.segments.count,
                     result.speechDuration, result.duration))
    }
}
