import Foundation
import MedleyCore
import MedleyMedia
import MedleySpeech
import MedleyVideo
import MedleyVision

/// Assembles an ``AnalysisReport`` from the results of the analyze stages. Each stage's result is optional: a
/// stage that did not run leaves its part empty and names the reason in `skipped`.
struct AnalysisReportBuilder: Sendable {
    /// The loudness figures the report shows (keys as `medley loudness --json` writes them).
    struct LoudnessSummary: Decodable {
        var integratedLUFS: Double?
        var loudnessRangeLU: Double?
        var truePeakDBTP: Double?
        var samplePeakDBFS: Double?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case integratedLUFS = "integrated_lufs", loudnessRangeLU = "lra_lu", truePeakDBTP = "true_peak_dbtp"
            case samplePeakDBFS = "sample_peak_dbfs", reason
        }
    }

    /// Tempo, beats and onsets (keys as `medley beats --json` writes them).
    struct BeatSummary: Decodable {
        var tempoBPM: Double
        var beats: [Double]
        var onsets: [Double]

        enum CodingKeys: String, CodingKey { case tempoBPM = "tempo_bpm", beats, onsets }
    }

    /// How much of the video could not be decoded cleanly (from `video.scenes`).
    struct SceneDamage: Decodable {
        var damagedFrames: Int
        var decodeErrors: Int

        enum CodingKeys: String, CodingKey { case damagedFrames = "damaged_frames", decodeErrors = "decode_errors" }
    }

    /// One keyframe row of `video.keyframes`.
    struct KeyframeRow: Decodable {
        var scene: Int
        var time: Double
    }

    /// Audio counts as music-like when speech fills less than this share of it...
    static let musicMaxSpeechShare = 0.3
    /// ...and it has a steady beat: at least this many beats...
    static let musicMinBeats = 8
    /// ...covering at least this share of the duration (beats every 60/tempo seconds over most of the input).
    static let musicMinBeatCoverage = 0.5

    var input: String
    var probe: MediaInfo
    var sha256: String?
    var vad: VADResult?
    var transcript: Transcript?
    var loudness: LoudnessSummary?
    var beats: BeatSummary?
    var scenes: SceneList?
    var sceneDamage: SceneDamage?
    var keyframes: [KeyframeRow]?
    var text: [OCRResult]?
    var faces: [FaceDetectionResult]?
    var safety: [Double]?
    /// Why stages were left out before the run (no audio stream, no video stream).
    var skipped: [AnalysisReport.SkippedStage] = []

    /// A builder for the file at `input`, as probed.
    init(input: String, probe: MediaInfo, sha256: String?) {
        self.input = input
        self.probe = probe
        self.sha256 = sha256
    }

    /// The report. Speech is left out (and said to be skipped) when voice activity found no speech, so a silent
    /// video never shows a transcript made of noise.
    func build() -> AnalysisReport {
        let size = ((try? FileManager.default.attributesOfItem(atPath: input))?[.size] as? NSNumber)?.int64Value
        var report = AnalysisReport(
            input: AnalysisReport.Input(probe: probe, sourcePath: URL(fileURLWithPath: input).standardizedFileURL.path,
                                        sha256: sha256, size: size),
            skipped: skipped)
        let duration = probe.duration ?? vad?.duration ?? 0
        if let vad {
            if vad.segments.isEmpty {
                report.skipped.append(AnalysisReport.SkippedStage(
                    stage: ReportStage.speech, reason: "no speech was found in the audio (voice activity detection)"))
            } else if let transcript {
                report.speech = AnalysisReport.Speech(
                    language: transcript.language, languageProbability: transcript.languageProbability,
                    speechSegments: vad.segments.map { AnalysisReport.TimeSpan(start: $0.start, end: $0.end) },
                    text: transcript.text,
                    segments: transcript.segments.map {
                        AnalysisReport.TranscriptSegment(id: $0.id, start: $0.start, end: $0.end, text: $0.text,
                                                         avgLogprob: $0.avgLogprob, noSpeechProb: $0.noSpeechProb)
                    })
            }
        }
        if let loudness {
            var music: AnalysisReport.Music?
            if let beats {
                let speechShare = duration > 0 ? (vad?.speechDuration ?? 0) / duration : 1
                let coverage = beats.tempoBPM > 0 && duration > 0 ? Double(beats.beats.count) * 60 / beats.tempoBPM / duration : 0
                let musicLike = speechShare < Self.musicMaxSpeechShare && beats.beats.count >= Self.musicMinBeats
                    && coverage >= Self.musicMinBeatCoverage
                music = AnalysisReport.Music(musicLike: musicLike, tempoBPM: musicLike ? beats.tempoBPM : nil)
            }
            report.audio = AnalysisReport.AudioAnalysis(
                loudness: AnalysisReport.Loudness(integratedLUFS: loudness.integratedLUFS,
                                                  loudnessRangeLU: loudness.loudnessRangeLU,
                                                  truePeakDBTP: loudness.truePeakDBTP, samplePeakDBFS: loudness.samplePeakDBFS),
                music: music)
            if loudness.integratedLUFS == nil, let reason = loudness.reason {
                report.warnings.append("integrated loudness is undefined: \(reason)")
            }
        }
        if let scenes {
            var byScene: [Int: Int] = [:] // scene index -> position in the keyframe lists
            for (position, row) in (keyframes ?? []).enumerated() { byScene[row.scene] = position }
            report.scenes = scenes.scenes.enumerated().map { index, scene in
                var entry = AnalysisReport.Scene(index: index, start: scene.start, end: scene.end,
                                                 startFrame: scene.startFrame, endFrame: scene.endFrame)
                if let position = byScene[index], let row = keyframes?[position] {
                    entry.keyframe = AnalysisReport.Keyframe(time: row.time, file: ReportLayout.keyframe(scene: index))
                    if let text, position < text.count {
                        entry.text = text[position].lines.map { AnalysisReport.SceneText(text: $0.text, confidence: $0.confidence) }
                    }
                    if let faces, position < faces.count { entry.faces = faces[position].faces.map(AnalysisReport.SceneFace.init) }
                    if let safety, position < safety.count { entry.safetyScore = safety[position] }
                }
                return entry
            }
            if keyframes?.isEmpty == false { report.contactSheet = ReportLayout.contactSheet }
            if let damage = sceneDamage, damage.damagedFrames > 0 || damage.decodeErrors > 0 {
                report.warnings.append("\(damage.damagedFrames) damaged frame(s) were left out of the scene analysis "
                    + "(\(damage.decodeErrors) packet(s) could not be decoded); the file may be partly corrupt")
            }
        }
        return report
    }
}
