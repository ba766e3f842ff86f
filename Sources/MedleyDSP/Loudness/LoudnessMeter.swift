import Foundation
import MedleyCore

/// Streaming loudness measurement per ITU-R BS.1770-4 and EBU R128 / Tech 3342: integrated loudness with the
/// absolute and relative gates, loudness range, momentary and short-term loudness, sample peak and true peak.
///
/// Feed interleaved chunks with ``process(_:)`` and call ``finish()`` once. Memory is flat: gating blocks go into
/// a fixed histogram (0.001 LU bins), not a list; only the series you ask for (`keepSeries`) grow with the input.
///
/// Blocks follow the standard: 400 ms gating blocks every 100 ms (75 % overlap) and 3 s short-term windows
/// every 100 ms, built from 100 ms sub-blocks of `sampleRate/10` samples (for rates that are not a multiple of 10
/// the sub-block is rounded down, as ffmpeg does). The final partial block is not measured. Channel weights:
/// 1.0 for front channels, 1.41 for surround, 0 for LFE (``channelWeights(forChannelCount:)``).
///
/// Threading: a value type; use one per stream.
public struct LoudnessMeter: Sendable {
    /// Sample rate in Hz.
    public let sampleRate: Int
    /// Interleaved channels per frame.
    public let channelCount: Int
    /// Weight of each channel in the sum (BS.1770-4 Table 3).
    public let weights: [Double]
    /// Whether momentary and short-term series are kept.
    public let keepSeries: Bool

    /// BS.1770: loudness = −0.691 + 10·log10(weighted mean square).
    static let offset = -0.691
    /// BS.1770-4 relative gate for integrated loudness: −10 LU.
    static let integratedRelativeGate = -10.0
    /// EBU Tech 3342 relative gate for loudness range: −20 LU.
    static let rangeRelativeGate = -20.0
    /// EBU Tech 3342 percentiles for LRA.
    static let rangeLowPercentile = 0.10, rangeHighPercentile = 0.95
    /// Sub-blocks of 100 ms per gating block (400 ms) and per short-term window (3 s).
    static let momentarySubBlocks = 4, shortTermSubBlocks = 30
    /// Surround channel weight, BS.1770-4 Table 3 (+1.5 dB).
    public static let surroundWeight = 1.41

    private var filters: [KWeightingFilter]
    /// Optional only so that ``process(_:)`` can move it to a worker thread without a copy.
    private var truePeak: TruePeakMeter?
    private let subBlockLength: Int
    private var subBlockFill = 0
    private var subBlockEnergy: [Double]
    /// Weighted energy (Σ G·Σy²) of the last 30 sub-blocks, as a ring.
    private var ring: [Double]
    private var subBlocksDone = 0
    private var frames = 0
    private var samplePeak: Float = 0
    private var gating = LoudnessHistogram()
    private var shortTermValues = LoudnessHistogram()
    private var momentaryMax = -Double.infinity
    private var shortTermMax = -Double.infinity
    private var momentarySeries: [LoudnessPoint] = []
    private var shortTermSeries: [LoudnessPoint] = []

    /// The BS.1770-4 weights for FFmpeg's default layout of `count` channels (the layout ``AudioDecoder`` output
    /// uses): mono, stereo, 2.1, 4.0, 5.0, 5.1, 6.1, 7.1. LFE gets 0 and back/side channels 1.41.
    public static func channelWeights(forChannelCount count: Int) -> [Double] {
        let s = surroundWeight
        switch count {
        case 1: return [1]
        case 2: return [1, 1]
        case 3: return [1, 1, 0]                      // FL FR LFE
        case 4: return [1, 1, 1, s]                   // FL FR FC BC
        case 5: return [1, 1, 1, s, s]                // FL FR FC BL BR
        case 6: return [1, 1, 1, 0, s, s]             // FL FR FC LFE BL BR
        case 7: return [1, 1, 1, 0, s, s, s]          // FL FR FC LFE BC SL SR
        case 8: return [1, 1, 1, 0, s, s, s, s]       // FL FR FC LFE BL BR SL SR
        default: return [Double](repeating: 1, count: max(count, 0))
        }
    }

