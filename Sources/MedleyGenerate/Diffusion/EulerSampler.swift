import MedleyCore

/// Euler's method on the probability-flow ODE `dx/dsigma = (x - D(x, sigma)) / sigma` (Karras et al. 2022,
/// Algorithm 1 without second-order correction or churn; k-diffusion's `sample_euler`).
///
/// Steps from each level to the next and, after the last level, to sigma 0, where the result is the denoiser's
/// last prediction. Deterministic: only the initial noise matters.
public struct EulerSampler: DiffusionSampler {
    public var name: String { SamplerName.euler.rawValue }

    /// An Euler sampler.
    public init() {}

    public func sample(
        denoiser: any Denoiser, initialNoise: SampleBatch, sigmas: [Double], conditioning: DiffusionConditioning,
        noise: inout [GaussianNoise], progress: any ProgressReporter
    ) throws -> SampleBatch {
        try validate(initialNoise: initialNoise, sigmas: sigmas, noise: noise)
        var x = try scaledNoise(initialNoise, sigma: sigmas[0])
        for (step, sigma) in sigmas.enumerated() {
            let denoised = try denoise(denoiser, x, sigma: sigma, conditioning: conditioning)
            if step == sigmas.count - 1 {
                // The step to sigma 0 lands exactly on the prediction: x + (x - D) / s * (0 - s) = D.
                x = denoised
            } else {
                // x + d * (next - sigma) with d = (x - D) / sigma, the ratio folded into one factor.
                let factor = Float((sigmas[step + 1] - sigma) / sigma)
                var values = x.values
                for index in values.indices {
                    values[index] += (values[index] - denoised.values[index]) * factor
                }
                x = try x.replacingValues(values)
            }
            report(progress, done: step + 1, total: sigmas.count)
        }
        return x
    }
}
