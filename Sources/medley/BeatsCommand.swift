import ArgumentParser
import Foundation
import MedleyAudio
import MedleyDSP

struct BeatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beats",
        abstract: "Tempo, beats and onsets (librosa-compatible onset strength, tempo and Ellis DP beat tracking)."
    )

    @Argument(help: "Any file FFmpeg reads that has an audio stream.")
    var file: String

    @Flag(help: "Print JSON: {\"tempo_bpm\": 117.45, \"beats\": [0.5, 1.0, ...], \"onsets\": [...]}.")
    var json = false

    @Flag(help: "Reproduce librosa's beat_track exactly (its tempo grid and octave choice).")
    var librosa = false

    func run() async throws {
        let bar = ProgressBar()
        let (file, librosa) = (self.file, self.librosa)
        let result = try await recordedTask("audio.beats", inputs: ["audio": file]) {
            (try await runCancellable { try await BeatTracker.analyze(path: file, librosaCompatible: librosa, progress: bar) }, [])
        }
        bar.finish()
        if json {
            try Terminal.printJSON(result)
            return
        }
        print(String(format: "Tempo: %.2f BPM, %d beats, %d onsets in %.1f s", result.tempoBPM, result.beats.count,
                     result.onsets.count, result.duration))
        print("Beats: " + result.beats.map { String(format: "%.3f", $0) }.joined(separator: " "))
    }
}
