import ArgumentParser
import Foundation
import MedleyWorkflow
import MedleyCore
import MedleyMedia
import MedleyVideo

struct ScenesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenes",
        abstract: "Find the scenes (shot cuts) of a video, like PySceneDetect.",
        discussion: """
            Prints one line per scene: number, start and end time, start and end frame (end exclusive). \
            With --json: {"fps": 25.0, "scenes": [{"start": 0.0, "end": 6.0, "start_frame": 0, "end_frame": 150}], \
            "cuts": [6.0]}; with --csv: scene,start,end,start_frame,end_frame. Detectors: content (hard cuts, \
            default threshold 27), adaptive (hard cuts under camera motion, ratio 3.0), threshold (fades to and \
            from black, mean intensity 12).
            """
    )

    @Argument(help: "A video file.")
    var file: String

    @Option(help: "content, adaptive or threshold.")
    var detector: SceneDetectionOptions.Detector = .content

    @Option(help: "The detector's threshold (default: 27 content, 3.0 adaptive, 12 threshold).")
    var threshold: Double?

    @Option(name: .customLong("min-scene-len"), help: "The shortest scene in frames.")
    var minSceneLength: Int = SceneDetectionOptions.defaultMinimumSceneLength

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @Flag(help: "Print CSV on stdout.")
    var csv = false

    @Option(help: ArgumentHelp("Save one JPEG thumbnail per scene (its sharpest frame) into this folder.",
                               valueName: "dir"))
    var keyframes: String?

    @Option(name: .customLong("contact-sheet"),
            help: ArgumentHelp("Write a contact sheet of the scenes' keyframes (JPEG or PNG).", valueName: "out.jpg"))
    var contactSheet: String?

    @Option(help: "Decoder threads (0: one per core).")
    var threads: Int = 0

    @Flag(help: ArgumentHelp("Decode every frame exactly, as PySceneDetect's OpenCV does: its scores and cuts. "
                             + "Slower: by default the decoder skips its deblocking filter (scores move by hundredths) "
                             + "and, for the content detector, frames no cut can be in."))
    var exactDecode = false

    func validate() throws {
        guard threads >= 0 else { throw ValidationError("--threads must be 0 or more") }
        guard !(json && csv) else { throw ValidationError("give at most one of --json and --csv") }
        if let threshold, !(threshold.isFinite && threshold >= 0) {
            throw ValidationError("--threshold must be zero or a positive number")
        }
        guard minSceneLength >= 1 else { throw ValidationError("--min-scene-len must be at least 1") }
    }

    func run() async throws {
        let options = SceneDetectionOptions(
            detector: detector, threshold: threshold, minimumSceneLength: minSceneLength, threadCount: threads,
            skipLoopFilter: exactDecode ? .none : SceneDetectionOptions.defaultSkipLoopFilter,
            referenceFrameScan: !exactDecode)
        let file = self.file
        let bar = ProgressBar()
        var settings: [String: JSONValue] = ["detector": .string(detector.rawValue), "min_scene_len": .number(Double(minSceneLength))]
        if let threshold { settings["threshold"] = .number(threshold) }
        if exactDecode { settings["exact_decode"] = .bool(true) }
        let scenes = try await recordedTask("video.scenes", settings: settings, inputs: ["video": file]) {
            (try await runCancellable { try await SceneDetector(options: options).detect(path: file, progress: bar) }, [])
        }
        bar.finish()
        if scenes.decodeErrors > 0 || scenes.damagedFrames > 0 {
            Terminal.printWarning("\(file): damaged data: \(scenes.decodeErrors) packet(s) could not be decoded, "
                + "\(scenes.damagedFrames) damaged frame(s) were left out of the analysis")
        }
        if keyframes != nil || contactSheet != nil {
            let keyframeBar = ProgressBar()
            let extracted = try await runCancellable {
                try await KeyframeExtractor().extract(path: file, scenes: scenes, progress: keyframeBar)
            }
            keyframeBar.finish()
            if let keyframes {
                try KeyframeThumbnails.save(extracted, directory: keyframes)
            }
            if let contactSheet {
                try ImageIO.write(try ContactSheet.render(extracted, sceneStarts: scenes.scenes.map(\.start)), path: contactSheet)
            }
        }
        if json {
            try Terminal.printJSON(scenes)
        } else if csv {
            print("scene,start,end,start_frame,end_frame")
            for (number, scene) in scenes.scenes.enumerated() {
                print("\(number + 1),\(scene.start),\(scene.end),\(scene.startFrame),\(scene.endFrame)")
            }
        } else {
            let cutWord = scenes.cuts.count == 1 ? "cut" : "cuts"
            print("\(scenes.scenes.count) scene(s), \(scenes.cuts.count) \(cutWord), \(String(format: "%.3f", scenes.fps)) fps")
            for (number, scene) in scenes.scenes.enumerated() {
                let frames = String(format: "frames %6d - %6d", scene.startFrame, scene.endFrame)
                print(String(format: "%4d  ", number + 1) + "\(Self.clock(scene.start)) - \(Self.clock(scene.end))  " + frames)
            }
        }
    }

    /// `h:mm:ss.sss`.
    static func clock(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded())
        return String(format: "%d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000)
    }
}

extension SceneDetectionOptions.Detector: ExpressibleByArgument {}
