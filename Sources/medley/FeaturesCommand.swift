import ArgumentParser
import Foundation
import MedleyModels
import MedleyWorkflow
import MedleyAudio
import MedleyDSP

extension FeatureSet: ExpressibleByArgument {}

struct FeaturesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Frame-level acoustic features (librosa-compatible mel, MFCC, chroma, spectral; eGeMAPS-style voice)."
    )

    enum OutputFormat: String, ExpressibleByArgument { case csv, json }
    enum SetName: String, ExpressibleByArgument { case mfcc, mel, chroma, spectral, voice }

    @Argument(help: "Any file FFmpeg reads that has an audio stream.")
    var file: String

    @Option(help: "Feature set: mfcc, mel, chroma, spectral or voice.")
    var set: SetName = .mfcc

    @Option(help: "Output format: csv (one row per frame) or json.")
    var format: OutputFormat = .csv

    @Flag(help: "HTK/Kaldi-style MFCCs (16 kHz, 25 ms Hamming, 26 HTK filters, log, 13 coefficients, lifter 22).")
    var htk = false

    @Flag(help: "With --set voice and CSV: print the functionals (one line per descriptor) instead of the frames.")
    var functionals = false

    func run() async throws {
        try await recordedTask("audio.features", settings: ["set": .string(set.rawValue), "htk": .bool(htk)], inputs: ["audio": file], models: [], store: ModelStore(root: ModelStore.defaultRoot())) {
            try await perform()
            return ((), [])
        }
    }

    private func perform() async throws {
        let bar = ProgressBar()
        let (file, set, htk) = (self.file, self.set, self.htk)
        if set == .voice {
            let result = try await runCancellable { try await VoiceFeatureExtractor.analyze(path: file, progress: bar) }
            bar.finish()
            if format == .json {
                try Terminal.printJSON(result)
            } else {
                if functionals {
                    FileHandle.standardOutput.write(Data(result.functionalsCSV().utf8))
                } else {
                    result.frames.writeCSVBytes { FileHandle.standardOutput.write(Data($0)) }
                }
            }
            return
        }
        let featureSet = FeatureSet(rawValue: set.rawValue) ?? .mfcc
        let settings = htk ? FeatureSettings.htk : FeatureSettings()
        let table = try await runCancellable {
            try await FeatureExtractor.analyze(path: file, set: featureSet, settings: settings, progress: bar)
        }
        bar.finish()
        if format == .json {
            try Terminal.printJSON(table)
        } else {
            table.writeCSVBytes { FileHandle.standardOutput.write(Data($0)) }
        }
    }
}
