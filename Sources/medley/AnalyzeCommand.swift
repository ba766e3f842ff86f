import ArgumentParser
import Foundation
import MedleyCore
import MedleyTasks
import MedleyVideo
import MedleyWorkflow

/// `medley analyze`: the main job. One command that turns a video (or audio file) into a report folder.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse a video or audio file into a self-contained report folder (index.html, report.json, subtitles, keyframes).",
        discussion: """
            Runs the shipped `analyze` workflow: voice activity, transcript with language, subtitles (SRT, WebVTT), \
            loudness and tempo; scenes, keyframes, on-screen text, faces and a content-safety score per keyframe; \
            and a report with the models, their licenses and checksums. Audio-only inputs skip the vision stages, \
            inputs without audio the speech stages; the report says so. The run is cached and recorded: a second \
            run on the same file takes seconds. An earlier report in DIR is replaced atomically.
            """
    )

    @Argument(help: "A video or audio file.")
    var file: String

    @Option(name: .customShort("o"), help: ArgumentHelp("The report folder (created, or an earlier report replaced).", valueName: "dir"))
    var output: String

    @Option(help: "Whisper model id for the transcript.")
    var model: String = "whisper-tiny.en"

    @Option(help: "Spoken language code (en, de...); default: detected by multilingual models.")
    var language: String?

    @Flag(help: "Print report.json on stdout.")
    var json = false

    @OptionGroup var engineOptions: EngineOptions

    func run() async throws {
        let engine = try engineOptions.engine()
        let job = AnalyzeJob(transcriptionModel: model, language: language)
        let bar = ProgressBar()
        let (file, output, options) = (self.file, self.output, engineOptions.executionOptions)
        let outcome = try await runCancellable {
            try await job.run(input: file, output: output, engine: engine, options: options,
                              command: CommandLine.arguments, progress: bar)
        }
        bar.finish()
        if json {
            try Terminal.printJSON(outcome.report)
            return
        }
        let report = outcome.report
        let cached = outcome.run.nodes.filter { $0.invocations > 0 && $0.cacheHits == $0.invocations }.count
        print(String(format: "%@: analysed in %.1f s (%d of %d stages from the cache), run %@", file,
                     outcome.run.seconds, cached, outcome.run.nodes.count, outcome.run.id))
        if let speech = report.speech {
            print(String(format: "  speech: %.1f s in %d segment(s), language %@; %d transcript segment(s)",
                         speech.speechDuration, speech.speechSegments.count, speech.language ?? "?", speech.segments.count))
        }
        if let loudness = report.audio?.loudness {
            let integrated = loudness.integratedLUFS.map { String(format: "%.1f LUFS", $0) } ?? "n/a"
            let tempo = report.audio?.music?.tempoBPM.map { String(format: ", music at %.0f BPM", $0) } ?? ""
            print("  audio: \(integrated)\(tempo)")
        }
        if !report.scenes.isEmpty {
            let texts = report.scenes.reduce(0) { $0 + $1.text.count }, faces = report.scenes.reduce(0) { $0 + $1.faces.count }
            print("  video: \(report.scenes.count) scene(s), \(texts) line(s) of on-screen text, \(faces) face(s)")
        }
        for skip in report.skipped { print("  skipped \(skip.stage): \(skip.reason)") }
        for warning in report.warnings { print("  note: \(warning)") }
        print(URL(fileURLWithPath: output).appendingPathComponent(ReportLayout.indexHTML).standardizedFileURL.path)
    }
}
