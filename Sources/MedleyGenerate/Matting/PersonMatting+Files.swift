import Foundation
import MedleyCore
import MedleyMedia
import MedleyVision

/// What ``PersonMatting/matteFile(_:background:output:progress:)`` wrote.
public struct MatteResult: Sendable, Equatable {
    /// The output and its provenance record.
    public var files: GeneratedFiles
    /// The output's picture size.
    public var width: Int
    public var height: Int
    /// Frames written (0 for a still picture).
    public var frames: Int
    /// The model that read the pictures.
    public var model: MattingModel
    /// Frames per second of the whole run (decode, matte, encode), for a video.
    public var framesPerSecond: Double?
    /// Things to tell the user (a huge picture was shrunk).
    public var warnings: [String]
}

extension PersonMatting {
    /// Mattes the picture or video at `input` and writes it to `output`, labelled as AI-edited (`image.matte` or
    /// `video.matte`, the input as `parentOf` and a background picture as `componentOf` ingredients).
    ///
    /// A still picture keeps its size (one over ImageLoader's 50 MP bound is shrunk first, with a warning); without
    /// a background it is written with its alpha, so the output must be `.png` (or `.webp`). A video needs a
    /// background (H.264 has no alpha); its masks are smoothed over time (``MattingSettings/temporalRatio``), and
    /// its audio is copied.
    ///
    /// - Throws: `invalidArgument` (output extension, a video without background), `writeFailed` (missing folder),
    ///   the input's file errors (`noStream` for a file with no picture), runtime errors, `CancellationError`.
    public func matteFile(
        _ input: String, background: MatteBackground, output: String,
        progress: any ProgressReporter = SilentProgress()
    ) async throws -> MatteResult {
        try requireReadableFile(input)
        let still = try ImageLoader.isStillImage(path: input)
        if still {
            guard let type = GeneratedMedia.mediaType(of: output), type.hasPrefix("image/") else {
                throw MedleyError.invalidArgument("\(output): a picture is written as .png, .jpg or .webp")
            }
            if background == .transparent, type == "image/jpeg" {
                throw MedleyError.invalidArgument("\(output): without --background the picture keeps its alpha "
                    + "channel, which JPEG cannot hold; write a .png, or give a background")
            }
            try GeneratedMedia.requireOutputFolder(of: output)
        } else {
            guard background != .transparent else {
                throw MedleyError.invalidArgument("\(input) is a video, and H.264 video has no alpha channel: give a "
                    + "background (a colour, a picture, or blur)")
            }
            try EditedVideo.checkOutput(output)
        }
        var ingredients: [ProvenanceIngredient] = [try .file(input, relationship: "parentOf")]
        if case .image(let path) = background { ingredients.append(try .file(path, relationship: "componentOf")) }
        var settings: [String: ProvenanceValue] = [
            "background": .string(background.label), "feather_low": .number(Double(self.settings.feather.low)),
            "feather_high": .number(Double(self.settings.feather.high)),
        ]

        if still {
            let loaded = try ImageLoader.load(path: input)
            let picture = loaded.image.opaqueRGB()
            let choice = self.settings.model(width: picture.width, height: picture.height)
            settings["model"] = .string(choice.rawValue)
            let matted = try matte(picture, background: background)
            let provenance = GenerationProvenance.edited(
                task: "image.matte", models: [ProvenanceModel(model)], settings: settings, ingredients: ingredients)
            let files = try GeneratedMedia.writeImage(matted, to: output, provenance: provenance)
            return MatteResult(files: files, width: picture.width, height: picture.height, frames: 0, model: choice,
                               framesPerSecond: nil, warnings: loaded.warnings)
        }

        let probe = try VideoDecoder(path: input)
        let choice = self.settings.model(width: probe.width, height: probe.height)
        settings["model"] = .string(choice.rawValue)
        settings["temporal_ratio"] = .number(Double(self.settings.temporalRatio))
        let provenance = GenerationProvenance.edited(
            task: "video.matte", models: [ProvenanceModel(model)], settings: settings, ingredients: ingredients)
        var state: VideoMatteState?
        let started = DispatchTime.now()
        let outcome = try EditedVideo.run(
            input: input, output: output, provenance: provenance, stage: "matte", progress: progress,
            firstFrame: { frame in
                state = try VideoMatteState(matting: self, background: background, model: choice,
                                            width: frame.width, height: frame.height)
            },
            edit: { frame in
                guard let state else { throw MedleyError.internal("matteFile lost its video state") }
                return try state.matte(frame)
            })
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return MatteResult(files: outcome.files, width: outcome.width, height: outcome.height, frames: outcome.frames,
                           model: choice, framesPerSecond: Double(outcome.frames) / max(seconds, 1e-9), warnings: [])
    }
}

/// What a video's frames share: the upsampler and compositor for the frame size, and the previous mask.
final class VideoMatteState {
    let matting: PersonMatting
    let model: MattingModel
    let upsampler: MaskUpsampler
    let compositor: MatteCompositor
    private var previous: [Float]?

    init(matting: PersonMatting, background: MatteBackground, model: MattingModel, width: Int, height: Int) throws {
        self.matting = matting
        self.model = model
        let size = model.inputSize
        upsampler = MaskUpsampler(maskWidth: size.width, maskHeight: size.height, width: width, height: height)
        compositor = try MatteCompositor(background: background, width: width, height: height)
    }

    /// One frame over the background, its mask mixed with the previous frame's.
    func matte(_ frame: Image) throws -> Image {
        var mask = try matting.mask(for: frame, model: model).values
        let ratio = matting.settings.temporalRatio
        if let previous, ratio > 0 {
            for i in 0..<mask.count { mask[i] = ratio * previous[i] + (1 - ratio) * mask[i] }
        }
        previous = mask
        let picture = frame.format == .rgb8 && frame.stride == frame.width * 3 ? frame : frame.opaqueRGB()
        return compositor.composite(picture, alpha: upsampler.alpha(mask, feather: matting.settings.feather))
    }
}
