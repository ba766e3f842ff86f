import ArgumentParser
import Foundation
import MedleyModels
import MedleyWorkflow
import MedleyAudio
import MedleyDSP

extension PitchMethod: ExpressibleByArgument {}

struct PitchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pitch",
        abstract: "Fundamental frequency per frame (pYIN with voicing, or YIN), librosa-compatible."
    )

    @Argument(help: "Any file FFmpeg reads that has an audio stream.")
    var file: String

    @Flag(help: "Print JSON: {\"frames\": [{\"time\": 0.0, \"f0\": null, \"voiced_probability\": 0.01}, ...]}.")
    var json = false

    @Flag(help: "Print CSV: time,f0,voiced_probability (the default output).")
    var csv = false

    @Option(help: "pyin (voicing decisions, 10-cent grid) or yin (an f0 on every frame).")
    var method: PitchMethod = .pyin

    @Option(help: "Lowest f0 in Hz (default C2).")
    var fmin: Double = 65.40639132514966

    @Option(help: "Highest f0 in Hz (default C7).")
    var fmax: Double = 2093.004522404789

    @Flag(help: "Exact librosa output: no silence gate (librosa finds pitch in the noise floor of near-silent frames).")
    var librosa = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive") }
    }

    func run() async throws {
        try await recordedTask("audio.pitch", settings: ["method": .string(method.rawValue), "fmin": .number(fmin), "fmax": .number(fmax)], inputs: ["audio": file], models: [], store: ModelStore(root: ModelStore.defaultRoot())) {
            try await perform()
            return ((), [])
        }
    }

    private func perform() async throws {
        var settings = PitchSettings()
        settings.method = method
        settings.minHz = fmin
        settings.maxHz = fmax
        if librosa { settings.silenceThresholdDB = nil }
        let bar = ProgressBar()
        let file = self.file
        let track = try await runCancellable { [settings] in try await PitchTracker.analyze(path: file, settings: settings, progress: bar) }
        bar.finish()
        if json { try Terminal.printJSON(track) } else { FileHandle.standardOutput.write(Data(track.csv().utf8)) }
    }
}