    /// The weight of one channel given its FFmpeg name ("FL", "LFE", "SL", ...): 0 for LFE, 1.41 for back,
    /// side and surround channels, 1.0 otherwise (what ffmpeg's `ebur128` does).
    public static func channelWeight(forName name: String) -> Double {
        let n = name.uppercased()
        if n.hasPrefix("LFE") { return 0 }
        if ["BL", "BR", "BC", "SL", "SR", "TBL", "TBR", "TBC", "LS", "RS", "SDL", "SDR"].contains(n) { return surroundWeight }
        return 1
    }

    /// Creates a meter.
    ///
    /// - Parameters:
    ///   - sampleRate: Hz; the K-weighting is designed for this rate (nothing is resampled).
    ///   - channelCount: interleaved channels.
    ///   - weights: per-channel weights; nil uses ``channelWeights(forChannelCount:)``.
    ///   - keepSeries: keep the momentary and short-term loudness every 100 ms.
    public init(sampleRate: Int, channelCount: Int, weights: [Double]? = nil, keepSeries: Bool = false) throws {
        guard sampleRate >= 100 else { throw MedleyError.invalidArgument("loudness: sample rate \(sampleRate) Hz is too low") }
        guard channelCount >= 1 else { throw MedleyError.invalidArgument("loudness: need at least one channel") }
        let w = weights ?? Self.channelWeights(forChannelCount: channelCount)
        guard w.count == channelCount else {
            throw MedleyError.invalidArgument("loudness: \(w.count) weights for \(channelCount) channels")
        }
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.weights = w
        self.keepSeries = keepSeries
        filters = [KWeightingFilter](repeating: KWeightingFilter(sampleRate: Double(sampleRate)), count: channelCount)
        truePeak = TruePeakMeter(channelCount: channelCount, sampleRate: sampleRate)
        subBlockLength = sampleRate / 10
        subBlockEnergy = [Double](repeating: 0, count: channelCount)
        ring = [Double](repeating: 0, count: Self.shortTermSubBlocks)
    }

    /// `−0.691 + 10·log10(energy)`, −∞ for zero.
    static func loudness(energy: Double) -> Double { offset + 10 * log10(energy) }

    /// Measures a chunk of interleaved samples (any length; a multiple of the channel count).
    public mutating func process(_ samples: UnsafeBufferPointer<Float>) {
        guard let base = samples.baseAddress else { return }
        let count = samples.count / channelCount
        let interleaved = UnsafeBufferPointer(start: base, count: count * channelCount)
        // The true peak (4× oversampling) and the K-weighting are independent: on large chunks the true peak runs
        // on a second thread while this one filters. The worker owns the meter until the group is waited on.
        if var meter = truePeak {
            truePeak = nil
            if count >= Self.parallelFrames {
                withUnsafeMutablePointer(to: &meter) { pointer in
                    let job = TruePeakJob(meter: pointer, samples: interleaved)
                    let group = DispatchGroup()
                    DispatchQueue.global(qos: .userInitiated).async(group: group) { job.run() }
                    filter(base, count: count)
                    group.wait()
                }
            } else {
                meter.process(interleaved)
                filter(base, count: count)
            }
            truePeak = meter
        }
        samplePeak = max(samplePeak, truePeak?.samplePeak ?? 0)
        frames += count
    }

    /// Chunks of at least this many frames measure the true peak on a second thread.
    static let parallelFrames = 4096

    private mutating func filter(_ base: UnsafePointer<Float>, count: Int) {
        var position = 0
        while position < count {
            let n = min(count - position, subBlockLength - subBlockFill)
            var c = 0
            // Channels in pairs: two independent recursions per loop keep the FPU busy.
            while c + 1 < channelCount {
                var first = filters[c], second = filters[c + 1]
                let (a, b) = KWeightingFilter.sumOfSquares(&first, &second, base + position * channelCount + c,
                                                           stride: channelCount, count: n)
                filters[c] = first
                filters[c + 1] = second
                subBlockEnergy[c] += a
                subBlockEnergy[c + 1] += b
                c += 2
            }
            if c < channelCount {
                subBlockEnergy[c] += filters[c].sumOfSquares(base + position * channelCount + c, stride: channelCount, count: n)
            }
            subBlockFill += n
            position += n
            if subBlockFill == subBlockLength { closeSubBlock() }
        }
    }

