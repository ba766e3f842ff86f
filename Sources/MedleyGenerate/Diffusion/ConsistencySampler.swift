import MedleyCore

/// Multistep consistency sampling (Song, Dhariwal, Chen, Sutskever 2023, Algorithm 1).
///
/// The denoiser is a consistency function f(x, sigma) that maps any point of an ODE trajectory to its origin.
/// Step 1: `x0 = f(sigmas[0] * z, sigmas[0])` (one step: done). Every further level `sigma`:
/// `x = x0 + sqrt(sigma^2 - sigmaMin^2) * z'` with fresh noise `z'`, then `x0 = f(x, sigma)`. More steps trade
/// time for quality on models trained for it; a model distilled for one step only may not improve.
public struct ConsistencySampler: DiffusionSampler {
    /// The model's smallest noise level (its boundary condition f(x, sigmaMin) = x).
    public let sigmaMin: Double

    public var name: String { SamplerName.consistency.rawValue }

    /// A consistency sampler for a model whose boundary noise level is `sigmaMin`.
    ///
    /// - Throws: `invalidArgument` for a `sigmaMin` that is not positive and finite.
    public init(sigmaMin: Double) throws {
        guard sigmaMin > 0, sigmaMin.isFinite else {
            throw MedleyError.invalidArgument("a consistency sampler needs a positive sigma_min, got \(sigmaMin)")
        }
        self.sigmaMin = sigmaMin
    }

    /// `steps` evaluation levels for this sampler: the `steps + 1` levels of `schedule` from `sigmaMax` to
    /// ``sigmaMin`` without the last (evaluating at `sigmaMin` itself would return its input). One step is
    /// `[sigmaMax]`.
    public func levels(steps: Int, schedule: NoiseSchedule, sigmaMax: Double) throws -> [Double] {
        guard steps >= 1 else {
            throw MedleyError.invalidArgument("consistency sampling needs at least 1 step, got \(steps)")
        }
        return Array(try schedule.sigmas(count: steps + 1, sigmaMin: sigmaMin, sigmaMax: sigmaMax).dropLast())
    }

    public func sample(
        denoiser: any Denoiser, initialNoise: SampleBatch, sigmas: [Double], conditioning: DiffusionConditioning,
        noise: inout [GaussianNoise], progress: any ProgressReporter
    ) throws -> SampleBatch {
        try validate(initialNoise: initialNoise, sigmas: sigmas, noise: noise)
        guard let last = sigmas.last, last > sigmaMin else {
            throw MedleyError.invalidArgument(
                "consistency sampling levels must stay above sigma_min \(sigmaMin), got \(sigmas)")
        }
        var x0 = try denoise(denoiser, try scaledNoise(initialNoise, sigma: sigmas[0]), sigma: sigmas[0],
                             conditioning: conditioning)
        report(progress, done: 1, total: sigmas.count)
        for (step, sigma) in sigmas.enumerated().dropFirst() {
            let fresh = try freshNoise(like: x0, from: &noise)
            let scale = Float((sigma * sigma - sigmaMin * sigmaMin).squareRoot())
            var values = x0.values
            for index in values.indices { values[index] += fresh.values[index] * scale }
            x0 = try denoise(denoiser, try x0.replacingValues(values), sigma: sigma, conditioning: conditioning)
            report(progress, done: step + 1, total: sigmas.count)
        }
        return x0
    }
}
