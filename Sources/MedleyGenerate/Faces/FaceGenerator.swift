import Foundation
import MedleyCore
import MedleyModels
import MedleyRuntime
import MedleyVision

/// Generates faces of people who do not exist with MobileStyleGAN (random_face's OpenVINO IR), from a seed.
///
/// The pipeline is random_face's: 512 standard normal values (from ``GaussianNoise`` of the seed) go through the
/// mapping network to a style vector, truncation pulls it towards the mean style (`mean + psi * (style - mean)`),
/// and the synthesis network paints a 1024x1024 picture in [-1, 1], scaled to bytes as the package's config says.
/// The mean style comes from a fixed seed and is cached in the store (see ``MeanStyle``), so one seed gives one
/// face: the same bytes every time on the same machine. The noise is the same everywhere; another CPU may change
/// the last bits of the networks' arithmetic (OpenVINO picks kernels by instruction set), and so a few pixel values.
///
/// Thread-safe: one generator can serve several callers at once (the compiled models hand each call its own
/// infer request).
public final class FaceGenerator: Sendable {
    /// Catalog id of the model.
    public static let modelID = "mobilestylegan-ffhq"
    /// The truncation ``generate(seed:truncation:size:)`` uses when given none. StyleGAN's authors show their
    /// curated results at 0.7 (random_face defaults to 0.5, which makes the faces more alike): at 0.7 the faces
    /// still vary in age, hair and pose, and artefacts stay rare (docs/generated-faces.png, 16 seeds).
    public static let defaultTruncation = 0.7
    /// Side of the synthesis network's square output.
    public static let nativeSize = 1024
    /// The output sizes offered: the network's, and its halvings by 2 and 4 (area-averaged).
    public static let supportedSizes = [256, 512, 1024]

    /// Port names of the IR files (their `Parameter` and `Result` layers).
    static let noiseInput = "var"
    static let styleOutput = "style"
    static let styleInput = "style"
    static let imageOutput = "img"

    /// The package's config.json.
    public let config: FaceModelConfig
    /// The mean style, `config.styleDimension` values.
    public let meanStyle: [Float]
    /// The model as provenance records name it (id, version, synthesis weights' sha256, license).
    public let provenanceModel: ProvenanceModel

    let mapping: CompiledModel
    let synthesis: CompiledModel

    /// A generator over the installed catalog model, after the license policy and the store's checks.
    ///
    /// The first use of a store computes the mean style (about a second) and caches it under
    /// `<store>/.cache/mobilestylegan-ffhq/`; when that folder cannot be written the mean is computed in memory.
    public convenience init(store: ModelStore, policy: LicensePolicy = .any) throws {
        let model = try store.resolve(id: Self.modelID, policy: policy)
        try self.init(model: model, cacheFolder: store.root.appendingPathComponent(".cache/\(Self.modelID)"))
    }

    /// A generator over an installed model, caching the mean style in `cacheFolder` (nil: compute it, cache nothing).
    public init(model: InstalledModel, cacheFolder: URL?) throws {
        let card = model.card
        func file(_ path: String) throws -> (path: String, sha256: String) {
            guard let entry = card.file(path) else {
                throw MedleyError.invalidModel(id: card.id, reason: "its card lists no file '\(path)'")
            }
            return (try model.url(for: path).path, entry.sha256)
        }
        let mappingGraph = try file("MappingNetwork.xml"), mappingWeights = try file("MappingNetwork.bin")
        let synthesisGraph = try file("SynthesisNetwork.xml"), synthesisWeights = try file("SynthesisNetwork.bin")
        config = try FaceModelConfig.load(path: try file("config.json").path, modelID: card.id)
        let settings = CompileSettings(precision: .f32)
        // The cache key names both IR files: the graph and its weights together are the model.
        mapping = try Runtime.compiledModel(path: mappingGraph.path,
                                            cacheKey: "\(mappingGraph.sha256)+\(mappingWeights.sha256)",
                                            settings: settings)
        synthesis = try Runtime.compiledModel(path: synthesisGraph.path,
                                              cacheKey: "\(synthesisGraph.sha256)+\(synthesisWeights.sha256)",
                                              settings: settings)
        try Self.checkPorts(mapping: mapping, synthesis: synthesis, dimension: config.styleDimension)
        meanStyle = try Self.meanStyle(mappingPath: mappingGraph.path, mappingSHA256: mappingWeights.sha256,
                                       config: config, cacheFolder: cacheFolder)
        provenanceModel = ProvenanceModel(model)
    }

    // MARK: - Generating

    /// The face of `seed`: a `size` x `size` RGB picture.
    ///
    /// - Parameters:
    ///   - truncation: psi in [0, 1]; 0 gives the mean face whatever the seed, 1 the untruncated style.
    ///   - size: one of ``supportedSizes``; smaller sizes are area-averaged from 1024.
    /// - Throws: `invalidArgument` for a truncation or size out of range; runtime errors from OpenVINO.
    public func generate(seed: GenerationSeed, truncation: Double = defaultTruncation,
                         size: Int = nativeSize) throws -> Image {
        try Self.validate(truncation: truncation, size: size)
        return try image(style: style(seed: seed, truncation: truncation), size: size)
    }

    /// The truncated style vector of `seed`: its noise through the mapping network, pulled towards the mean.
    public func style(seed: GenerationSeed, truncation: Double = defaultTruncation) throws -> [Float] {
        try Self.validate(truncation: truncation, size: Self.nativeSize)
        let dimension = config.styleDimension
        let noise = GaussianNoise.normals(count: dimension, seed: seed)
        let outputs = try mapping.run([Self.noiseInput: try Tensor(shape: [1, dimension], floats: noise)])
        guard let style = outputs[Self.styleOutput], style.elementCount == dimension else {
            throw MedleyError.invalidModel(id: Self.modelID,
                                           reason: "the mapping network returned no [1,\(dimension)] style")
        }
        return truncate(style.floats(), psi: Float(truncation))
    }

