import Foundation
import MedleyCore
import MedleyMedia
import MedleyVision

/// The style to paint with: a picture (Magenta's arbitrary-style network) or a built-in preset (26-style network).
public enum StyleChoice: Sendable, Equatable {
    /// A style picture file (any size; its centre square is used).
    case image(path: String)
    /// A built-in style, 0 to 25.
    case preset(Int)

    /// The network that paints this style.
    public var network: StyleTransfer.Network {
        switch self {
        case .image: return .arbitrary
        case .preset: return .presets
        }
    }
}

/// What ``StyleTransfer/stylizeFile(_:style:strength:output:progress:)`` wrote.
public struct StylizeResult: Sendable, Equatable {
    /// The output and its provenance record.
    public var files: GeneratedFiles
    /// The output's picture size.
    public var width: Int
    public var height: Int
    /// Frames written (0 for a still picture).
    public var frames: Int
    /// Tiles each picture was run in (1 when it fitted in one).
    public var tiles: Int
    /// Things to tell the user (a huge picture was shrunk).
    public var warnings: [String]
}

extension StyleTransfer {
    /// Content pictures with more pixels than this are read shrunk (with a warning): ImageLoader's 50-megapixel
    /// bound, which keeps a 20000x20000 PNG from taking 1.2 GB as RGB. At about 0.1 s per megapixel in a release
    /// build, the largest picture takes several seconds.
    public static let maxContentPixels = ImageLoader.defaultMaxPixels

    /// Stylises the picture or video at `input` and writes it to `output`, labelled as AI-edited (`image.stylize` or
    /// `video.stylize`, with the content as `parentOf` and the style picture as `componentOf` ingredients).
    ///
    /// A still picture keeps its own size (a picture over ``maxContentPixels`` is shrunk first, with a warning) and
    /// is written as PNG, JPEG or WebP by `output`'s extension. A video is written as H.264 MP4/MKV at its own size
    /// and frame rate, with the style vector computed once (with a strength below 1, the content's own style comes
    /// from the first frame) and the source's audio copied.
    ///
    /// - Throws: `invalidArgument` (a style of the other network, strength outside [0, 1], a preset outside 0...25,
    ///   a bad output extension, content smaller than 32 pixels), `writeFailed` (missing output folder), the file
    ///   errors of the inputs (not found, not an image, `noStream` for a file with no picture), runtime errors,
    ///   `CancellationError`.
    public func stylizeFile(
        _ input: String, style: StyleChoice, strength: Double = 1, output: String,
        progress: any ProgressReporter = SilentProgress()
    ) async throws -> StylizeResult {
        guard style.network == network else {
            throw MedleyError.invalidArgument("this StyleTransfer runs the \(network.rawValue) network; the style "
                + "needs the \(style.network.rawValue) one")
        }
        let strength = try Self.checkedStrength(strength)
        if case .preset(let index) = style { _ = try Self.presetWeights(index) }
        try requireReadableFile(input)
        let still = try ImageLoader.isStillImage(path: input)
        if still {
            try Self.checkImageOutput(output)
        } else {
            try EditedVideo.checkOutput(output)
        }
        // The style picture is read before any content work, so a bad style file fails fast.
        var styleImage: Image?
        var ingredients: [ProvenanceIngredient] = [try .file(input, relationship: "parentOf")]
        if case .image(let path) = style {
            styleImage = try Self.loadStyleImage(path)
            ingredients.append(try .file(path, relationship: "componentOf"))
        }
        var settings: [String: ProvenanceValue] = ["strength": .number(strength)]
        switch style {
        case .image: settings["style"] = "image"
        case .preset(let index): settings["style"] = "preset"; settings["preset"] = .number(Double(index))
        }

        if still {
            let loaded = try ImageLoader.load(path: input, maxPixels: Self.maxContentPixels)
            let content = loaded.image
            let plan = tilePlan(for: content)
            settings["tiles"] = .number(Double(plan.tileCount))
            let stylized = try paint(content, style: style, styleImage: styleImage, strength: strength, vector: nil)
            let provenance = GenerationProvenance.edited(
                task: "image.stylize", models: [ProvenanceModel(model)], settings: settings, ingredients: ingredients)
            let files = try GeneratedMedia.writeImage(stylized, to: output, provenance: provenance)
            return StylizeResult(files: files, width: stylized.width, height: stylized.height, frames: 0,
                                 tiles: plan.tileCount, warnings: loaded.warnings)
        }

        let provenance = GenerationProvenance.edited(
            task: "video.stylize", models: [ProvenanceModel(model)], settings: settings, ingredients: ingredients)
        var vector: StyleVector?
        var tiles = 1
        let outcome = try EditedVideo.run(
            input: input, output: output, provenance: provenance, stage: "stylize", progress: progress,
            firstFrame: { frame in
                tiles = tilePlan(for: frame).tileCount
                if let styleImage {
                    // Computed once for the whole video: the style, blended with the first frame's own style.
                    vector = try styleVector(content: frame, styleImage: styleImage, strength: strength)
                }
            },
            edit: { frame in
                try paint(frame, style: style, styleImage: styleImage, strength: strength, vector: vector)
            })
        return StylizeResult(files: outcome.files, width: outcome.width, height: outcome.height, frames: outcome.frames,
                             tiles: tiles, warnings: [])
    }

    /// One picture through the network of `style`; `vector` is the precomputed style vector, when there is one.
    private func paint(_ content: Image, style: StyleChoice, styleImage: Image?, strength: Double,
                       vector: StyleVector?) throws -> Image {
        switch style {
        case .preset(let index):
            return try stylize(content, preset: index, strength: strength)
        case .image:
            if let vector { return try stylize(content, style: vector) }
            guard let styleImage else { throw MedleyError.internal("stylizeFile lost its style picture") }
            return try stylize(content, styleImage: styleImage, strength: strength)
        }
    }

    /// Reads a style picture: any size, 1x1 included (it is resized to 256x256); a huge one is read shrunk.
    static func loadStyleImage(_ path: String) throws -> Image {
        do {
            return try ImageLoader.load(path: path).image
        } catch let error as MedleyError {
            switch error {
            case .unreadableMedia, .noStream, .unsupportedCodec:
                throw MedleyError.invalidArgument("style picture \(path) cannot be read as an image "
                    + "(\(error.message)); give a PNG, JPEG or WebP picture")
            default:
                throw error
            }
        }
    }

    /// A still picture is written as PNG, JPEG or WebP, into a folder that exists.
    static func checkImageOutput(_ output: String) throws {
        guard let type = GeneratedMedia.mediaType(of: output), type.hasPrefix("image/") else {
            throw MedleyError.invalidArgument(
                "\(output): a picture is written as .png, .jpg or .webp; give a path with one of those extensions")
        }
        try GeneratedMedia.requireOutputFolder(of: output)
    }
}
