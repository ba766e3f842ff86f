import Foundation
import MedleyCore
import MedleyModels
import MedleyRuntime

/// One generated heightmap.
public struct Terrain: Sendable, Equatable {
    /// The seed of its noise.
    public let seed: GenerationSeed
    /// The settings it was made with.
    public let settings: TerrainSettings
    /// Width in samples.
    public var width: Int { settings.width }
    /// Height in samples.
    public var height: Int { settings.height }
    /// Heights in metres, row-major, the lowest point at 0, at most ``TerrainHeights/heightRange``.
    public let heights: [Float]
    /// The grid the model worked on: 128x128, or the tiled canvas (at least the output size).
    public let canvasWidth: Int
    /// See ``canvasWidth``.
    public let canvasHeight: Int
    /// The standard normal noise the sampler started from, on the canvas grid (its first values of the seed's
    /// ``GaussianNoise`` stream).
    public let initialNoise: [Float]
    /// The sampler's result in model space (about [-1, 1]), on the canvas grid, before decoding to metres.
    public let modelOutput: [Float]
}

/// Makes terrain heightmaps with the adaptive-terrain-diffusion consistency model through Medley's diffusion
/// engine: the seed's Gaussian noise, an ``OpenVINODenoiser`` (tiled above 128x128), a ``DiffusionSampler``, and the
/// package's decoding to metres.
///
/// With one step (the default) this is the package's own sampling: `denoised = f(80 * z, 80, (d - 1) / 99)`;
/// given the same noise, the heights match the package's within 1e-3 (bench/terrain.sh). The noise itself comes
/// from Medley's documented seed mapping, not from NumPy's generator, so the same seed gives another terrain here
/// than in Python.
///
/// Thread-safe: one generator can serve several callers.
public final class TerrainGenerator: Sendable {
    /// Catalog id of the model.
    public static let modelID = "terrain-consistency-unet"
    /// The model's side in samples (the package's `native_size`).
    public static let nativeSize = 128
    /// The consistency model's noise levels (the package's `sigma_min`, `sigma_max`: the EDM/consistency-models
    /// defaults 0.002 and 80).
    public static let sigmaMin = 0.002
    public static let sigmaMax = 80.0
    /// The package's default inference batch (`batch_size=16`).
    public static let defaultBatch = 16
    /// The model's port names.
    static let noisyInput = "noisy", sigmaInput = "sigma", difficultyInput = "difficulty", output = "denoised"

    /// The model as it sits behind the sampler.
    public let denoiser: OpenVINODenoiser
    /// The card of the model, for provenance.
    public let card: ModelCard

    /// A generator over a model file; `cacheKey` identifies its content (the card's sha256).
    public init(modelPath: String, cacheKey: String, card: ModelCard, maximumBatch: Int = defaultBatch) throws {
        try requireReadableFile(modelPath)
        let settings = CompileSettings(precision: .f32)
        // One compiled model per batch size, with every shape static: OpenVINO ran 16 maps at once in half the time
        // with static shapes than with the model's dynamic batch (10 s against 21 s on 2 cores).
        denoiser = try OpenVINODenoiser(
            sampleInput: Self.noisyInput, sigmaInput: Self.sigmaInput, output: Self.output, maximumBatch: maximumBatch
        ) { batch in
            try Runtime.compiledModel(
                path: modelPath, cacheKey: cacheKey, settings: settings,
                inputShapes: [Self.noisyInput: [batch, 1, Self.nativeSize, Self.nativeSize], Self.sigmaInput: [batch],
                              Self.difficultyInput: [batch]])
        }
        self.card = card
    }

    /// A generator over the catalog model in a store, after the license policy and the store's checks.
    public convenience init(store: ModelStore, policy: LicensePolicy = .any, maximumBatch: Int = defaultBatch) throws {
        let installed = try store.resolve(id: Self.modelID, policy: policy)
        guard let weights = installed.card.file(role: "weights") else {
            throw MedleyError.invalidModel(id: Self.modelID, reason: "its card lists no weights file")
        }
        try self.init(modelPath: try installed.url(for: weights.path).path, cacheKey: weights.sha256,
                      card: installed.card, maximumBatch: maximumBatch)
    }

    /// The difficulty label the model takes: `(difficulty - 1) / 99` as float32 (computed in double as NumPy does).
    public static func label(difficulty: Int) -> Float {
        Float(Double(difficulty - TerrainSettings.difficulties.lowerBound)
              / Double(TerrainSettings.difficulties.upperBound - TerrainSettings.difficulties.lowerBound))
    }

