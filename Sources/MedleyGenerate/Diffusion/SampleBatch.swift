import MedleyCore

/// A batch of samples a diffusion model works on: `count` samples of one shape, as float32 values.
///
/// A sample is whatever the denoiser takes apart from its batch dimension: `[1, 128, 128]` for a heightmap,
/// `[4, 64, 64]` for a Stable Diffusion latent. Values are row-major, sample after sample.
public struct SampleBatch: Sendable, Equatable {
    /// The number of samples.
    public let count: Int
    /// The shape of one sample, without the batch dimension.
    public let sampleShape: [Int]
    /// `count * sampleSize` values, sample after sample.
    public var values: [Float]

    /// Values per sample: the product of ``sampleShape``.
    public var sampleSize: Int { sampleShape.reduce(1, *) }
    /// The batch's full shape, `[count] + sampleShape`.
    public var shape: [Int] { [count] + sampleShape }

    /// A batch over `values`.
    ///
    /// - Throws: `invalidArgument` when a dimension is not positive or the value count does not match the shape.
    public init(count: Int, sampleShape: [Int], values: [Float]) throws {
        guard count > 0, !sampleShape.isEmpty, sampleShape.allSatisfy({ $0 > 0 }) else {
            throw MedleyError.invalidArgument(
                "a sample batch needs a positive count and sample shape, got \(count) x \(sampleShape)")
        }
        let expected = count * sampleShape.reduce(1, *)
        guard values.count == expected else {
            throw MedleyError.invalidArgument(
                "a batch of \(count) samples of shape \(sampleShape) needs \(expected) values, got \(values.count)")
        }
        self.count = count
        self.sampleShape = sampleShape
        self.values = values
    }

    /// Standard normal noise: sample `i` takes the next `sampleSize` values of `generators[i]`'s stream (so a
    /// sample's noise depends only on its own seed, not on the batch it is drawn in).
    ///
    /// - Throws: `invalidArgument` for an empty generator list or an invalid shape.
    public static func standardNormal(sampleShape: [Int], generators: inout [GaussianNoise]) throws -> SampleBatch {
        guard !generators.isEmpty else {
            throw MedleyError.invalidArgument("noise for a sample batch needs at least one seed")
        }
        let size = sampleShape.reduce(1, *)
        var values: [Float] = []
        values.reserveCapacity(generators.count * max(0, size))
        for index in generators.indices {
            values.append(contentsOf: generators[index].normals(count: size))
        }
        return try SampleBatch(count: generators.count, sampleShape: sampleShape, values: values)
    }

    /// The values of sample `index`.
    public func sample(_ index: Int) -> ArraySlice<Float> {
        values[(index * sampleSize)..<((index + 1) * sampleSize)]
    }

    /// The batch as a runtime tensor of shape ``shape``.
    public func tensor() throws -> Tensor {
        try Tensor(shape: shape, floats: values)
    }

    /// A batch with `values` and this batch's shape (a sampler's next iterate).
    func replacingValues(_ newValues: [Float]) throws -> SampleBatch {
        try SampleBatch(count: count, sampleShape: sampleShape, values: newValues)
    }

    /// The samples `range` of this batch.
    func samples(_ range: Range<Int>) throws -> SampleBatch {
        try SampleBatch(count: range.count, sampleShape: sampleShape,
                        values: Array(values[(range.lowerBound * sampleSize)..<(range.upperBound * sampleSize)]))
    }

    /// The batches one after the other (they must share a sample shape).
    static func concatenated(_ batches: [SampleBatch]) throws -> SampleBatch {
        guard let first = batches.first else {
            throw MedleyError.internal("concatenating an empty list of sample batches")
        }
        guard batches.allSatisfy({ $0.sampleShape == first.sampleShape }) else {
            throw MedleyError.internal("concatenating sample batches of different sample shapes")
        }
        return try SampleBatch(count: batches.reduce(0) { $0 + $1.count }, sampleShape: first.sampleShape,
                               values: batches.flatMap(\.values))
    }
}
