import ArgumentParser
import Foundation
import MedleyCore
import MedleyGenerate
import MedleyWorkflow

struct StylizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stylize",
        abstract: "Repaint an image or a video in the style of a picture or of a built-in preset.",
        discussion: """
            --style uses Magenta's arbitrary-style networks (any picture as the style); --preset N uses the \
            26-style network (N = 0...25). --strength blends: with --style, between the content's own style \
            vector (0) and the style picture's (1); with --preset, between the original (0) and the stylised \
            picture (1). Pictures keep their size (large ones are run in overlapping tiles); videos are stylised \
            frame by frame with their audio copied. Every output is labelled as AI-edited (tags in the file and \
            OUT.provenance.json beside it).
            """
    )

    @Argument(help: "An image or a video.")
    var file: String

    @Option(help: ArgumentHelp("A picture whose style to paint with.", valueName: "style.png"))
    var style: String?

    @Option(help: ArgumentHelp("A built-in style, 0 to 25.", valueName: "n"))
    var preset: Int?

    @Option(help: "How strongly to apply the style, 0 to 1.")
    var strength: Double = 1

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "The output: .png, .jpg or .webp for a picture, .mp4 or .mkv for a video.", valueName: "out"))
    var output: String

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @OptionGroup var models: TaskModelOptions

    func validate() throws {
        guard (style == nil) != (preset == nil) else {
            throw ValidationError("give exactly one of --style PICTURE or --preset N")
        }
        if let preset, !(0..<StyleTransfer.presetCount).contains(preset) {
            throw ValidationError("--preset must be 0 to \(StyleTransfer.presetCount - 1), got \(preset)")
        }
        guard strength >= 0, strength <= 1 else { throw ValidationError("--strength must be in [0, 1]") }
    }

    func run() async throws {
        let choice: StyleChoice = style.map { .image(path: $0) } ?? .preset(preset ?? 0)
        let modelID = choice.network == .arbitrary ? StyleTransfer.arbitraryModelID : StyleTransfer.presetModelID
        var inputs = ["content": file]
        if let style { inputs["style"] = style }
        var settings: [String: JSONValue] = ["strength": .number(strength)]
        if let preset { settings["preset"] = .number(Double(preset)) }
        try await recordedTask("image.stylize", settings: settings, inputs: inputs, models: [modelID],
                               store: models.store) {
            let result = try await perform(choice)
            return ((), [result.files.output, result.files.provenance])
        }
    }

    private func perform(_ choice: StyleChoice) async throws -> StylizeResult {
        let transfer = try StyleTransfer(store: models.store, network: choice.network, policy: models.licensePolicy())
        let file = self.file, strength = self.strength, output = self.output
        let bar = ProgressBar()
        let result = try await runCancellable {
            try await transfer.stylizeFile(file, style: choice, strength: strength, output: output, progress: bar)
        }
        bar.finish()
        result.warnings.forEach(Terminal.printWarning)
        if json {
            try Terminal.printJSON(Printed(result))
        } else {
            let frames = result.frames > 0 ? ", \(result.frames) frames" : ""
            let tiles = result.tiles > 1 ? ", \(result.tiles) tiles" : ""
            print("wrote \(result.files.output) (\(result.width)x\(result.height)\(frames)\(tiles)); "
                + "provenance: \(result.files.provenance)")
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
        var tiles: Int
        var warnings: [String]

        init(_ result: StylizeResult) {
            output = result.files.output
            provenance = result.files.provenance
            width = result.width
            height = result.height
            frames = result.frames
            tiles = result.tiles
            warnings = result.warnings
        }
    }
}