    /// `mean + psi * (style - mean)`, in Float as random_face computes it in float32.
    func truncate(_ style: [Float], psi: Float) -> [Float] {
        zip(style, meanStyle).map { value, mean in mean + psi * (value - mean) }
    }

    /// The picture the synthesis network paints for a style vector, at `size` pixels.
    public func image(style: [Float], size: Int = nativeSize) throws -> Image {
        try Self.validate(truncation: 0, size: size)
        let dimension = config.styleDimension
        guard style.count == dimension, style.allSatisfy(\.isFinite) else {
            throw MedleyError.invalidArgument(
                "a style vector has \(dimension) finite values; got \(style.count) value(s)")
        }
        try Task.checkCancellation()
        let outputs = try synthesis.run([Self.styleInput: try Tensor(shape: [1, dimension], floats: style)])
        guard let output = outputs[Self.imageOutput] else {
            throw MedleyError.invalidModel(id: Self.modelID, reason: "the synthesis network returned no 'img' output")
        }
        let face = try FacePixels.image(from: output, config: config)
        guard size != face.width || size != face.height else { return face }
        return try face.resized(width: size, height: size, method: .area)
    }

    // MARK: - Interpolating

    /// Renders `frames` pictures morphing from `start`'s face to `end`'s, and hands each to `body` in order.
    ///
    /// The path is a straight line between the two truncated styles (W space), at evenly spaced steps: frame 0 is
    /// exactly `generate(seed: start)` and the last frame exactly `generate(seed: end)`. Why W and not a slerp
    /// between the noises (Z space): StyleGAN's mapping network exists to make W smoother than Z (its authors
    /// measure a far shorter perceptual path length along lines in W), truncation is linear in W so every frame
    /// is as truncated as the ends, and a morph needs the mapping network only twice. random_face's own demo
    /// interpolates the same way.
    ///
    /// - Parameters:
    ///   - frames: at least 2.
    ///   - body: receives the frame index and picture; throwing stops the rendering.
    /// - Throws: `invalidArgument` for fewer than 2 frames, a truncation or size out of range.
    public func interpolate(
        from start: GenerationSeed, to end: GenerationSeed, frames: Int, truncation: Double = defaultTruncation,
        size: Int = nativeSize, progress: any ProgressReporter = SilentProgress(),
        _ body: (_ index: Int, _ frame: Image) throws -> Void
    ) throws {
        guard frames >= 2 else {
            throw MedleyError.invalidArgument("an interpolation needs at least 2 frames, got \(frames)")
        }
        try Self.validate(truncation: truncation, size: size)
        let first = try style(seed: start, truncation: truncation)
        let last = try style(seed: end, truncation: truncation)
        for index in 0..<frames {
            try Task.checkCancellation()
            let step: [Float]
            if index == 0 {
                step = first
            } else if index == frames - 1 {
                step = last
            } else {
                let t = Float(index) / Float(frames - 1)
                step = zip(first, last).map { a, b in a + t * (b - a) }
            }
            try body(index, try image(style: step, size: size))
            progress.report(ProgressEvent(stage: "interpolate", completed: Double(index + 1), total: Double(frames),
                                          unit: "frames"))
        }
    }

    // MARK: - Checks

    /// Throws a clear error for a truncation outside [0, 1] or an unsupported size.
    public static func validate(truncation: Double, size: Int) throws {
        guard truncation.isFinite, (0...1).contains(truncation) else {
            throw MedleyError.invalidArgument(
                "truncation \(truncation) is outside [0, 1]; 0 gives the average face, 1 the untruncated one "
                    + "(default \(defaultTruncation))")
        }
        guard supportedSizes.contains(size) else {
            throw MedleyError.invalidArgument(
                "face size \(size) is not supported; choose \(supportedSizes.map(String.init).joined(separator: ", "))")
        }
    }

    private static func checkPorts(mapping: CompiledModel, synthesis: CompiledModel, dimension: Int) throws {
        let expected = [1, dimension]
        guard mapping.inputs.first?.name == noiseInput, mapping.inputs.first?.staticShape == expected,
              mapping.outputs.contains(where: { $0.name == styleOutput })
        else {
            throw MedleyError.invalidModel(
                id: modelID, reason: "MappingNetwork.xml does not map '\(noiseInput)' \(expected) to '\(styleOutput)'")
        }
        guard synthesis.inputs.first?.name == styleInput, synthesis.inputs.first?.staticShape == expected,
              synthesis.outputs.contains(where: { $0.name == imageOutput })
        else {
            throw MedleyError.invalidModel(
                id: modelID,
                reason: "SynthesisNetwork.xml does not map '\(styleInput)' \(expected) to '\(imageOutput)'")
        }
    }

    private static func meanStyle(mappingPath: String, mappingSHA256: String, config: FaceModelConfig,
                                  cacheFolder: URL?) throws -> [Float] {
        let cached = cacheFolder.map {
            MeanStyle.cachePath(folder: $0, sampleCount: config.meanSampleCount, mappingSHA256: mappingSHA256)
        }
        if let cached, let mean = MeanStyle.load(from: cached, dimension: config.styleDimension) { return mean }
        let mean = try MeanStyle.compute(mappingPath: mappingPath, sampleCount: config.meanSampleCount,
                                         dimension: config.styleDimension)
        if let cached { MeanStyle.save(mean, to: cached) }
        return mean
    }
}
