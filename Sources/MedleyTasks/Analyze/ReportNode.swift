import Foundation
import MedleyCore
import MedleyMedia
import MedleySpeech
import MedleyVideo
import MedleyVision
import MedleyWorkflow

/// `video.report`: the analysis report from the analyze stages' results (report.json's content; the job adds
/// stage timings, models and the run id, then ``ReportWriter`` writes the folder).
struct ReportNode: NodeType {
    let name = "video.report"
    let version = 1
    let summary = "Assemble the analysis report (report.json) from the results of the analyze stages."
    let inputs = [
        InputSpec("input", .file, help: "The analysed file."),
        InputSpec("probe", .table, help: "Its media.probe result."),
        InputSpec("vad", .segments, optional: true, help: "Speech found by speech.vad."),
        InputSpec("transcript", .transcript, optional: true, help: "The transcript."),
        InputSpec("loudness", .table, optional: true, help: "audio.loudness result."),
        InputSpec("beats", .table, optional: true, help: "audio.beats result."),
        InputSpec("scenes", .table, optional: true, help: "video.scenes result."),
        InputSpec("keyframes", .table, optional: true, help: "video.keyframes' keyframe table."),
        InputSpec("text", .list(.detections), optional: true, help: "OCR of each keyframe."),
        InputSpec("faces", .list(.detections), optional: true, help: "Faces of each keyframe."),
        InputSpec("safety", .list(.number), optional: true, help: "Safety score of each keyframe."),
        InputSpec("skipped", .table, default: .array([]), help: "[{\"stage\", \"reason\"}] left out before the run."),
    ]
    let outputs = [OutputSpec("report", .table, help: "The report (docs/report.md).")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        var builder = AnalysisReportBuilder(input: try inputs.path("input"),
                                            probe: try inputs.decode("probe", as: MediaInfo.self), sha256: nil)
        func optional<T: Decodable>(_ name: String, _ type: T.Type) throws -> T? {
            inputs.values[name] == nil ? nil : try inputs.decode(name, as: type)
        }
        func list<T: Decodable>(_ name: String, _ type: T.Type) throws -> [T]? {
            guard inputs.values[name] != nil else { return nil }
            return try inputs.list(name).map { value in
                guard case .json(let json) = value else { throw MedleyError.invalidArgument("node '\(inputs.nodeID)': '\(name)' holds a non-structured value") }
                return try json.decode(as: type)
            }
        }
        builder.vad = try optional("vad", VADResult.self)
        builder.transcript = try optional("transcript", Transcript.self)
        builder.loudness = try optional("loudness", AnalysisReportBuilder.LoudnessSummary.self)
        builder.beats = try optional("beats", AnalysisReportBuilder.BeatSummary.self)
        builder.scenes = try optional("scenes", SceneList.self)
        builder.sceneDamage = try optional("scenes", AnalysisReportBuilder.SceneDamage.self)
        builder.keyframes = try optional("keyframes", [AnalysisReportBuilder.KeyframeRow].self)
        builder.text = try list("text", OCRResult.self)
        builder.faces = try list("faces", FaceDetectionResult.self)
        if inputs.values["safety"] != nil {
            builder.safety = try inputs.list("safety").map { value in
                guard case .number(let score) = value else { throw MedleyError.invalidArgument("node '\(inputs.nodeID)': safety scores must be numbers") }
                return score
            }
        }
        builder.skipped = try inputs.decode("skipped", as: [AnalysisReport.SkippedStage].self)
        return ["report": try .encoding(builder.build())]
    }
}
