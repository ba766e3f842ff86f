import Foundation
import MedleyCore

/// A way of turning noise into samples with a ``Denoiser``, one model evaluation per noise level.
///
/// Every sampler starts from `x = sigmas[0] * initialNoise` and evaluates the denoiser once at each level of
/// `sigmas` (descending, from a ``NoiseSchedule``), so `sigmas.count` is the number of model calls. Samplers that
/// add fresh noise on the way (consistency multistep, DDIM with `eta > 0`) draw it from `noise`, sample `i` from
/// `noise[i]`, after the initial noise: a seed fixes the whole run. With one level every sampler returns the
/// denoiser's prediction from pure noise, the one-step sampling of a consistency model.
public protocol DiffusionSampler: Sendable {
    /// The name recorded in provenance: `euler`, `ddim`, `consistency`.
    var name: String { get }

    /// Samples a batch.
    ///
    /// - Parameters:
    ///   - denoiser: the model.
    ///   - initialNoise: standard normal noise, one sample per output.
    ///   - sigmas: the noise levels, descending, `sigmas[0]` the level of pure noise.
    ///   - conditioning: batched like `initialNoise`.
    ///   - noise: one generator per sample, for noise added during sampling.
    ///   - progress: receives `sample` events in steps.
    /// - Throws: `invalidArgument` for an empty or increasing schedule or a generator count that does not match;
    ///   ``MedleyError/cancelled`` when the surrounding task is cancelled; the denoiser's errors.
    func sample(
        denoiser: any Denoiser, initialNoise: SampleBatch, sigmas: [Double], conditioning: DiffusionConditioning,
        noise: inout [GaussianNoise], progress: any ProgressReporter
    ) throws -> SampleBatch
}

extension DiffusionSampler {
    /// Checks the arguments every sampler shares.
    func validate(initialNoise: SampleBatch, sigmas: [Double], noise: [GaussianNoise]) throws {
        guard let first = sigmas.first else {
            throw MedleyError.invalidArgument("\(name) sampling needs at least one noise level")
        }
        guard first.isFinite, sigmas.allSatisfy({ $0 > 0 }), zip(sigmas, sigmas.dropFirst()).allSatisfy({ $0 > $1 })
        else {
            throw MedleyError.invalidArgument(
                "\(name) sampling needs positive, strictly decreasing noise levels, got \(sigmas)")
        }
        guard noise.count == initialNoise.count else {
            throw MedleyError.invalidArgument(
                "\(name) sampling of \(initialNoise.count) samples was given \(noise.count) noise generators")
        }
    }

    /// One denoiser call at a single noise level for the whole batch, with a check of what comes back.
    func denoise(_ denoiser: any Denoiser, _ x: SampleBatch, sigma: Double,
                 conditioning: DiffusionConditioning) throws -> SampleBatch {
        if Task.isCancelled { throw MedleyError.cancelled }
        let predicted = try denoiser.denoise(x, sigmas: [Float](repeating: Float(sigma), count: x.count),
                                             conditioning: conditioning)
        guard predicted.count == x.count, predicted.sampleShape == x.sampleShape else {
            throw MedleyError.internal(
                "the denoiser returned shape \(predicted.shape) for an input of shape \(x.shape)")
        }
        return predicted
    }

    /// Reports step `done` of `total`.
    func report(_ progress: any ProgressReporter, done: Int, total: Int) {
        progress.report(ProgressEvent(stage: "sample", completed: Double(done), total: Double(total), unit: "steps"))
    }

    /// `sigma * noise`, the starting point of every sampler, computed in float32 as the reference code does.
    func scaledNoise(_ noise: SampleBatch, sigma: Double) throws -> SampleBatch {
        let scale = Float(sigma)
        return try noise.replacingValues(noise.values.map { $0 * scale })
    }

    /// Fresh standard normal noise for every sample, each from its own generator.
    func freshNoise(like batch: SampleBatch, from noise: inout [GaussianNoise]) throws -> SampleBatch {
        try SampleBatch.standardNormal(sampleShape: batch.sampleShape, generators: &noise)
    }
}

/// The sampler of a name as the command line spells it.
public enum SamplerName: String, Sendable, CaseIterable {
    case euler, ddim, consistency
}
