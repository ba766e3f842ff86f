import Foundation
import MedleyCore

/// How a sampler spaces its noise levels between `sigmaMax` (pure noise) and `sigmaMin` (almost clean).
///
/// ``sigmas(count:sigmaMin:sigmaMax:)`` returns the levels at which the denoiser is evaluated, in descending order,
/// starting with `sigmaMax`. ODE samplers (``EulerSampler``, ``DDIMSampler``) step from the last level to 0 at the
/// end; the consistency sampler evaluates at each level once.
public enum NoiseSchedule: Sendable, Equatable, CustomStringConvertible {
    /// Karras et al. 2022 (EDM), eq. 5: `sigma_i = (max^(1/rho) + i/(n-1) * (min^(1/rho) - max^(1/rho)))^rho`,
    /// which spends more steps at low noise as `rho` grows.
    case karras(rho: Double)
    /// Evenly spaced in sigma (the "simple" schedule): mostly useful to show why Karras spacing is better.
    case linear

    /// Karras et al.'s recommended `rho` (EDM, section 3, and the consistency-models code's default).
    public static let karrasDefaultRho = 7.0
    /// Karras spacing with `rho = 7`.
    public static let karras = NoiseSchedule.karras(rho: karrasDefaultRho)

    /// `count` descending noise levels from `sigmaMax` to `sigmaMin`, both included (`[sigmaMax]` for one).
    ///
    /// - Throws: `invalidArgument` for a count below 1, non-positive or non-finite sigmas, `sigmaMin > sigmaMax`,
    ///   or a non-positive `rho`.
    public func sigmas(count: Int, sigmaMin: Double, sigmaMax: Double) throws -> [Double] {
        guard count >= 1 else {
            throw MedleyError.invalidArgument("a noise schedule needs at least 1 step, got \(count)")
        }
        guard sigmaMin > 0, sigmaMax.isFinite, sigmaMin <= sigmaMax else {
            throw MedleyError.invalidArgument(
                "a noise schedule needs 0 < sigma_min <= sigma_max, got \(sigmaMin) and \(sigmaMax)")
        }
        if count == 1 { return [sigmaMax] }
        let last = Double(count - 1)
        switch self {
        case .karras(let rho):
            guard rho > 0, rho.isFinite else {
                throw MedleyError.invalidArgument("the Karras schedule needs a positive rho, got \(rho)")
            }
            let maxRoot = pow(sigmaMax, 1 / rho), minRoot = pow(sigmaMin, 1 / rho)
            var levels = (0..<count).map { pow(maxRoot + Double($0) / last * (minRoot - maxRoot), rho) }
            // The ends exactly as given (pow(pow(x, 1/rho), rho) can be off by an ulp).
            levels[0] = sigmaMax
            levels[count - 1] = sigmaMin
            return levels
        case .linear:
            var levels = (0..<count).map { sigmaMax + Double($0) / last * (sigmaMin - sigmaMax) }
            levels[count - 1] = sigmaMin
            return levels
        }
    }

    /// `karras(rho: 7)` or `linear`.
    public var description: String {
        switch self {
        case .karras(let rho): return rho == Self.karrasDefaultRho ? "karras" : "karras(rho: \(rho))"
        case .linear: return "linear"
        }
    }

    /// Parses `karras` or `linear` (command-line spellings).
    ///
    /// - Throws: `invalidArgument` naming the accepted names.
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "karras": self = .karras
        case "linear", "simple": self = .linear
        default:
            throw MedleyError.invalidArgument("unknown noise schedule '\(text)'; use karras or linear")
        }
    }
}
