import MedleyCore
import MedleyRuntime

/// A ``Denoiser`` over any model OpenVINO runs (ONNX, TFLite, IR) that predicts clean samples from three kinds of
/// named inputs: the noisy batch, one noise level per sample, and the conditioning tensors (fed by their names).
///
/// Batches larger than ``maximumBatch`` run in chunks. The model comes either compiled once (a model compiled with a
/// static batch dimension is filled up to it by repeating the chunk's last sample, the extra rows dropped; a dynamic
/// one runs each chunk at its own size), or from a closure that compiles it for each batch size it is asked for,
/// with static shapes, which OpenVINO's CPU plugin runs much faster (the closure should go through
/// `Runtime.compiledModel`, whose cache makes each size compile once per process). Thread-safe: the compiled models
/// hand each call its own infer request.
public final class OpenVINODenoiser: Denoiser {
    /// The input that takes the noisy batch.
    public let sampleInput: String
    /// The input that takes the noise levels, shape [B].
    public let sigmaInput: String
    /// The output that holds the clean-sample prediction.
    public let output: String
    /// The most samples sent to the model in one call.
    public let maximumBatch: Int

    private enum Source: Sendable {
        /// One compiled model, and its fixed batch size when it has one.
        case compiled(CompiledModel, staticBatch: Int?)
        /// A model compiled for each batch size.
        case perBatch(@Sendable (Int) throws -> CompiledModel)
    }

    private let source: Source

    /// A denoiser over one compiled model's ports.
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` when a named port is missing (the message lists the model's
    ///   ports); `invalidArgument` for a non-positive `maximumBatch`.
    public init(model: CompiledModel, sampleInput: String, sigmaInput: String, output: String,
                maximumBatch: Int = 16) throws {
        guard maximumBatch > 0 else {
            throw MedleyError.invalidArgument("a denoiser's maximum batch must be positive, got \(maximumBatch)")
        }
        self.sampleInput = sampleInput
        self.sigmaInput = sigmaInput
        self.output = output
        let batch = model.inputs.first { $0.name == sampleInput }?.shape.first?.fixedValue
        self.maximumBatch = batch.map { min($0, maximumBatch) } ?? maximumBatch
        source = .compiled(model, staticBatch: batch)
        try checkPorts(of: model)
    }

    /// A denoiser over a model that `compile` compiles for a given batch size (called lazily, once per size that is
    /// needed, if it caches).
    ///
    /// - Throws: `invalidArgument` for a non-positive `maximumBatch`. Missing ports are reported on first use.
    public init(sampleInput: String, sigmaInput: String, output: String, maximumBatch: Int = 16,
                compile: @escaping @Sendable (Int) throws -> CompiledModel) throws {
        guard maximumBatch > 0 else {
            throw MedleyError.invalidArgument("a denoiser's maximum batch must be positive, got \(maximumBatch)")
        }
        self.sampleInput = sampleInput
        self.sigmaInput = sigmaInput
        self.output = output
        self.maximumBatch = maximumBatch
        source = .perBatch(compile)
    }

    /// Compiles the model for the chunk sizes that batches of `counts` samples will run at, ahead of sampling (so
    /// that compile time is not counted as sampling time). Does nothing for a model compiled once.
    public func prepare(batchesOf counts: [Int]) throws {
        var sizes = Set<Int>()
        for count in counts where count > 0 {
            if count >= maximumBatch { sizes.insert(maximumBatch) }
            if count % maximumBatch != 0 { sizes.insert(count % maximumBatch) }
        }
        for size in sizes.sorted() { _ = try model(for: size) }
    }

    /// The model for a chunk of `count` samples and the batch size it runs at.
    func model(for count: Int) throws -> (CompiledModel, Int) {
        switch source {
        case .compiled(let model, let staticBatch):
            return (model, staticBatch ?? count)
        case .perBatch(let compile):
            let model = try compile(count)
            try checkPorts(of: model)
            return (model, count)
        }
    }

    private func checkPorts(of model: CompiledModel) throws {
        let inputNames = model.inputs.map(\.name), outputNames = model.outputs.map(\.name)
        for name in [sampleInput, sigmaInput] where !inputNames.contains(name) {
            throw MedleyError.invalidModel(
                id: model.path, reason: "has no input '\(name)' (inputs: \(inputNames.joined(separator: ", ")))")
        }
        guard outputNames.contains(output) else {
            throw MedleyError.invalidModel(
                id: model.path, reason: "has no output '\(output)' (outputs: \(outputNames.joined(separator: ", ")))")
        }
    }

    public func denoise(_ noisy: SampleBatch, sigmas: [Float], conditioning: DiffusionConditioning) throws
        -> SampleBatch
    {
        guard sigmas.count == noisy.count else {
            throw MedleyError.invalidArgument("\(noisy.count) samples were given \(sigmas.count) noise levels")
        }
        var predicted: [Float] = []
        predicted.reserveCapacity(noisy.values.count)
        var start = 0
        while start < noisy.count {
            if Task.isCancelled { throw MedleyError.cancelled }
            let end = min(start + maximumBatch, noisy.count)
            // Rows of this chunk, padded with its last row when the model wants a fixed batch.
            let (model, size) = try self.model(for: end - start)
            let rows = (0..<size).map { min(start + $0, end - 1) }
            var values: [Float] = []
            values.reserveCapacity(size * noisy.sampleSize)
            for row in rows { values.append(contentsOf: noisy.sample(row)) }
            var inputs = try conditioning.rows(rows).inputs
            inputs[sampleInput] = try Tensor(shape: [size] + noisy.sampleShape, floats: values)
            inputs[sigmaInput] = try Tensor(shape: [size], floats: rows.map { sigmas[$0] })
            guard let result = try model.run(inputs)[output] else {
                throw MedleyError.invalidModel(id: model.path, reason: "gave no output '\(output)'")
            }
            let floats = result.floats()
            let kept = (end - start) * noisy.sampleSize
            guard floats.count == size * noisy.sampleSize else {
                throw MedleyError.invalidModel(
                    id: model.path,
                    reason: "output '\(output)' has shape \(result.shape); expected \([size] + noisy.sampleShape)")
            }
            predicted.append(contentsOf: floats[0..<kept])
            start = end
        }
        return try noisy.replacingValues(predicted)
    }
}
