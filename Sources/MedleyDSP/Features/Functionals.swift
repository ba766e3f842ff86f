import Foundation

/// openSMILE-style functionals of one feature track: arithmetic mean, normalised standard deviation
/// (standard deviation / mean, openSMILE's `stddevNorm`, negative when the mean is) and the 20th, 50th and 80th
/// percentiles (linear interpolation between ranked values).
public struct Functionals: Sendable, Equatable, Encodable {
    /// Arithmetic mean.
    public var mean: Double?
    /// Standard deviation divided by the mean, keeping the mean's sign (population standard deviation, as
    /// openSMILE: eGeMAPS's alpha ratio and MFCC 4 have negative means and so negative `stddevNorm`).
    public var stddevNorm: Double?
    /// 20th percentile.
    public var percentile20: Double?
    /// Median.
    public var percentile50: Double?
    /// 80th percentile.
    public var percentile80: Double?
    /// Values the functionals were computed on (after dropping unvoiced frames for voiced-only tracks).
    public var count: Int

    enum CodingKeys: String, CodingKey {
        case mean = "amean", stddevNorm = "stddevNorm", percentile20 = "percentile20.0"
        case percentile50 = "percentile50.0", percentile80 = "percentile80.0", count
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func r(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? ($0 * 1_000_000).rounded() / 1_000_000 : nil } }
        try c.encode(r(mean), forKey: .mean)
        try c.encode(r(stddevNorm), forKey: .stddevNorm)
        try c.encode(r(percentile20), forKey: .percentile20)
        try c.encode(r(percentile50), forKey: .percentile50)
        try c.encode(r(percentile80), forKey: .percentile80)
        try c.encode(count, forKey: .count)
    }

    /// Functionals of the finite values of `values` (all nil when there are none).
    public init(_ values: [Float]) {
        let v = values.filter { $0.isFinite }.map(Double.init).sorted()
        count = v.count
        guard !v.isEmpty else { return }
        let m = v.reduce(0, +) / Double(v.count)
        mean = m
        let variance = v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)
        stddevNorm = m != 0 ? variance.squareRoot() / m : nil
        func percentile(_ q: Double) -> Double {
            let rank = q * Double(v.count - 1)
            let lo = Int(rank.rounded(.down)), hi = min(lo + 1, v.count - 1)
            return v[lo] + (rank - Double(lo)) * (v[hi] - v[lo])
        }
        percentile20 = percentile(0.2)
        percentile50 = percentile(0.5)
        percentile80 = percentile(0.8)
    }
}
