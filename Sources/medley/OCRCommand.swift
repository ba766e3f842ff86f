import ArgumentParser
import Foundation
import MedleyWorkflow
import MedleyCore
import MedleyMedia
import MedleyVision

struct OCRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "Read the text in an image or a video (PP-OCRv4).",
        discussion: """
            Prints the lines of text in reading order (top to bottom, lines on one row left to right). With --json: \
            {"lines": [{"text": "Hello", "confidence": 0.98, "box": [[x, y], [x, y], [x, y], [x, y]]}], \
            "width": 1280, "height": 720}; for a video, one entry per sampled frame plus the texts merged over time.
            """
    )

    @Argument(help: "An image (PNG, JPEG, WebP...) or a video.")
    var file: String

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Write a copy of the image with the text boxes drawn (images only).", valueName: "out.png"))
    var annotate: String?

    @Option(help: "Video frames to read per second of video.")
    var fps: Double = 1

    @OptionGroup var models: TaskModelOptions

    func validate() throws {
        guard fps > 0, fps.isFinite else { throw ValidationError("--fps must be a positive number") }
    }

    func run() async throws {
        try await recordedTask("vision.ocr", settings: ["fps": .number(fps)], inputs: ["image": file], models: ["ppocr-v4-det", "ppocr-v4-rec", "ppocr-mobile-v2-cls"], store: models.store) {
            try await perform()
            return ((), annotate.map { [$0] } ?? [])
        }
    }

    private func perform() async throws {
        let engine = try OCREngine(store: models.store, policy: models.licensePolicy())
        let file = self.file, fps = self.fps
        if try ImageLoader.isStillImage(path: file) {
            let loaded = try ImageLoader.load(path: file)
            loaded.warnings.forEach(Terminal.printWarning)
            let result = try engine.read(loaded)
            if let annotate {
                try ImageIO.write(Annotator.draw(result, on: loaded.image), path: annotate)
            }
            if json {
                try Terminal.printJSON(result)
            } else {
                result.lines.forEach { print($0.text) }
            }
            return
        }
        guard annotate == nil else {
            throw MedleyError.invalidArgument("--annotate works on images; \(file) is a video")
        }
        let bar = ProgressBar()
        let result = try await runCancellable { try engine.read(videoPath: file, framesPerSecond: fps, progress: bar) }
        bar.finish()
        if json {
            try Terminal.printJSON(result)
            return
        }
        for span in result.texts {
            print(String(format: "%8.3f  %8.3f  ", span.start, span.end) + span.text)
        }
    }
}
