import MedleyCore
import MedleyDSP
import MedleyMedia

extension PitchTracker {
    /// The pitch track of a file, decoded to mono and resampled with soxr HQ to the settings' rate (22,050 Hz by
    /// default, as librosa.load).
    public static func analyze(path: String, settings: PitchSettings = PitchSettings(),
                               progress: any ProgressReporter = SilentProgress()) async throws -> PitchTrack {
        let tracker = try PitchTracker(settings: settings)
        try AudioAnalysis.decodeMono(path: path, sampleRate: settings.sampleRate, stage: "pitch", progress: progress) {
            try tracker.process($0)
        }
        return try tracker.finish()
    }
}