    /// Compiles the model for the batch sizes that `writeTerrains` with `count` maps (or ``generate(seeds:settings:
    /// progress:)`` with `count` seeds, when `count` is at most the batch size) will use, so that sampling starts at
    /// once. Compiling takes seconds per batch size; it happens once per process.
    public func prepare(count: Int, settings: TerrainSettings) throws {
        try settings.validate()
        let batch = denoiser.maximumBatch
        var groups = [min(max(count, 1), batch)]
        if count > batch, count % batch != 0 { groups.append(count % batch) }
        var tiles = 1
        if settings.sizeMode == .tile {
            let tiling = try TiledDenoiser(base: denoiser, tileSize: Self.nativeSize, overlap: settings.tileOverlap)
            tiles = tiling.tileStarts(length: max(settings.width, Self.nativeSize)).count
                * tiling.tileStarts(length: max(settings.height, Self.nativeSize)).count
        }
        try denoiser.prepare(batchesOf: groups.map { $0 * tiles })
    }

    /// One terrain.
    public func generate(seed: GenerationSeed, settings: TerrainSettings = TerrainSettings(),
                         progress: any ProgressReporter = SilentProgress()) throws -> Terrain {
        guard let terrain = try generate(seeds: [seed], settings: settings, progress: progress).first else {
            throw MedleyError.internal("terrain generation returned nothing")
        }
        return terrain
    }

    /// One terrain per seed, sampled together in batches; terrain `i` is the same as a lone terrain of `seeds[i]`
    /// (up to the model's float rounding in another batch size).
    ///
    /// - Throws: `invalidArgument` for bad settings or no seeds; ``MedleyError/cancelled`` when the task is
    ///   cancelled; runtime errors.
    public func generate(seeds: [GenerationSeed], settings: TerrainSettings,
                         progress: any ProgressReporter = SilentProgress()) throws -> [Terrain] {
        try settings.validate()
        guard !seeds.isEmpty else { throw MedleyError.invalidArgument("terrain generation needs at least one seed") }
        let native = Self.nativeSize
        let mode = settings.sizeMode
        let canvasWidth = mode == .tile ? max(settings.width, native) : native
        let canvasHeight = mode == .tile ? max(settings.height, native) : native

        var generators = seeds.map { GaussianNoise(seed: $0) }
        let initialNoise = try SampleBatch.standardNormal(sampleShape: [1, canvasHeight, canvasWidth],
                                                          generators: &generators)
        let model: any Denoiser = mode == .tile
            ? try TiledDenoiser(base: denoiser, tileSize: native, overlap: settings.tileOverlap,
                                tilesPerCall: denoiser.maximumBatch)
            : denoiser
        let (sampler, sigmas) = try Self.sampler(for: settings)
        let labels = [Float](repeating: Self.label(difficulty: settings.difficulty), count: seeds.count)
        let sampled = try sampler.sample(
            denoiser: model, initialNoise: initialNoise, sigmas: sigmas,
            conditioning: try .scalars(Self.difficultyInput, labels), noise: &generators, progress: progress)

        return seeds.enumerated().map { index, seed in
            Terrain(seed: seed, settings: settings,
                    heights: Self.heights(fromModel: sampled.sample(index), canvasWidth: canvasWidth,
                                          canvasHeight: canvasHeight, settings: settings),
                    canvasWidth: canvasWidth, canvasHeight: canvasHeight,
                    initialNoise: Array(initialNoise.sample(index)), modelOutput: Array(sampled.sample(index)))
        }
    }

    /// The sampler of the settings and its noise levels (one model call per level).
    static func sampler(for settings: TerrainSettings) throws -> (any DiffusionSampler, [Double]) {
        switch settings.sampler {
        case .consistency:
            let sampler = try ConsistencySampler(sigmaMin: sigmaMin)
            return (sampler, try sampler.levels(steps: settings.steps, schedule: settings.schedule, sigmaMax: sigmaMax))
        case .euler, .ddim:
            let levels = try settings.schedule.sigmas(count: settings.steps, sigmaMin: sigmaMin, sigmaMax: sigmaMax)
            return (settings.sampler == .euler ? EulerSampler() : try DDIMSampler(), levels)
        }
    }

    /// Heights in metres of one sampled canvas, decoded as the package decodes each size mode.
    static func heights(fromModel values: ArraySlice<Float>, canvasWidth: Int, canvasHeight: Int,
                        settings: TerrainSettings) -> [Float] {
        switch settings.sizeMode {
        case .native:
            return TerrainHeights.metres(fromModel: values, zeroFloor: true)
        case .resize:
            // `_resize_output`: decode without the floor, resize, clip, then move the floor.
            let full = TerrainHeights.metres(fromModel: values, zeroFloor: false)
            var small = TerrainHeights.resized(full, width: canvasWidth, height: canvasHeight,
                                               newWidth: settings.width, newHeight: settings.height)
            let top = Float(TerrainHeights.heightRange)
            for index in small.indices { small[index] = min(max(small[index], 0), top) }
            TerrainHeights.subtractMinimum(&small)
            return small
        case .tile:
            // `_generate_tiled`: crop the canvas to the asked size, then decode.
            var cropped: [Float] = []
            cropped.reserveCapacity(settings.width * settings.height)
            let base = values.startIndex
            for row in 0..<settings.height {
                let start = base + row * canvasWidth
                cropped.append(contentsOf: values[start..<(start + settings.width)])
            }
            return TerrainHeights.metres(fromModel: cropped[...], zeroFloor: true)
        }
    }
}
