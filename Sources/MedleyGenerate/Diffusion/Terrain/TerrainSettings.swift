import MedleyCore

/// What shapes a generated terrain: its difficulty, how it is sampled, and its size.
public struct TerrainSettings: Sendable, Equatable {
    /// From 1 (gentle) to 100 (rough); the model's label is `(difficulty - 1) / 99`.
    public var difficulty: Int
    /// Model evaluations. 1 is the package's one-step sampling; more run the chosen sampler over `schedule`, but
    /// the model was distilled for one step and its multistep maps drift into tall spikes (docs/generation.md).
    public var steps: Int
    /// The sampler; with one step every sampler gives the same result.
    public var sampler: SamplerName
    /// How the noise levels of a multistep run are spaced.
    public var schedule: NoiseSchedule
    /// Output width in samples.
    public var width: Int
    /// Output height in samples.
    public var height: Int
    /// Samples shared by neighbouring tiles when the map is larger than the model's 128x128 (the package's
    /// `tile_overlap` default is 32).
    public var tileOverlap: Int

    /// The model's difficulty range (the package's `num_classes`).
    public static let difficulties = 1...100
    /// The difficulty used when none is given: the middle of the range (the package draws a random one instead).
    public static let defaultDifficulty = 50
    /// The package's default overlap of tiles (`tile_overlap=32`).
    public static let defaultTileOverlap = 32
    /// The largest side Medley generates: 2048 samples (about 450 tiles of 128, minutes of CPU per map).
    public static let maximumSide = 2048
    /// The most steps a run may take (the model was distilled for one; dozens only cost time).
    public static let maximumSteps = 1000

    /// Settings with the package's defaults: one consistency step, 128x128.
    public init(
        difficulty: Int = defaultDifficulty, steps: Int = 1, sampler: SamplerName = .consistency,
        schedule: NoiseSchedule = .karras, width: Int = TerrainGenerator.nativeSize,
        height: Int = TerrainGenerator.nativeSize, tileOverlap: Int = defaultTileOverlap
    ) {
        self.difficulty = difficulty
        self.steps = steps
        self.sampler = sampler
        self.schedule = schedule
        self.width = width
        self.height = height
        self.tileOverlap = tileOverlap
    }

    /// How a map of this size is made from the model's 128x128 samples.
    public enum SizeMode: String, Sendable {
        /// Exactly 128x128.
        case native
        /// Smaller than 128 on both sides: one 128x128 sample, resized down (the package's `resize` mode).
        case resize
        /// Larger than 128 on a side: overlapping tiles of one noise canvas, blended (the package's `tile` mode).
        case tile
    }

    /// The package's `auto` choice: tiles when a side exceeds 128, else one sample (resized when smaller).
    public var sizeMode: SizeMode {
        if width == TerrainGenerator.nativeSize, height == TerrainGenerator.nativeSize { return .native }
        return max(width, height) > TerrainGenerator.nativeSize ? .tile : .resize
    }

    /// Checks every field.
    ///
    /// - Throws: `invalidArgument` naming the setting, its value and the accepted range.
    public func validate() throws {
        guard Self.difficulties.contains(difficulty) else {
            throw MedleyError.invalidArgument(
                "difficulty \(difficulty) is out of range; give a whole number from 1 (gentle) to 100 (rough)")
        }
        guard (1...Self.maximumSteps).contains(steps) else {
            throw MedleyError.invalidArgument(
                "steps \(steps) is out of range; give 1 (the model's one-step sampling) to \(Self.maximumSteps)")
        }
        guard (1...Self.maximumSide).contains(width), (1...Self.maximumSide).contains(height) else {
            throw MedleyError.invalidArgument(
                "terrain size \(width)x\(height) is out of range; each side must be 1 to \(Self.maximumSide)")
        }
        guard (0..<TerrainGenerator.nativeSize).contains(tileOverlap) else {
            throw MedleyError.invalidArgument(
                "tile overlap \(tileOverlap) is out of range; give 0 to \(TerrainGenerator.nativeSize - 1)")
        }
    }
}
