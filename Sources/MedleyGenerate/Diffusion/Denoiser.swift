import MedleyCore

/// A diffusion model seen from the sampler: given noisy samples `x = x0 + sigma * n` and their noise levels, it
/// predicts the clean samples `x0` (the "denoiser" D(x, sigma) of Karras et al. 2022, the parameterisation
/// k-diffusion samplers work in).
///
/// Models that predict something else are adapted to this form by a wrapper: a consistency model already returns
/// x0; an epsilon-predicting Stable Diffusion UNet would return `x - sigma * eps` after scaling its input (see
/// docs/generation.md). Samplers call ``denoise(_:sigmas:conditioning:)`` once per step with the whole batch.
///
/// Implementations must be thread-safe (`Sendable`): one denoiser can serve several generations at once.
public protocol Denoiser: Sendable {
    /// The clean-sample prediction for each sample of `noisy`.
    ///
    /// - Parameters:
    ///   - noisy: the batch at the current step.
    ///   - sigmas: one noise level per sample (`sigmas.count == noisy.count`).
    ///   - conditioning: extra model inputs, batched like `noisy` (a difficulty label, a text embedding).
    /// - Returns: a batch of the same shape.
    func denoise(_ noisy: SampleBatch, sigmas: [Float], conditioning: DiffusionConditioning) throws -> SampleBatch
}

/// The inputs that steer a denoiser besides the noisy sample and its noise level: named tensors whose first
/// dimension is the batch (`difficulty` [B] for the terrain model; `encoder_hidden_states` [B, 77, 768] for a
/// Stable Diffusion UNet). An ``OpenVINODenoiser`` feeds each one to the model input of the same name.
public struct DiffusionConditioning: Sendable, Equatable {
    /// The tensors by model input name.
    public var inputs: [String: Tensor]

    /// Conditioning from named tensors.
    public init(_ inputs: [String: Tensor] = [:]) {
        self.inputs = inputs
    }

    /// No conditioning (an unconditional model).
    public static let none = DiffusionConditioning()

    /// One float per sample under `name` (a class label, a difficulty).
    public static func scalars(_ name: String, _ values: [Float]) throws -> DiffusionConditioning {
        DiffusionConditioning([name: try Tensor(shape: [values.count], floats: values)])
    }

    /// The conditioning of the samples at `indices`, in that order (rows of every tensor).
    ///
    /// - Throws: `invalidArgument` when a tensor has no batch dimension or an index is out of range.
    public func rows(_ indices: [Int]) throws -> DiffusionConditioning {
        var picked: [String: Tensor] = [:]
        for (name, tensor) in inputs {
            guard let batch = tensor.shape.first, batch > 0 else {
                throw MedleyError.invalidArgument("conditioning input '\(name)' has no batch dimension")
            }
            let rowBytes = tensor.bytes.count / batch
            var bytes: [UInt8] = []
            bytes.reserveCapacity(rowBytes * indices.count)
            for index in indices {
                guard (0..<batch).contains(index) else {
                    throw MedleyError.invalidArgument(
                        "conditioning input '\(name)' has \(batch) rows; row \(index) was asked for")
                }
                bytes.append(contentsOf: tensor.bytes[(index * rowBytes)..<((index + 1) * rowBytes)])
            }
            picked[name] = try Tensor(shape: [indices.count] + tensor.shape.dropFirst(),
                                      elementType: tensor.elementType, bytes: bytes)
        }
        return DiffusionConditioning(picked)
    }

    /// The conditionings one after the other along the batch dimension (every one must have the same names,
    /// element types and per-sample shapes): how classifier-free guidance runs both halves in one model call.
    ///
    /// - Throws: `invalidArgument` when the inputs do not line up.
    public static func concatenated(_ parts: [DiffusionConditioning]) throws -> DiffusionConditioning {
        guard let first = parts.first else { return .none }
        var joined: [String: Tensor] = [:]
        for (name, tensor) in first.inputs {
            var bytes: [UInt8] = []
            var batch = 0
            for part in parts {
                guard let other = part.inputs[name], other.elementType == tensor.elementType,
                      other.shape.dropFirst() == tensor.shape.dropFirst(), let rows = other.shape.first
                else {
                    throw MedleyError.invalidArgument(
                        "conditioning input '\(name)' differs in type or shape between the batches to join")
                }
                bytes.append(contentsOf: other.bytes)
                batch += rows
            }
            joined[name] = try Tensor(shape: [batch] + tensor.shape.dropFirst(), elementType: tensor.elementType,
                                      bytes: bytes)
        }
        guard parts.allSatisfy({ Set($0.inputs.keys) == Set(first.inputs.keys) }) else {
            throw MedleyError.invalidArgument("the conditionings to join name different inputs")
        }
        return DiffusionConditioning(joined)
    }
}
