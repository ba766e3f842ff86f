import Foundation
import MedleyCore
import MedleyGenerate
import MedleyMedia
import MedleyWorkflow

/// A generation seed from a node's number input: a whole number in the range a JSON number holds exactly
/// (±2^53); negative seeds are two's-complement 64-bit values, as on the command line.
func generationSeed(_ inputs: NodeInputs, _ name: String = "seed") throws -> GenerationSeed {
    let value = try inputs.number(name)
    guard value == value.rounded(), abs(value) <= 9_007_199_254_740_992 else {
        throw MedleyError.invalidArgument(
            "node '\(inputs.nodeID)': \(name) must be a whole number within ±2^53 (a JSON number), not \(value)")
    }
    return value < 0 ? GenerationSeed(signed: Int64(value)) : GenerationSeed(UInt64(value))
}

/// The two file outputs every generator node has: the labelled picture or video and its record.
func generatedOutputs(_ files: GeneratedFiles, name: String, kind: String) -> [String: WorkflowValue] {
    let recordName = (name as NSString).deletingPathExtension + ".provenance.json"
    return [
        kind: .file(FileValue(path: files.output, name: name)),
        "provenance": .file(FileValue(path: files.provenance, name: recordName)),
    ]
}

/// `generate.face`: a face of no real person, from MobileStyleGAN.
struct GenerateFaceNode: NodeType {
    let name = "generate.face"
    let version = 1
    let summary = "Generate the face of a person who does not exist (MobileStyleGAN, FFHQ); labelled AI-generated."
    let inputs = [
        InputSpec("seed", .number, default: 0, help: "Seed of the noise: the same seed gives the same face."),
        InputSpec("truncation", .number, default: .number(FaceGenerator.defaultTruncation), constraint: .range(0, 1),
                  help: "psi: 0 gives the average face, 1 the most varied."),
        InputSpec("size", .string, default: "1024", constraint: .oneOf(["256", "512", "1024"]), help: "Side in pixels."),
        InputSpec("filename", .string, default: "face.png", help: "Output name (.png, .jpg or .webp)."),
    ]
    let outputs = [
        OutputSpec("image", .image, help: "The face, with its provenance label inside."),
        OutputSpec("provenance", .file, help: "The provenance record (model, checksum, seed, settings)."),
    ]

    func models(for inputs: NodeInputs) -> [String] { [FaceGenerator.modelID] }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let name = try fileName(inputs, "filename")
        let generator = try FaceGenerator(store: context.models, policy: context.policy)
        let files = try generator.writeFace(seed: try generationSeed(inputs), truncation: try inputs.number("truncation"),
                                            size: Int(try inputs.string("size")) ?? FaceGenerator.nativeSize,
                                            to: context.outputPath(name))
        return generatedOutputs(files, name: name, kind: "image")
    }
}

/// `image.stylize`: a picture repainted in the style of another picture or of a built-in preset.
struct StylizeNode: NodeType {
    let name = "image.stylize"
    let version = 1
    let summary = "Repaint a picture in the style of another picture (Magenta arbitrary style) or of a preset 0-25."
    let inputs = [
        InputSpec("image", .image, help: "The content picture."),
        InputSpec("style", .image, optional: true, help: "A style picture (give this or preset)."),
        InputSpec("preset", .number, optional: true, constraint: .range(0, 25), help: "A built-in style, 0-25."),
        InputSpec("strength", .number, default: 1, constraint: .range(0, 1),
                  help: "1 full style; lower keeps more of the content's own look."),
        InputSpec("filename", .string, default: "stylized.png", help: "Output name (.png, .jpg or .webp)."),
    ]
    let outputs = [
        OutputSpec("image", .image, help: "The stylised picture, labelled AI-edited."),
        OutputSpec("provenance", .file, help: "The provenance record (models, content and style checksums)."),
    ]

    func models(for inputs: NodeInputs) -> [String] {
        [inputs.values["style"] != nil ? StyleTransfer.arbitraryModelID : StyleTransfer.presetModelID]
    }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let style: StyleChoice
        switch (inputs.values["style"] != nil, try inputs.optionalNumber("preset")) {
        case (true, nil): style = .image(path: try inputs.path("style"))
        case (false, let preset?):
            guard preset == preset.rounded() else {
                throw MedleyError.invalidArgument("node '\(inputs.nodeID)': preset must be a whole number 0-25")
            }
            style = .preset(Int(preset))
        default:
            throw MedleyError.invalidArgument("node '\(inputs.nodeID)': give exactly one of 'style' and 'preset'")
        }
        let name = try fileName(inputs, "filename")
        let transfer = try StyleTransfer(store: context.models, network: style.network, policy: context.policy)
        let result = try await transfer.stylizeFile(try inputs.path("image"), style: style,
                                                    strength: try inputs.number("strength"),
                                                    output: context.outputPath(name), progress: context.progress)
        return generatedOutputs(result.files, name: name, kind: "image")
    }
}

