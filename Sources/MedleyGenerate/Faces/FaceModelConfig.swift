import Foundation
import MedleyCore

/// The settings of random_face's `configs/config.json` that shape generation: the noise size, how many noises
/// estimate the mean style, and how the synthesis network's output becomes pixels.
///
/// The file names the IR files too (`mnet_xml`...); the store fixes those names, so they are not read.
public struct FaceModelConfig: Sendable, Equatable, Decodable {
    /// Length of the noise and of the style vector (512).
    public var styleDimension: Int
    /// How many mapped noises are averaged into the mean style that truncation pulls towards (4096).
    public var meanSampleCount: Int
    /// Whether the output is clipped to ``outputRange`` and scaled to [0, 1] before `* 255`.
    public var normalizes: Bool
    /// The range of the network's output values ([-1, 1]).
    public var outputRange: ClosedRange<Float>
    /// random_face flips the channels for OpenCV (`img_rgb2bgr`): its network emits R, G, B.
    public var flipsToBGR: Bool

    enum CodingKeys: String, CodingKey {
        case styleDimension = "style_dim"
        case meanSampleCount = "n_samples"
        case normalizes = "img_normalize"
        case outputRange = "img_range"
        case flipsToBGR = "img_rgb2bgr"
    }

    /// A configuration from its fields.
    public init(styleDimension: Int, meanSampleCount: Int, normalizes: Bool, outputRange: ClosedRange<Float>,
                flipsToBGR: Bool) {
        self.styleDimension = styleDimension
        self.meanSampleCount = meanSampleCount
        self.normalizes = normalizes
        self.outputRange = outputRange
        self.flipsToBGR = flipsToBGR
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        styleDimension = try c.decode(Int.self, forKey: .styleDimension)
        meanSampleCount = try c.decode(Int.self, forKey: .meanSampleCount)
        normalizes = try c.decode(Bool.self, forKey: .normalizes)
        let range = try c.decode([Float].self, forKey: .outputRange)
        guard range.count == 2, range[0] < range[1] else {
            throw DecodingError.dataCorruptedError(
                forKey: .outputRange, in: c, debugDescription: "img_range must be [low, high] with low < high")
        }
        outputRange = range[0]...range[1]
        flipsToBGR = try c.decode(Bool.self, forKey: .flipsToBGR)
    }

    /// Reads and checks `config.json`.
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` naming the file when it is not such a config or holds
    ///   sizes Medley cannot use.
    public static func load(path: String, modelID: String) throws -> FaceModelConfig {
        try requireReadableFile(path)
        let config: FaceModelConfig
        do {
            config = try JSONDecoder().decode(FaceModelConfig.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw MedleyError.invalidModel(id: modelID, reason: "\(path) is not random_face's config.json (\(error))")
        }
        // Bounds: a noise must fit one inference, and the mean needs at least one sample; 1 << 16 keeps the
        // batched mapping input (n x 512 floats) at 128 MiB at most.
        guard (1...4096).contains(config.styleDimension), (1...(1 << 16)).contains(config.meanSampleCount) else {
            throw MedleyError.invalidModel(
                id: modelID, reason: "\(path): style_dim \(config.styleDimension) or n_samples "
                    + "\(config.meanSampleCount) is out of range")
        }
        return config
    }
}