    /// Array convenience for ``process(_:)``.
    public mutating func process(_ samples: [Float]) {
        samples.withUnsafeBufferPointer { process($0) }
    }

    private mutating func closeSubBlock() {
        var weighted = 0.0
        for c in 0..<channelCount {
            weighted += weights[c] * subBlockEnergy[c]
            subBlockEnergy[c] = 0
        }
        subBlockFill = 0
        ring[subBlocksDone % Self.shortTermSubBlocks] = weighted
        subBlocksDone += 1
        let time = Double(subBlocksDone * subBlockLength) / Double(sampleRate)
        if subBlocksDone >= Self.momentarySubBlocks {
            let energy = windowEnergy(subBlocks: Self.momentarySubBlocks)
            gating.add(energy: energy)
            let l = Self.loudness(energy: energy)
            momentaryMax = max(momentaryMax, l)
            if keepSeries { momentarySeries.append(LoudnessPoint(time: time, lufs: l.isFinite ? l : nil)) }
        }
        if subBlocksDone >= Self.shortTermSubBlocks {
            let energy = windowEnergy(subBlocks: Self.shortTermSubBlocks)
            shortTermValues.add(energy: energy)
            let l = Self.loudness(energy: energy)
            shortTermMax = max(shortTermMax, l)
            if keepSeries { shortTermSeries.append(LoudnessPoint(time: time, lufs: l.isFinite ? l : nil)) }
        }
    }

    /// Mean weighted square over the last `subBlocks` sub-blocks.
    private func windowEnergy(subBlocks: Int) -> Double {
        var sum = 0.0
        for j in 0..<subBlocks {
            sum += ring[(subBlocksDone - 1 - j + Self.shortTermSubBlocks) % Self.shortTermSubBlocks]
        }
        return sum / Double(subBlocks * subBlockLength)
    }

    /// Ends the stream and returns the measurements.
    public mutating func finish() -> LoudnessResult {
        truePeak?.finish()
        samplePeak = max(samplePeak, truePeak?.samplePeak ?? 0)
        let peak = truePeak?.peak ?? 0
        var result = LoudnessResult(
            integratedLUFS: nil, reason: nil, loudnessRangeLU: nil, momentaryMaxLUFS: nil, shortTermMaxLUFS: nil,
            truePeakDBTP: Self.decibels(max(peak, samplePeak)), samplePeakDBFS: Self.decibels(samplePeak),
            duration: Double(frames) / Double(sampleRate), sampleRate: sampleRate, channelCount: channelCount,
            channelWeights: weights,
            momentary: keepSeries ? momentarySeries : nil, shortTerm: keepSeries ? shortTermSeries : nil)
        if subBlocksDone < Self.momentarySubBlocks {
            result.reason = "too short to gate"
        } else if let integrated = gating.gatedLoudness(offset: Self.integratedRelativeGate) {
            result.integratedLUFS = integrated
        } else {
            result.reason = "silence"
        }
        if momentaryMax.isFinite { result.momentaryMaxLUFS = momentaryMax }
        if shortTermMax.isFinite { result.shortTermMaxLUFS = shortTermMax }
        if subBlocksDone >= Self.shortTermSubBlocks {
            result.loudnessRangeLU = shortTermValues.range(
                offset: Self.rangeRelativeGate, low: Self.rangeLowPercentile, high: Self.rangeHighPercentile)
        }
        return result
    }

    /// `20·log10(x)`, nil for zero.
    static func decibels(_ linear: Float) -> Double? {
        linear > 0 ? 20 * log10(Double(linear)) : nil
    }
}

/// Hands a ``TruePeakMeter`` to a worker thread for one chunk. The caller keeps the meter alive and does not
/// touch it until the worker's group has been waited on.
private struct TruePeakJob: @unchecked Sendable {
    let meter: UnsafeMutablePointer<TruePeakMeter>
    let samples: UnsafeBufferPointer<Float>
    func run() { meter.pointee.process(samples) }
}
