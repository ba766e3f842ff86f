import MedleyCore

/// DDIM (Song, Meng, Ermon 2021) written in sigma space: predict `x0 = D(x, sigma)`, take the implied noise
/// `eps = (x - x0) / sigma`, and move to the next level, `x' = x0 + sigma_down * eps + sigma_up * z`.
///
/// DDIM's variance-preserving update, divided by `sqrt(alpha_bar)` and with `sigma^2 = (1 - alpha_bar) / alpha_bar`,
/// becomes exactly this with `sigma_up = eta * sqrt(next^2 (sigma^2 - next^2) / sigma^2)` and
/// `sigma_down = sqrt(next^2 - sigma_up^2)`. With `eta = 0` (the default, deterministic DDIM) the step is
/// algebraically the Euler step (Karras et al. 2022 make the same observation); the two differ only in float
/// rounding, which the tests check. With `eta = 1` it is the ancestral (DDPM-like) sampler; its fresh noise `z` comes
/// from the per-sample generators.
public struct DDIMSampler: DiffusionSampler {
    /// How much fresh noise each step injects: 0 deterministic, 1 DDPM-like.
    public let eta: Double

    public var name: String { SamplerName.ddim.rawValue }

    /// A DDIM sampler.
    ///
    /// - Throws: `invalidArgument` for an `eta` outside [0, 1].
    public init(eta: Double = 0) throws {
        guard (0...1).contains(eta) else {
            throw MedleyError.invalidArgument("DDIM's eta must be in [0, 1], got \(eta)")
        }
        self.eta = eta
    }

    public func sample(
        denoiser: any Denoiser, initialNoise: SampleBatch, sigmas: [Double], conditioning: DiffusionConditioning,
        noise: inout [GaussianNoise], progress: any ProgressReporter
    ) throws -> SampleBatch {
        try validate(initialNoise: initialNoise, sigmas: sigmas, noise: noise)
        var x = try scaledNoise(initialNoise, sigma: sigmas[0])
        for (step, sigma) in sigmas.enumerated() {
            let denoised = try denoise(denoiser, x, sigma: sigma, conditioning: conditioning)
            let next = step + 1 < sigmas.count ? sigmas[step + 1] : 0
            let up = next == 0 ? 0 : min(next, eta * (next * next * (sigma * sigma - next * next) / (sigma * sigma))
                .squareRoot())
            let down = (next * next - up * up).squareRoot()
            let epsilonScale = Float(down / sigma)
            var values = denoised.values
            for index in values.indices {
                values[index] += (x.values[index] - denoised.values[index]) * epsilonScale
            }
            if up > 0 {
                let fresh = try freshNoise(like: x, from: &noise)
                let scale = Float(up)
                for index in values.indices { values[index] += fresh.values[index] * scale }
            }
            x = try x.replacingValues(values)
            report(progress, done: step + 1, total: sigmas.count)
        }
        return x
    }
}