/// `generate.terrain`: a heightmap from the terrain consistency model, sampled by Medley's diffusion engine.
struct GenerateTerrainNode: NodeType {
    let name = "generate.terrain"
    let version = 1
    let summary = "Generate a terrain heightmap (16-bit PNG, 0-22.17 m) and its shaded relief with a consistency model."
    let inputs = [
        InputSpec("seed", .number, default: 0, help: "Seed of the noise: the same seed gives the same terrain."),
        InputSpec("difficulty", .number, default: .number(Double(TerrainSettings.defaultDifficulty)),
                  constraint: .range(1, 100), help: "1 gentle ... 100 rough."),
        InputSpec("steps", .number, default: 1, constraint: .range(1, 1000),
                  help: "Model evaluations (1: the model's one-step sampling)."),
        InputSpec("filename", .string, default: "terrain.png", help: "Output name (.png)."),
    ]
    let outputs = [
        OutputSpec("heightmap", .image, help: "The 16-bit heightmap: 0 is 0 m, 65535 is 22.1686 m."),
        OutputSpec("preview", .image, help: "The shaded relief."),
        OutputSpec("provenance", .file, help: "The provenance record."),
    ]

    func models(for inputs: NodeInputs) -> [String] { [TerrainGenerator.modelID] }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let name = try fileName(inputs, "filename")
        var settings = TerrainSettings()
        settings.difficulty = try inputs.integer("difficulty")
        settings.steps = try inputs.integer("steps")
        let generator = try TerrainGenerator(store: context.models, policy: context.policy)
        let (_, files) = try generator.writeTerrain(seed: try generationSeed(inputs), settings: settings,
                                                    to: context.outputPath(name), progress: context.progress)
        var outputs = generatedOutputs(files.heightmap, name: name, kind: "heightmap")
        if let preview = files.preview {
            outputs["preview"] = .file(FileValue(path: preview.output, name: (preview.output as NSString).lastPathComponent))
        }
        return outputs
    }
}

/// `video.captioned_still`: a picture held for the length of a soundtrack, with a caption bar: an avatar card.
struct CaptionedStillNode: NodeType {
    let name = "video.captioned_still"
    let version = 1
    let summary = "Hold a picture for the length of an audio track with a caption under it, as an H.264 MP4."
    let inputs = [
        InputSpec("image", .image, help: "The picture."),
        InputSpec("audio", .audio, help: "The soundtrack (speech); its length sets the video's."),
        InputSpec("caption", .text, optional: true, help: "Text shown under the picture."),
        InputSpec("filename", .string, default: "card.mp4", help: "Output name (.mp4 or .mkv)."),
    ]
    let outputs = [
        OutputSpec("video", .video, help: "The video, labelled with the models its picture and voice name."),
        OutputSpec("provenance", .file, help: "The provenance record."),
    ]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let name = try fileName(inputs, "filename")
        let image = try inputs.file("image"), audio = try inputs.file("audio")
        let files = try CaptionedStill.write(image: try ImageIO.read(path: image.path), imagePath: image.path,
                                             imageTitle: image.name, audioPath: audio.path, audioTitle: audio.name,
                                             caption: try inputs.optionalString("caption"),
                                             to: context.outputPath(name), progress: context.progress)
        return generatedOutputs(files, name: name, kind: "video")
    }
}

/// `image.matte`: the person of a picture cut out, on a new background or transparent.
struct MatteNode: NodeType {
    let name = "image.matte"
    let version = 1
    let summary = "Cut the person out of a picture (MediaPipe selfie segmentation): transparent, or on a new background."
    let inputs = [
        InputSpec("image", .image, help: "The picture."),
        InputSpec("background", .string, default: "", help: "Empty for transparent, blur, a colour (#RRGGBB, green)."),
        InputSpec("background_image", .image, optional: true, help: "A picture to put behind the person instead."),
        InputSpec("filename", .string, default: "matte.png", help: "Output name (.png keeps transparency)."),
    ]
    let outputs = [
        OutputSpec("image", .image, help: "The matted picture, labelled AI-edited."),
        OutputSpec("provenance", .file, help: "The provenance record."),
    ]

    func models(for inputs: NodeInputs) -> [String] { [PersonMatting.modelID] }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let background: MatteBackground
        if inputs.values["background_image"] != nil {
            background = .image(path: try inputs.path("background_image"))
        } else if let text = try inputs.optionalString("background"), !text.isEmpty {
            background = try MatteBackground(parsing: text)
        } else {
            background = .transparent
        }
        let name = try fileName(inputs, "filename")
        let matting = try PersonMatting(store: context.models, policy: context.policy)
        let result = try await matting.matteFile(try inputs.path("image"), background: background,
                                                 output: context.outputPath(name), progress: context.progress)
        return generatedOutputs(result.files, name: name, kind: "image")
    }
}
