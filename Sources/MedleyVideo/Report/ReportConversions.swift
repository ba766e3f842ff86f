import MedleyMedia
import MedleyVision

// Report values from the results of the modules MedleyVideo already depends on. Speech (MedleySpeech) and
// loudness (MedleyDSP) results are mapped by the analyze workflow, which sees those modules: their report types
// have the same fields under the same JSON names.

extension AnalysisReport.Input {
    /// The input as ``MedleyMedia/MediaProbe`` describes it: its first video and first audio stream.
    public init(probe info: MediaInfo, sourcePath: String, sha256: String? = nil, size: Int64? = nil) {
        var video: AnalysisReport.VideoStream?
        if let stream = info.firstStream(ofType: "video") {
            video = AnalysisReport.VideoStream(width: stream.width ?? 0, height: stream.height ?? 0, fps: stream.fps,
                                               codec: stream.codec, rotation: stream.rotation ?? 0)
        }
        var audio: AnalysisReport.AudioStream?
        if let stream = info.firstStream(ofType: "audio") {
            audio = AnalysisReport.AudioStream(sampleRate: stream.sampleRate ?? 0, channels: stream.channels ?? 0,
                                               codec: stream.codec)
        }
        self.init(sourcePath: sourcePath, sha256: sha256, size: size, duration: info.duration, format: info.format,
                  video: video, audio: audio)
    }
}

extension AnalysisReport.SceneText {
    /// A text that stayed on screen, with the best confidence it was read with.
    public init(_ span: TextSpan) {
        self.init(text: span.text, confidence: span.confidence)
    }
}

extension AnalysisReport.SceneFace {
    /// A detected face's box and score (its keypoints are left out of the report).
    public init(_ face: Face) {
        self.init(box: face.box, score: face.score)
    }
}
