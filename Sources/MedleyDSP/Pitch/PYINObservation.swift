import Foundation

/// pYIN's observation model as librosa 0.11 implements it (after Mauch & Dixon 2014 and the official pYIN
/// software): per frame, a probability for each pitch bin (10 per semitone from fmin) from the troughs of d'
/// under a Beta(2, 18) prior over 100 thresholds and a Boltzmann (λ = 2) prior over trough rank.
struct PYINObservation {
    let binCount: Int
    let binsPerSemitone: Int
    let minHz: Double
    let sampleRate: Double
    let minPeriod: Int
    /// Probability mass of each threshold interval (0, 0.01, …, 1) under Beta(a, b).
    let betaMass: [Double]
    let thresholds: [Float]
    /// librosa `boltzmann_parameter=2`.
    let boltzmann: Double
    /// librosa `no_trough_prob=0.01`.
    let noTroughProbability: Double

    init(settings: PitchSettings, minPeriod: Int) {
        binsPerSemitone = Int((1 / settings.resolution).rounded(.up))
        binCount = Int((12 * Double(binsPerSemitone) * log2(settings.maxHz / settings.minHz)).rounded(.down)) + 1
        minHz = settings.minHz
        sampleRate = Double(settings.sampleRate)
        self.minPeriod = minPeriod
        let count = settings.thresholdCount
        thresholds = (0...count).map { Float(Double($0) / Double(count)) }
        let cdf = (0...count).map { Self.betaCDF(Double($0) / Double(count), settings.betaA, settings.betaB) }
        betaMass = (0..<count).map { cdf[$0 + 1] - cdf[$0] }
        boltzmann = settings.boltzmann
        noTroughProbability = settings.noTroughProbability
    }

    /// The regularised incomplete beta function I_x(a, b), by composite Simpson integration of the density
    /// (enough for the 101 thresholds needed, to about 1e-10).
    static func betaCDF(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logB = lgamma(a) + lgamma(b) - lgamma(a + b)
        func density(_ t: Double) -> Double {
            if t <= 0 || t >= 1 { return (t <= 0 && a == 1) || (t >= 1 && b == 1) ? exp(-logB) : 0 }
            return exp((a - 1) * log(t) + (b - 1) * log(1 - t) - logB)
        }
        let steps = 4000
        let h = x / Double(steps)
        var sum = density(0) + density(x)
        for i in 1..<steps { sum += density(Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return min(1, sum * h / 3)
    }

    /// Fills `observation` (2·binCount values: voiced bins then unvoiced) for one frame of d' and returns the
    /// voiced probability.
    func observe(_ yin: UnsafePointer<Float>, count: Int, into observation: UnsafeMutablePointer<Double>) -> Double {
        for i in 0..<(2 * binCount) { observation[i] = 0 }
        var troughs: [Int] = []
        for i in 0..<count where YINDifference.isTrough(yin, count: count, at: i) { troughs.append(i) }
        var voiced = 0.0
        if !troughs.isEmpty {
            var probabilities = [Double](repeating: 0, count: troughs.count)
            let lambda = boltzmann
            for t in 1..<thresholds.count {
                let threshold = thresholds[t]
                var below = 0
                for period in troughs where yin[period] < threshold { below += 1 }
                guard below > 0 else { continue }
                let normaliser = (1 - exp(-lambda)) / (1 - exp(-lambda * Double(below)))
                var rank = 0
                for (index, period) in troughs.enumerated() where yin[period] < threshold {
                    probabilities[index] += normaliser * exp(-lambda * Double(rank)) * betaMass[t - 1]
                    rank += 1
                }
            }
            var globalMinimum = 0
            for j in 1..<troughs.count where yin[troughs[j]] < yin[troughs[globalMinimum]] { globalMinimum = j }
            let height = yin[troughs[globalMinimum]]
            var notBelow = 0
            for t in 1..<thresholds.count where !(height < thresholds[t]) { notBelow += 1 }
            probabilities[globalMinimum] += noTroughProbability * betaMass[0..<notBelow].reduce(0, +)
            // Assign (not add) in period order, as librosa: a later trough in the same bin overwrites.
            for (j, period) in troughs.enumerated() where probabilities[j] != 0 {
                let shift = YINDifference.parabolicShift(yin, count: count, at: period)
                let f0 = sampleRate / (Double(minPeriod + period) + Double(shift))
                let position = (12 * Double(binsPerSemitone) * log2(f0 / minHz)).rounded(.toNearestOrEven)
                let bin = Int(min(max(position, 0), Double(binCount)))
                observation[bin] = probabilities[j]
            }
            for b in 0..<binCount { voiced += observation[b] }
            voiced = min(max(voiced, 0), 1)
        }
        let unvoiced = (1 - voiced) / Double(binCount)
        for b in binCount..<(2 * binCount) { observation[b] = unvoiced }
        return voiced
    }
}
