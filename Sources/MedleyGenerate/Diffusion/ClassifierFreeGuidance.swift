import MedleyCore

/// Classifier-free guidance (Ho and Salimans 2022) as a denoiser wrapper: the prediction under the caller's
/// conditioning and under ``unconditional`` are combined as `uncond + scale * (cond - uncond)`.
///
/// Scale 1 is the plain conditional model (one call, no extra work); scale 0 the unconditional one; Stable Diffusion
/// pipelines use about 7.5. Any sampler works on top, since guidance only changes the denoiser. With ``oneCall``
/// both halves go through the model as one batch of twice the size (what diffusers does; faster when the model
/// batches well), otherwise as two calls. Guidance needs a model trained with conditioning dropout: the terrain
/// model is directly conditioned and does not use it.
public struct ClassifierFreeGuidance: Denoiser {
    /// The conditional model.
    public let base: any Denoiser
    /// The inputs that stand for "no condition" (the empty-prompt embedding for Stable Diffusion), batched like the
    /// conditioning the sampler passes.
    public let unconditional: DiffusionConditioning
    /// The guidance scale.
    public let scale: Float
    /// Whether both predictions come from one doubled batch.
    public let oneCall: Bool

    /// Guidance over `base`.
    ///
    /// - Throws: `invalidArgument` for a scale that is not finite.
    public init(base: any Denoiser, unconditional: DiffusionConditioning, scale: Float, oneCall: Bool = true) throws {
        guard scale.isFinite else {
            throw MedleyError.invalidArgument("the guidance scale must be a finite number, got \(scale)")
        }
        self.base = base
        self.unconditional = unconditional
        self.scale = scale
        self.oneCall = oneCall
    }

    public func denoise(_ noisy: SampleBatch, sigmas: [Float], conditioning: DiffusionConditioning) throws
        -> SampleBatch
    {
        if scale == 1 { return try base.denoise(noisy, sigmas: sigmas, conditioning: conditioning) }
        let conditional: SampleBatch
        let free: SampleBatch
        if oneCall {
            let both = try base.denoise(
                try SampleBatch.concatenated([noisy, noisy]), sigmas: sigmas + sigmas,
                conditioning: try DiffusionConditioning.concatenated([conditioning, unconditional]))
            guard both.count == 2 * noisy.count, both.sampleShape == noisy.sampleShape else {
                throw MedleyError.internal(
                    "the guided denoiser returned shape \(both.shape) for \(2 * noisy.count) samples")
            }
            conditional = try both.samples(0..<noisy.count)
            free = try both.samples(noisy.count..<(2 * noisy.count))
        } else {
            conditional = try base.denoise(noisy, sigmas: sigmas, conditioning: conditioning)
            free = try base.denoise(noisy, sigmas: sigmas, conditioning: unconditional)
        }
        guard conditional.shape == noisy.shape, free.shape == noisy.shape else {
            throw MedleyError.internal("the guided denoiser returned a batch of another shape than \(noisy.shape)")
        }
        var values = free.values
        for index in values.indices {
            values[index] += scale * (conditional.values[index] - values[index])
        }
        return try noisy.replacingValues(values)
    }
}
