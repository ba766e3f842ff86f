import MedleyCore
import MedleyDSP
import MedleyMedia

extension BeatTracker {
    /// Tempo, beats and onsets of a file, decoded to mono and resampled with soxr HQ to 22,050 Hz (as
    /// librosa.load) before analysis. See ``BeatTracker/init(sampleRate:librosaCompatible:)`` for the mode.
    public static func analyze(path: String, librosaCompatible: Bool = false,
                               progress: any ProgressReporter = SilentProgress()) async throws -> BeatResult {
        let tracker = try BeatTracker(sampleRate: 22_050, librosaCompatible: librosaCompatible)
        try AudioAnalysis.decodeMono(path: path, sampleRate: tracker.sampleRate, stage: "beats", progress: progress) {
            try tracker.process($0)
        }
        return try tracker.finish()
    }
}
