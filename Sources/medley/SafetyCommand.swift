import ArgumentParser
import Foundation
import MedleyWorkflow
import MedleyCore
import MedleyVision

struct SafetyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "safety",
        abstract: "Score how likely an image or video frames are pornographic (Yahoo open_nsfw).",
        discussion: """
            The score is in [0, 1]: below 0.2 safe, above 0.8 NSFW, in between uncertain. It covers pornography \
            only and has known biases (see `medley models show open-nsfw`); treat it as a pre-filter for human \
            review. With --json: {"score": 0.03, "verdict": "safe"}; for a video, one score per sampled frame.
            """
    )

    @Argument(help: "An image or a video.")
    var file: String

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @Option(help: "Video frames to score per second of video.")
    var fps: Double = 1

    @OptionGroup var models: TaskModelOptions

    func validate() throws {
        guard fps > 0, fps.isFinite else { throw ValidationError("--fps must be a positive number") }
    }

    func run() async throws {
        try await recordedTask("vision.safety", settings: ["fps": .number(fps)], inputs: ["image": file], models: ["open-nsfw"], store: models.store) {
            try await perform()
            return ((), [])
        }
    }

    private func perform() async throws {
        let classifier = try SafetyClassifier(store: models.store, policy: models.licensePolicy())
        let file = self.file, fps = self.fps
        if try ImageLoader.isStillImage(path: file) {
            let (result, warnings) = try classifier.classify(path: file)
            warnings.forEach(Terminal.printWarning)
            if json {
                try Terminal.printJSON(result)
            } else {
                print(String(format: "%.4f  %@", result.score, result.verdict.rawValue))
            }
            return
        }
        let bar = ProgressBar()
        let result = try await runCancellable { try classifier.classify(videoPath: file, framesPerSecond: fps, progress: bar) }
        bar.finish()
        if json {
            try Terminal.printJSON(result)
            return
        }
        for frame in result.frames {
            print(String(format: "%8.3f  %.4f", frame.time, frame.score))
        }
        print(String(format: "max %.4f  %@", result.maxScore, result.verdict.rawValue))
    }
}
