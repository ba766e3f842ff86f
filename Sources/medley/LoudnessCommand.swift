import ArgumentParser
import Foundation
import MedleyAudio
import MedleyDSP
import MedleyWorkflow

struct LoudnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loudness",
        abstract: "Measure loudness per EBU R128 / ITU-R BS.1770-4 (integrated, range, true peak)."
    )

    @Argument(help: "Any file FFmpeg reads that has an audio stream (a video's audio is used).")
    var file: String

    @Flag(help: "Print JSON: {\"integrated_lufs\": -23.0, \"lra_lu\": 4.1, \"true_peak_dbtp\": -1.2, ...}.")
    var json = false

    @Flag(help: "Add the momentary and short-term loudness every 100 ms.")
    var series = false

    func run() async throws {
        let bar = ProgressBar()
        let (file, series) = (self.file, self.series)
        let result = try await recordedTask("audio.loudness", inputs: ["audio": file]) {
            (try await runCancellable { try await LoudnessMeter.analyze(path: file, keepSeries: series, progress: bar) }, [])
        }
        bar.finish()
        if json {
            try Terminal.printJSON(result)
            return
        }
        func show(_ value: Double?, _ unit: String) -> String {
            value.map { String(format: "%.1f %@", $0, unit) } ?? "n/a"
        }
        if let integrated = result.integratedLUFS {
            print("Integrated loudness: " + String(format: "%.1f LUFS", integrated))
        } else {
            print("Integrated loudness: n/a (\(result.reason ?? "undefined"))")
        }
        print("Loudness range:      " + show(result.loudnessRangeLU, "LU"))
        print("True peak:           " + show(result.truePeakDBTP, "dBTP"))
        print("Sample peak:         " + show(result.samplePeakDBFS, "dBFS"))
        print("Max momentary:       " + show(result.momentaryMaxLUFS, "LUFS"))
        print("Max short-term:      " + show(result.shortTermMaxLUFS, "LUFS"))
        print(String(format: "Duration:            %.2f s (%d Hz, %d channel(s))", result.duration, result.sampleRate,
                     result.channelCount))
        if let shortTerm = result.shortTerm {
            print("time_s,short_term_lufs")
            for point in shortTerm { print(String(format: "%.1f,", point.time) + (point.lufs.map { String(format: "%.2f", $0) } ?? "")) }
        }
    }
}

struct NormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Normalise loudness to a target (two passes: measure, then one gain with a true-peak limit)."
    )

    @Argument(help: "Any file FFmpeg reads that has an audio stream.")
    var file: String

    // `.unconditional`: the values are negative ("--target -16"), which would otherwise read as options.
    @Option(parsing: .unconditional, help: "Target integrated loudness in LUFS (EBU R128 broadcast: -23; streaming: -14 to -16).")
    var target: Double = -16

    @Option(parsing: .unconditional, help: "Highest true peak allowed in the output, dBTP (a 2 ms look-ahead limiter turns down the peaks).")
    var truePeak: Double = -1

    @Flag(help: "No limiter: lower the gain instead until the true peak meets the limit (the target may be missed).")
    var noLimiter = false

    @Option(name: .shortAndLong, help: "Output file; the format comes from the extension (.wav .flac .mp3 .m4a .opus).")
    var output: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let bar = ProgressBar()
        let (file, output, target, truePeak, useLimiter) = (self.file, self.output, self.target, self.truePeak, !noLimiter)
        let result = try await recordedTask("audio.normalize",
                                            settings: ["target": .number(target), "true_peak": .number(truePeak)],
                                            inputs: ["audio": file]) {
            (try await runCancellable {
                try await LoudnessNormalizer.normalize(input: file, output: output, targetLUFS: target,
                                                       truePeakLimit: truePeak, useLimiter: useLimiter, progress: bar)
            }, [output])
        }
        bar.finish()
        if json {
            try Terminal.printJSON(result)
            return
        }
        print(String(format: "%@: %.1f LUFS -> %.1f LUFS (gain %+.2f dB), true peak %@", output,
                     result.input.integratedLUFS ?? 0, result.outputIntegratedLUFS, result.gainDB,
                     result.outputTruePeakDBTP.map { String(format: "%.1f dBTP", $0) } ?? "n/a"))
        if result.limitedByTruePeak && noLimiter {
            print(String(format: "note: gain lowered to keep the true peak at %.1f dBTP; target not reached", truePeak))
        } else if result.limitedByTruePeak {
            print(String(format: "limiter: %d frames turned down, by up to %.2f dB", result.limitedFrames, result.limiterReductionDB))
        }
    }
}
