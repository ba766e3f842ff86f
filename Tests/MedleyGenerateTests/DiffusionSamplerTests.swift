import Foundation
import MedleyCore
@testable import MedleyGenerate
import XCTest

/// The sampling engine on a model whose answers are known exactly: data drawn from N(mu, s^2) per value. For that
/// data the ideal denoiser is `D(x, sigma) = mu + s^2 / (s^2 + sigma^2) * (x - mu)`, the probability-flow ODE keeps
/// `(x - mu) / sqrt(s^2 + sigma^2)` constant, and the consistency function is
/// `f(x, sigma) = mu + sqrt(s^2 + sigma_min^2) / sqrt(s^2 + sigma^2) * (x - mu)`. So every sampler's output can be
/// checked against the exact solution and against the data's mean and spread.
final class DiffusionSamplerTests: XCTestCase {
    static let mu: Float = 0.5
    static let spread: Float = 0.2
    static let sigmaMin = 0.002
    static let sigmaMax = 80.0
    /// 4 samples of 1x64x64: 16384 values, so sample means are within about 0.005 of the truth (3 standard errors).
    static let sampleShape = [1, 64, 64]
    static let seeds = (0..<4).map { GenerationSeed(UInt64(1000 + $0)) }

    /// The ideal denoiser of N(mu, s^2) data; a per-sample `mean` conditioning input overrides mu.
    struct GaussianDenoiser: Denoiser {
        var mu = DiffusionSamplerTests.mu
        var spread = DiffusionSamplerTests.spread

        func denoise(_ noisy: SampleBatch, sigmas: [Float], conditioning: DiffusionConditioning) throws
            -> SampleBatch
        {
            let means = conditioning.inputs["mean"]?.floats()
            var values = noisy.values
            for sample in 0..<noisy.count {
                let mean = means?[sample] ?? mu
                let variance = Double(spread * spread), sigma = Double(sigmas[sample])
                let keep = Float(variance / (variance + sigma * sigma))
                for index in (sample * noisy.sampleSize)..<((sample + 1) * noisy.sampleSize) {
                    values[index] = mean + keep * (values[index] - mean)
                }
            }
            return try SampleBatch(count: noisy.count, sampleShape: noisy.sampleShape, values: values)
        }
    }

    /// The exact consistency function of N(mu, s^2) data.
    struct GaussianConsistencyFunction: Denoiser {
        func denoise(_ noisy: SampleBatch, sigmas: [Float], conditioning: DiffusionConditioning) throws
            -> SampleBatch
        {
            let variance = Double(spread * spread)
            var values = noisy.values
            for sample in 0..<noisy.count {
                let sigma = Double(sigmas[sample])
                let factor = Float(((variance + sigmaMin * sigmaMin) / (variance + sigma * sigma)).squareRoot())
                for index in (sample * noisy.sampleSize)..<((sample + 1) * noisy.sampleSize) {
                    values[index] = mu + factor * (values[index] - mu)
                }
            }
            return try SampleBatch(count: noisy.count, sampleShape: noisy.sampleShape, values: values)
        }
    }

    // MARK: - Helpers

    private func run(_ sampler: any DiffusionSampler, denoiser: any Denoiser = GaussianDenoiser(), sigmas: [Double],
                     conditioning: DiffusionConditioning = .none) throws -> (noise: SampleBatch, result: SampleBatch) {
        var generators = Self.seeds.map { GaussianNoise(seed: $0) }
        let noise = try SampleBatch.standardNormal(sampleShape: Self.sampleShape, generators: &generators)
        let result = try sampler.sample(denoiser: denoiser, initialNoise: noise, sigmas: sigmas,
                                        conditioning: conditioning, noise: &generators, progress: SilentProgress())
        return (noise, result)
    }

    private func karras(_ count: Int) throws -> [Double] {
        try NoiseSchedule.karras.sigmas(count: count, sigmaMin: Self.sigmaMin, sigmaMax: Self.sigmaMax)
    }

