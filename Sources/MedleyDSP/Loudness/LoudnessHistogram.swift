import Foundation

/// Block loudnesses from −70 to +30 LUFS in 0.001 LU bins, with each bin's count and energy sum: flat memory
/// for any length of input, and gates and percentiles that are exact to 0.001 LU (ffmpeg's `ebur128` uses
/// 0.01 LU bins and bin-centre energies, which reads up to 0.01 LU low).
struct LoudnessHistogram: Sendable {
    /// The absolute gate, BS.1770-4 §2.8: −70 LKFS.
    static let floor = -70.0
    static let ceiling = 30.0
    static let binsPerLU = 1000.0
    private var counts: [Int32]
    private var energies: [Double]
    private(set) var total = 0
    private(set) var totalEnergy = 0.0

    init() {
        let bins = Int((Self.ceiling - Self.floor) * Self.binsPerLU) + 1
        counts = [Int32](repeating: 0, count: bins)
        energies = [Double](repeating: 0, count: bins)
    }

    static func bin(_ loudness: Double) -> Int {
        Int(((min(loudness, ceiling) - floor) * binsPerLU).rounded(.down))
    }

    static func loudness(ofBin bin: Int) -> Double { floor + (Double(bin) + 0.5) / binsPerLU }

    /// Adds a block of mean-square energy `energy` (already channel-weighted); blocks below −70 LUFS are not kept.
    mutating func add(energy: Double) {
        let loudness = LoudnessMeter.loudness(energy: energy)
        // ffmpeg keeps blocks ≥ −70; BS.1770 writes ">". They differ only on exact ties.
        guard loudness >= Self.floor else { return }
        let b = Self.bin(loudness)
        counts[b] += 1
        energies[b] += energy
        total += 1
        totalEnergy += energy
    }

    /// The relative gate `offset` LU below the energy mean of the kept blocks, and the first bin above it.
    func relativeGate(offset: Double) -> (gate: Double, firstBin: Int)? {
        guard total > 0 else { return nil }
        let gate = LoudnessMeter.loudness(energy: totalEnergy / Double(total)) + offset
        // Blocks must be > gate; a bin is included when its centre is above the gate.
        var first = Self.bin(max(gate, Self.floor))
        if Self.loudness(ofBin: first) <= gate { first += 1 }
        return (gate, first)
    }

    /// Integrated loudness: the energy mean of the blocks above the −10 LU relative gate.
    func gatedLoudness(offset: Double) -> Double? {
        guard let (_, first) = relativeGate(offset: offset), first < counts.count else { return nil }
        var count = 0, energy = 0.0
        for b in first..<counts.count {
            count += Int(counts[b])
            energy += energies[b]
        }
        return count > 0 ? LoudnessMeter.loudness(energy: energy / Double(count)) : nil
    }

    /// Loudness range (EBU Tech 3342): the spread between the 10th and 95th percentiles of the values above
    /// the −20 LU relative gate. Percentiles are taken as ffmpeg's `ebur128` takes them (the reference we test
    /// against): the low value is the first value at which the cumulative count reaches `round(0.10·N)`, the
    /// high one the value at which the count from the top falls below `round(0.95·N)`.
    func range(offset: Double, low: Double, high: Double) -> Double? {
        guard let (_, first) = relativeGate(offset: offset), first < counts.count else { return nil }
        var n = 0
        for b in first..<counts.count { n += Int(counts[b]) }
        guard n > 0 else { return nil }
        var lowValue: Double?, highValue: Double?
        let lowCount = Int(low * Double(n) + 0.5)
        var seen = 0
        for b in first..<counts.count {
            seen += Int(counts[b])
            if seen >= lowCount && counts[b] > 0 {
                lowValue = Self.loudness(ofBin: b)
                break
            }
        }
        let highCount = Int(high * Double(n) + 0.5)
        var remaining = n
        for b in stride(from: counts.count - 1, through: first, by: -1) {
            remaining -= Int(counts[b])
            if remaining < highCount {
                highValue = Self.loudness(ofBin: b)
                break
            }
        }
        guard let lowValue, let highValue else { return nil }
        return max(0, highValue - lowValue)
    }
}
