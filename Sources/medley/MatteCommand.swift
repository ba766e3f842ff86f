import ArgumentParser
import Foundation
import MedleyCore
import MedleyGenerate
import MedleyWorkflow

struct MatteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matte",
        abstract: "Cut the people out of an image or a video (MediaPipe selfie segmentation).",
        discussion: """
            Without --background, a picture is written as a PNG with an alpha channel. --background takes a \
            colour (#RRGGBB, #RGB or a name such as green), a picture file (scaled to cover the frame), or blur \
            (the original, blurred). A video needs a background; its masks are smoothed over time and its audio \
            is copied. Wide frames (3:2 and wider) use the landscape model unless --model says otherwise. Every \
            output is labelled as AI-edited (tags in the file and OUT.provenance.json beside it).
            """
    )

    @Argument(help: "An image or a video.")
    var file: String

    @Option(help: ArgumentHelp("What goes behind the person: a colour, a picture file, or blur.",
                               valueName: "color|image|blur"))
    var background: String?

    @Option(help: ArgumentHelp("The model: general (256x256) or landscape (144x256); by default by the frame's shape.",
                               valueName: "general|landscape"))
    var model: String?

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "The output: .png (keeps alpha), .jpg or .webp for a picture, .mp4 or .mkv for a video.", valueName: "out"))
    var output: String

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @OptionGroup var models: TaskModelOptions

    func validate() throws {
        if let model, MattingModel(rawValue: model) == nil {
            throw ValidationError("--model must be general or landscape, got '\(model)'")
        }
    }

    func run() async throws {
        var settings: [String: JSONValue] = [:]
        if let background { settings["background"] = .string(background) }
        try await recordedTask("image.matte", settings: settings, inputs: ["image": file],
                               models: [PersonMatting.modelID], store: models.store) {
            let result = try await perform()
            return ((), [result.files.output, result.files.provenance])
        }
    }

    private func perform() async throws -> MatteResult {
        let backdrop = try background.map { try MatteBackground(parsing: $0) } ?? .transparent
        let matting = try PersonMatting(store: models.store, policy: models.licensePolicy(),
                                        settings: MattingSettings(model: model.flatMap(MattingModel.init(rawValue:))))
        let file = self.file, output = self.output
        let bar = ProgressBar()
        let result = try await runCancellable {
            try await matting.matteFile(file, background: backdrop, output: output, progress: bar)
        }
        bar.finish()
        result.warnings.forEach(Terminal.printWarning)
        if json {
            try Terminal.printJSON(Printed(result))
        } else {
            let frames = result.frames > 0
                ? String(format: ", %d frames, %.1f fps", result.frames, result.framesPerSecond ?? 0) : ""
            print("wrote \(result.files.output) (\(result.width)x\(result.height), \(result.model.rawValue) model"
                + "\(frames)); provenance: \(result.files.provenance)")
        }
        return result
    }

    /// The JSON printed with --json.
    private struct Printed: Encodable {
        var output: String
        var provenance: String
        var width: Int
        var height: Int
        var frames: Int
        var model: String
        var framesPerSecond: Double?
        var warnings: [String]

        init(_ result: MatteResult) {
            output = result.files.output
            provenance = result.files.provenance
            width = result.width
            height = result.height
            frames = result.frames
            model = result.model.rawValue
            framesPerSecond = result.framesPerSecond
            warnings = result.warnings
        }

        enum CodingKeys: String, CodingKey {
            case output, provenance, width, height, frames, model, warnings
            case framesPerSecond = "frames_per_second"
        }
    }
}
