import Foundation
import MedleyCore
import MedleyModels
import MedleyRuntime

/// Which selfie-segmentation model reads the picture.
public enum MattingModel: String, Sendable, Codable, CaseIterable {
    /// 256x256 input: MediaPipe's `model_selection=0`, for any framing.
    case general
    /// 144x256 input: MediaPipe's `model_selection=1`, made for wide (16:9) video frames; about 45 % less work.
    case landscape

    /// The model's input size (width, height).
    var inputSize: (width: Int, height: Int) {
        self == .general ? (256, 256) : (256, 144)
    }

    /// The IR file in the model's store folder.
    var file: String {
        self == .general ? "selfie_segmentation.xml" : "selfie_segmentation_landscape.xml"
    }
}

/// Settings of ``PersonMatting``.
public struct MattingSettings: Sendable, Equatable {
    /// The model; nil picks by shape: ``MattingModel/landscape`` for pictures at least ``wideAspect`` wide,
    /// ``MattingModel/general`` otherwise.
    public var model: MattingModel?
    /// How the mask's edge becomes alpha.
    public var feather: MaskFeather
    /// Weight of the previous frame's mask in a video: `mask = ratio * previous + (1 - ratio) * current`, on the
    /// model's small mask before it is scaled up. 0 turns smoothing off.
    public var temporalRatio: Float

    /// Pictures at least this wide for their height (3:2) use the landscape model when none is chosen: 16:9 video
    /// frames do, 4:3 and square pictures do not.
    public static let wideAspect = 1.5
    /// Default temporal ratio. MediaPipe's selfie graph does not smooth; its pose module mixes in the previous mask
    /// with a ratio of 0.7 weighted by the current mask's uncertainty. A plain 0.7 trails a moving arm by several
    /// frames (90 % of a change after 7 frames); 0.5 takes 4 frames for that and still halves frame-to-frame flicker
    /// of uncertain pixels. Medley's choice.
    public static let defaultTemporalRatio: Float = 0.5

    /// Settings with the defaults: model by shape, feather 0.3-0.7, temporal ratio 0.5.
    public init(model: MattingModel? = nil, feather: MaskFeather = .standard,
                temporalRatio: Float = MattingSettings.defaultTemporalRatio) {
        self.model = model
        self.feather = feather
        self.temporalRatio = temporalRatio
    }

    /// The model for a picture of this size.
    public func model(width: Int, height: Int) -> MattingModel {
        if let model { return model }
        return Double(width) >= Self.wideAspect * Double(height) ? .landscape : .general
    }
}

/// A person mask at the model's resolution.
public struct PersonMask: Sendable, Equatable {
    /// The model that made it.
    public var model: MattingModel
    /// Width and height of ``values`` (the model's output size).
    public var width: Int
    public var height: Int
    /// Row-major person probabilities in [0, 1].
    public var values: [Float]
}

/// Separates people from the background with MediaPipe's selfie-segmentation models (converted to OpenVINO IR at
/// install time, see the `mediapipe-selfie-segmentation` card), with MediaPipe's own pre- and post-processing:
/// the whole picture stretched to the model's size (no aspect kept), RGB v/255, the model's person probability
/// scaled back to the picture with bilinear. On top: a smoothstep feather of the edge, temporal smoothing on video,
/// and compositing (``MatteBackground``).
///
/// Thread-safe: one instance can serve several callers (the compiled models are shared; runs borrow requests).
public final class PersonMatting: Sendable {
    /// Catalog id of the model.
    public static let modelID = "mediapipe-selfie-segmentation"

    /// The installed model (for provenance).
    public let model: InstalledModel
    /// The settings.
    public let settings: MattingSettings
    private let compiled: [MattingModel: CompiledModel]

    /// Matting with the catalog model from a store, after the license policy and the store's checks. Both models
    /// are compiled now (about 0.1-0.2 s each).
    ///
    /// - Throws: `modelNotInstalled` (with how to install), `policyDenied`, `modelCorrupt`, `invalidArgument` for a
    ///   feather or ratio out of range, runtime errors.
    public init(store: ModelStore, policy: LicensePolicy = .any, settings: MattingSettings = MattingSettings()) throws {
        guard settings.feather.low >= 0, settings.feather.high <= 1, settings.feather.low < settings.feather.high else {
            throw MedleyError.invalidArgument(
                "the feather must satisfy 0 <= low < high <= 1, got \(settings.feather.low)...\(settings.feather.high)")
        }
        guard settings.temporalRatio >= 0, settings.temporalRatio < 1 else {
            throw MedleyError.invalidArgument("the temporal ratio must be in [0, 1), got \(settings.temporalRatio)")
        }
        model = try store.resolve(id: Self.modelID, policy: policy)
        self.settings = settings
        var compiled: [MattingModel: CompiledModel] = [:]
        for choice in MattingModel.allCases {
            guard let sha256 = model.card.file(choice.file)?.sha256 else {
                throw MedleyError.invalidModel(id: Self.modelID, reason: "has no file \(choice.file)")
            }
            compiled[choice] = try Runtime.compiledModel(
                path: try model.url(for: choice.file).path, cacheKey: sha256,
                settings: CompileSettings(precision: .f32))
        }
        self.compiled = compiled
    }

    /// The person mask of a picture at the model's resolution.
    ///
    /// - Throws: `invalidArgument` for an empty picture; runtime errors.
    public func mask(for image: Image, model choice: MattingModel? = nil) throws -> PersonMask {
        guard image.width > 0, image.height > 0 else {
            throw MedleyError.invalidArgument("cannot matte an empty \(image.width)x\(image.height) picture")
        }
        let choice = choice ?? settings.model(width: image.width, height: image.height)
        guard let network = compiled[choice] else { throw MedleyError.internal("no compiled \(choice) model") }
        let size = choice.inputSize
        let rgb = image.format == .rgb8 ? image : image.opaqueRGB()
        var input = Tensor(zeros: [1, size.height, size.width, 3], elementType: .f32)
        input.withUnsafeMutableRawBytes { raw in
            MatteSampling.writeInput(rgb, width: size.width, height: size.height, into: raw.bindMemory(to: Float.self))
        }
        guard let output = try network.run([input]).first, output.elementCount == size.width * size.height else {
            throw MedleyError.invalidModel(
                id: Self.modelID, reason: "expected a [1,\(size.height),\(size.width),1] mask")
        }
        return PersonMask(model: choice, width: size.width, height: size.height, values: output.floats())
    }

    /// The person probability of every pixel of `image` (MediaPipe's `segmentation_mask`), row-major.
    public func probabilities(for image: Image, model choice: MattingModel? = nil) throws -> [Float] {
        let mask = try mask(for: image, model: choice)
        return MaskUpsampler(maskWidth: mask.width, maskHeight: mask.height, width: image.width, height: image.height)
            .probabilities(mask.values)
    }

    /// The feathered alpha of every pixel of `image` (255 person, 0 background), row-major.
    public func alpha(for image: Image) throws -> [UInt8] {
        let mask = try mask(for: image)
        return MaskUpsampler(maskWidth: mask.width, maskHeight: mask.height, width: image.width, height: image.height)
            .alpha(mask.values, feather: settings.feather)
    }

    /// The picture with its background replaced (``MatteBackground/transparent`` gives RGBA with the alpha).
    public func matte(_ image: Image, background: MatteBackground) throws -> Image {
        let rgb = image.opaqueRGB()
        let compositor = try MatteCompositor(background: background, width: rgb.width, height: rgb.height)
        return compositor.composite(rgb, alpha: try alpha(for: rgb))
    }
}