    private func meanAndDeviation(_ values: [Float]) -> (Double, Double) {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    /// The exact end of the probability-flow ODE from `x_T = sigmaMax * z`.
    private func exactODE(_ noise: SampleBatch, mu: Float = mu) -> [Float] {
        let variance = Double(Self.spread * Self.spread)
        let factor = Double(Self.spread) / (variance + Self.sigmaMax * Self.sigmaMax).squareRoot()
        return noise.values.map { Float(Double(mu) + factor * (Self.sigmaMax * Double($0) - Double(mu))) }
    }

    private func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    // MARK: - Schedules

    func testKarrasScheduleRunsFromSigmaMaxToSigmaMinAndFalls() throws {
        let levels = try karras(10)
        XCTAssertEqual(levels.count, 10)
        XCTAssertEqual(levels.first, Self.sigmaMax)
        XCTAssertEqual(levels.last, Self.sigmaMin)
        for (higher, lower) in zip(levels, levels.dropFirst()) { XCTAssertGreaterThan(higher, lower) }
        // EDM eq. 5 at i = 5 of 9, rho 7.
        let root = pow(80.0, 1 / 7.0) + 5 / 9.0 * (pow(0.002, 1 / 7.0) - pow(80.0, 1 / 7.0))
        XCTAssertEqual(levels[5], pow(root, 7), accuracy: 1e-12)
        XCTAssertEqual(try karras(1), [Self.sigmaMax])
    }

    func testLinearScheduleIsEvenAndKarrasSpendsMoreStepsAtLowNoise() throws {
        let linear = try NoiseSchedule.linear.sigmas(count: 9, sigmaMin: Self.sigmaMin, sigmaMax: Self.sigmaMax)
        XCTAssertEqual(linear.first, Self.sigmaMax)
        XCTAssertEqual(linear.last, Self.sigmaMin)
        let gaps = zip(linear, linear.dropFirst()).map { $0 - $1 }
        for gap in gaps { XCTAssertEqual(gap, gaps[0], accuracy: 1e-9) }
        XCTAssertLessThan(try karras(9)[4], linear[4] / 10, "Karras's middle level should be far below linear's")
    }

    func testSchedulesRejectBadArguments() {
        XCTAssertThrowsError(try karras(0))
        XCTAssertThrowsError(try NoiseSchedule.karras.sigmas(count: 5, sigmaMin: 1, sigmaMax: 0.5))
        XCTAssertThrowsError(try NoiseSchedule.karras.sigmas(count: 5, sigmaMin: 0, sigmaMax: 80))
        XCTAssertThrowsError(try NoiseSchedule.karras(rho: -1).sigmas(count: 5, sigmaMin: 0.1, sigmaMax: 80))
        XCTAssertThrowsError(try NoiseSchedule(parsing: "cosine"))
        XCTAssertEqual(try NoiseSchedule(parsing: "simple"), .linear)
    }

    // MARK: - Noise

    func testEachSampleTakesItsNoiseFromItsOwnSeed() throws {
        var generators = [GaussianNoise(seed: GenerationSeed(5)), GaussianNoise(seed: GenerationSeed(signed: -9))]
        let batch = try SampleBatch.standardNormal(sampleShape: [2, 3], generators: &generators)
        XCTAssertEqual(Array(batch.sample(1)), GaussianNoise.normals(count: 6, seed: GenerationSeed(signed: -9)))
        XCTAssertEqual(Array(batch.sample(0)), GaussianNoise.normals(count: 6, seed: GenerationSeed(5)))
    }

    // MARK: - One step

    func testOneStepOfEverySamplerIsTheDenoisersPredictionFromPureNoise() throws {
        let (noise, consistency) = try run(try ConsistencySampler(sigmaMin: Self.sigmaMin), sigmas: [Self.sigmaMax])
        let direct = try GaussianDenoiser().denoise(
            try noise.replacingValues(noise.values.map { $0 * Float(Self.sigmaMax) }),
            sigmas: [Float](repeating: Float(Self.sigmaMax), count: noise.count), conditioning: .none)
        XCTAssertEqual(consistency.values, direct.values)
        XCTAssertEqual(try run(EulerSampler(), sigmas: [Self.sigmaMax]).result.values, direct.values)
        XCTAssertEqual(try run(try DDIMSampler(), sigmas: [Self.sigmaMax]).result.values, direct.values)
    }

    // MARK: - Euler and DDIM

    func testEulerConvergesToTheExactODESolution() throws {
        // Euler is first order: its error shrinks like 1/steps (measured in NumPy on the same problem: 0.51 at 4
        // steps, 0.026 at 100, 0.0053 at 500, values within 4 standard deviations of the noise).
        let (noise, fine) = try run(EulerSampler(), sigmas: try karras(500))
        let exact = exactODE(noise)
        let fineError = maximumDifference(fine.values, exact)
        let middleError = maximumDifference(try run(EulerSampler(), sigmas: try karras(100)).result.values, exact)
        let coarseError = maximumDifference(try run(EulerSampler(), sigmas: try karras(4)).result.values, exact)
        XCTAssertLessThan(fineError, 0.01, "500 Euler steps should land within 0.01 of the exact solution")
        XCTAssertLessThan(fineError, middleError / 3, "5x the steps should shrink the error about 5x")
        XCTAssertLessThan(middleError, coarseError / 10, "more steps should shrink the error")
        let (mean, deviation) = meanAndDeviation(fine.values)
        XCTAssertEqual(mean, Double(Self.mu), accuracy: 0.005)
        XCTAssertEqual(deviation, Double(Self.spread), accuracy: 0.005)
    }

    func testDeterministicDDIMIsTheEulerStepUpToRounding() throws {
        let euler = try run(EulerSampler(), sigmas: try karras(20)).result
        let ddim = try run(try DDIMSampler(eta: 0), sigmas: try karras(20)).result
        XCTAssertLessThan(maximumDifference(euler.values, ddim.values), 1e-4)
    }

    func testStochasticDDIMDrawsFreshNoiseAndKeepsTheDistribution() throws {
        let deterministic = try run(try DDIMSampler(eta: 0), sigmas: try karras(500)).result
        let stochastic = try run(try DDIMSampler(eta: 1), sigmas: try karras(500)).result
        XCTAssertGreaterThan(maximumDifference(deterministic.values, stochastic.values), 0.05)
        XCTAssertEqual(try run(try DDIMSampler(eta: 1), sigmas: try karras(500)).result, stochastic,
                       "the same seeds must give the same stochastic run")
        let (mean, deviation) = meanAndDeviation(stochastic.values)
        XCTAssertEqual(mean, Double(Self.mu), accuracy: 0.006)
        XCTAssertEqual(deviation, Double(Self.spread), accuracy: 0.006)
        XCTAssertThrowsError(try DDIMSampler(eta: 1.5))
    }

    // MARK: - Consistency

    func testConsistencySamplingWithTheExactConsistencyFunction() throws {
        let sampler = try ConsistencySampler(sigmaMin: Self.sigmaMin)
        let (noise, oneStep) = try run(sampler, denoiser: GaussianConsistencyFunction(), sigmas: [Self.sigmaMax])
        // One step is the ODE solution to sigma_min, which differs from the one to sigma 0 by a factor
        // sqrt(1 + sigma_min^2 / s^2) = 1 + 5e-5.
        XCTAssertLessThan(maximumDifference(oneStep.values, exactODE(noise)), 2e-4)
        let levels = try sampler.levels(steps: 4, schedule: .karras, sigmaMax: Self.sigmaMax)
        XCTAssertEqual(levels.count, 4)
        XCTAssertEqual(levels.first, Self.sigmaMax)
        XCTAssertGreaterThan(levels.last ?? 0, Self.sigmaMin)
        let multistep = try run(sampler, denoiser: GaussianConsistencyFunction(), sigmas: levels).result
        XCTAssertGreaterThan(maximumDifference(multistep.values, oneStep.values), 0.05, "later steps add fresh noise")
        let (mean, deviation) = meanAndDeviation(multistep.values)
        XCTAssertEqual(mean, Double(Self.mu), accuracy: 0.006)
        XCTAssertEqual(deviation, Double(Self.spread), accuracy: 0.006)
        XCTAssertEqual(try sampler.levels(steps: 1, schedule: .karras, sigmaMax: Self.sigmaMax), [Self.sigmaMax])
    }

    // MARK: - Guidance

    func testClassifierFreeGuidanceExtrapolatesFromTheUnconditionalPrediction() throws {
        let conditional = try DiffusionConditioning.scalars("mean", [Float](repeating: 1.0, count: Self.seeds.count))
        let unconditional = try DiffusionConditioning.scalars("mean", [Float](repeating: 0, count: Self.seeds.count))
        let sigmas = try karras(500)
        let plain = try run(EulerSampler(), sigmas: sigmas, conditioning: conditional).result
        func guided(_ scale: Float, oneCall: Bool = true) throws -> SampleBatch {
            let guidance = try ClassifierFreeGuidance(base: GaussianDenoiser(), unconditional: unconditional,
                                                      scale: scale, oneCall: oneCall)
            return try run(EulerSampler(), denoiser: guidance, sigmas: sigmas, conditioning: conditional).result
        }
        XCTAssertEqual(try guided(1), plain, "scale 1 is the conditional model")
        let free = try run(EulerSampler(), sigmas: sigmas, conditioning: unconditional).result
        XCTAssertEqual(try guided(0), free, "scale 0 is the unconditional model")
        // Both denoisers share the spread, so guidance with scale w moves the mean to u + w (c - u) = 2.
        let twice = try guided(2)
        let (mean, deviation) = meanAndDeviation(twice.values)
        XCTAssertEqual(mean, 2.0, accuracy: 0.006)
        XCTAssertEqual(deviation, Double(Self.spread), accuracy: 0.006)
        XCTAssertEqual(try guided(2, oneCall: false), twice, "one doubled batch and two calls must agree")
        XCTAssertThrowsError(try ClassifierFreeGuidance(base: GaussianDenoiser(), unconditional: unconditional,
                                                        scale: .nan))
    }

    // MARK: - Tiles

    func testTilesOfAnElementwiseDenoiserBlendBackToTheWholePrediction() throws {
        let tiled = try TiledDenoiser(base: GaussianDenoiser(), tileSize: 32, overlap: 8, tilesPerCall: 3)
        XCTAssertEqual(tiled.tileStarts(length: 80), [0, 24, 48])
        XCTAssertEqual(tiled.tileStarts(length: 32), [0])
        var generators = [GaussianNoise(seed: GenerationSeed(3)), GaussianNoise(seed: GenerationSeed(4))]
        let noisy = try SampleBatch.standardNormal(sampleShape: [1, 40, 80], generators: &generators)
        let sigmas: [Float] = [2, 0.5]
        let whole = try GaussianDenoiser().denoise(noisy, sigmas: sigmas, conditioning: .none)
        let blended = try tiled.denoise(noisy, sigmas: sigmas, conditioning: .none)
        XCTAssertLessThan(maximumDifference(whole.values, blended.values), 1e-5)
        XCTAssertThrowsError(try tiled.denoise(try SampleBatch(count: 1, sampleShape: [1, 16, 64],
                                                               values: [Float](repeating: 0, count: 1024)),
                                               sigmas: [1], conditioning: .none))
        XCTAssertThrowsError(try TiledDenoiser(base: GaussianDenoiser(), tileSize: 32, overlap: 32))
    }

    // MARK: - Bad input

    func testSamplersRejectBadSchedulesAndMismatchedSeeds() throws {
        XCTAssertThrowsError(try run(EulerSampler(), sigmas: []))
        XCTAssertThrowsError(try run(EulerSampler(), sigmas: [1, 2]))
        XCTAssertThrowsError(try run(try DDIMSampler(), sigmas: [80, -1]))
        XCTAssertThrowsError(try run(try ConsistencySampler(sigmaMin: Self.sigmaMin), sigmas: [80, Self.sigmaMin]))
        var generators = [GaussianNoise(seed: GenerationSeed(1))]
        let noise = try SampleBatch(count: 2, sampleShape: [4], values: [Float](repeating: 0, count: 8))
        XCTAssertThrowsError(try EulerSampler().sample(
            denoiser: GaussianDenoiser(), initialNoise: noise, sigmas: [80], conditioning: .none,
            noise: &generators, progress: SilentProgress()))
        XCTAssertThrowsError(try SampleBatch(count: 2, sampleShape: [4], values: [1, 2, 3]))
        XCTAssertThrowsError(try DiffusionConditioning.scalars("mean", [1, 2]).rows([2]))
    }

    // MARK: - NumPy files

    func testNumpyFilesHaveAnAlignedHeaderAndLittleEndianFloats() throws {
        let data = try NumpyArrayFile.encode([1.5, -2, 0.25, 8, 0, 1], shape: [2, 3])
        let bytes = [UInt8](data)
        XCTAssertEqual(Array(bytes[0..<6]), [0x93] + Array("NUMPY".utf8))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (2, 3)"), header)
        XCTAssertEqual(bytes.count, 10 + headerLength + 24)
        XCTAssertEqual(Array(bytes[(10 + headerLength)..<(14 + headerLength)]), [0, 0, 0xC0, 0x3F])  // 1.5
        XCTAssertTrue(String(decoding: try NumpyArrayFile.encode([1], shape: [1]), as: UTF8.self).contains("(1,)"))
        XCTAssertThrowsError(try NumpyArrayFile.encode([1, 2], shape: [3]))
    }
}
