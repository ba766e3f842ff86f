import ArgumentParser
import Foundation
import MedleyCore
import MedleySpeech
import MedleyWorkflow

struct SpeakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speak",
        abstract: "Speak text with a Piper voice or an espeak-ng voice; the output is marked as AI-generated.",
        discussion: """
            Writes OUT (.wav, .mp3, .opus, .flac, .m4a) with tags saying it is AI-generated speech, naming the \
            model and its checksum, and OUT.provenance.json beside it (text, voice, settings, model, Medley version).
            """
    )

    @Argument(help: "The text to speak (or use -f FILE).")
    var text: String?

    @Option(name: .customShort("f"), help: ArgumentHelp("Read the text from a UTF-8 file.", valueName: "file"))
    var textFile: String?

    @Option(help: "Voice: a Piper voice id from the store, or espeak:<language> (e.g. espeak:fr).")
    var voice: String = VoiceID.defaultVoice.rawValue

    @Option(help: "Speaking rate (1 = normal, 1.2 = 20% faster).")
    var rate: Double?

    @Option(help: "Fit the speech to this many seconds (within 3%), without changing pitch.")
    var duration: Double?

    @Option(help: "Seed for Piper's noise: the same text, voice, options and seed give the same audio; another seed varies the delivery slightly.")
    var seed: UInt64 = 0

    @Option(name: .customShort("o"), help: ArgumentHelp("Output audio file (.wav .flac .mp3 .m4a .opus).", valueName: "out"))
    var output: String?

    @Flag(help: "Print the provenance record as JSON on stdout.")
    var json = false

    @Flag(help: "List the available voices and exit.")
    var listVoices = false

    @OptionGroup var models: TaskModelOptions

    func validate() throws {
        if listVoices { return }
        guard output != nil else { throw ValidationError("give the output audio file with -o OUT") }
        guard (text == nil) != (textFile == nil) else {
            throw ValidationError("give the text as an argument or with -f FILE (one of them)")
        }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
    }

    func run() async throws {
        let synthesizer = SpeechSynthesizer(store: models.store, policy: try models.licensePolicy())
        if listVoices {
            synthesizer.availableVoices().forEach { print($0.rawValue) }
            return
        }
        let words: String
        if let textFile {
            try requireReadableFile(textFile)
            guard let contents = try? String(contentsOfFile: textFile, encoding: .utf8) else {
                throw MedleyError.invalidArgument("\(textFile): cannot be read as UTF-8 text; save it as UTF-8")
            }
            words = contents
        } else {
            words = text ?? ""
        }
        var options = SynthesisOptions()
        options.rate = rate
        options.duration = duration
        options.seed = seed
        let voice = VoiceID(rawValue: self.voice)
        let settings = options
        guard let output = self.output else { throw ValidationError("give the output audio file with -o OUT") }
        let (result, files) = try await recordedTask(
            "speech.synthesize", settings: ["text": .string(words), "voice": .string(voice.rawValue)], inputs: [:],
            models: voice.rawValue.hasPrefix("espeak:") ? ["espeak-ng-data"] : [voice.rawValue], store: models.store
        ) {
            let result = try await runCancellable {
                try await synthesizer.synthesize(text: words, voice: voice, options: settings)
            }
            let files = try result.write(to: output)
            return ((result, files), [files.audio, files.provenance])
        }
        for warning in result.warnings { Terminal.printWarning(warning) }
        if json {
            FileHandle.standardOutput.write(try SpeechProvenance.load(from: files.provenance).jsonData() + Data("\n".utf8))
        } else {
            print(String(format: "%@: %.2f s of speech (%@), provenance in %@", files.audio, result.duration,
                         result.voiceId.rawValue, files.provenance))
        }
    }
}
