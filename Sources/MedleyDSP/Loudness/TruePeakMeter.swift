import Foundation

/// True peak per ITU-R BS.1770-4 Annex 2: 4× oversampling with the standard's 48-tap interpolation FIR
/// (4 phases of 12 taps), then the largest absolute value over every phase and channel.
///
/// Works on float samples, so the −12.04 dB pre-attenuation that Annex 2 suggests for fixed-point code is not
/// needed. The stream is padded with 11 zeros at each end, so the filter's tails are included. Blocks of 64
/// samples whose neighbourhood cannot beat the current peak (their largest |x| times the largest tap-sum) are
/// skipped, which leaves the result exact and saves most of the work on typical audio.
///
/// The Annex-2 filter is designed for 48 kHz input: its passband ends near 0.83 of the input's Nyquist, so at
/// 88.2 kHz and above it would attenuate content above ~37 kHz. At those rates a Kaiser-windowed sinc
/// interpolator (4 phases of 32 taps, passband to 0.95 of Nyquist) is used instead; on pink noise at 96 kHz it
/// reads 0.04 dB above an ideal band-limited (FFT, 8×) interpolation where Annex 2 reads 0.12 dB low.
/// ``LoudnessMeter`` reports the larger of this and the sample peak (a true peak is never below it).
public struct TruePeakMeter: Sendable {
    /// Number of interleaved channels.
    public let channelCount: Int
    /// The largest |·| of the oversampled signal seen so far (linear).
    public private(set) var peak: Float = 0
    /// The largest |sample| seen so far (linear), measured on the same pass.
    public private(set) var samplePeak: Float = 0

    /// BS.1770-4 Annex 2, phase 0 (phase 3 is it reversed).
    static let phase0: [Float] = [
        0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
        0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500,
    ]
    /// BS.1770-4 Annex 2, phase 1 (phase 2 is it reversed).
    static let phase1: [Float] = [
        -0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
        0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375,
    ]
    static let tapCount = 12
    private static let blockLength = 64

    /// Per channel: the last `taps − 1` samples followed by the current chunk, in the first `lineLength` floats
    /// (the arrays only grow, so a chunk costs no allocation or zero-filling).
    private var lines: [[Float]]
    private var lineLength: Int
    /// Taps per phase.
    private let taps: Int
    /// The phases, stored [phase·taps + k].
    private let phases: [Float]
    /// Oversampling factor (number of phases).
    public let oversampling: Int
    private let bound: Float

    /// Rates from which the wide-band interpolator replaces Annex 2.
    static let wideBandRate = 88_200
    /// Rates below this are oversampled further than 4×, to reach at least 192 kHz as ffmpeg's `ebur128` does
    /// (4× of 8 kHz is only 32 kHz and misses inter-sample peaks by up to 0.2 dB on noise).
    static let lowRate = 32_000
    static let wideBandTaps = 32

    /// Creates a meter for `channelCount` interleaved channels at `sampleRate` Hz.
    public init(channelCount: Int, sampleRate: Int = 48_000) {
        self.channelCount = channelCount
        if sampleRate >= Self.wideBandRate {
            taps = Self.wideBandTaps
            oversampling = 4
            phases = Self.kaiserInterpolator(taps: Self.wideBandTaps, phases: 4, passband: 0.95, beta: 8)
        } else if sampleRate < Self.lowRate {
            taps = Self.wideBandTaps
            oversampling = (192_000 + sampleRate - 1) / max(sampleRate, 1)
            phases = Self.kaiserInterpolator(taps: Self.wideBandTaps, phases: oversampling, passband: 0.9, beta: 8)
        } else {
            taps = Self.tapCount
            oversampling = 4
            phases = Self.phase0 + Self.phase1 + Array(Self.phase1.reversed()) + Array(Self.phase0.reversed())
        }
        var bound: Float = 0
        for p in 0..<oversampling { bound = max(bound, phases[(p * taps)..<((p + 1) * taps)].reduce(0) { $0 + abs($1) }) }
        self.bound = bound
        lines = [[Float]](repeating: [Float](repeating: 0, count: taps - 1), count: channelCount)
        lineLength = taps - 1
    }

    /// An interpolator by `phases`: windowed sinc with cutoff `passband`·(input Nyquist), Kaiser β, split in phases.
    static func kaiserInterpolator(taps: Int, phases: Int, passband: Double, beta: Double) -> [Float] {
        func bessel0(_ x: Double) -> Double {
            var sum = 1.0, term = 1.0
            for k in 1..<30 { term *= (x / 2) / Double(k); sum += term * term }
            return sum
        }
        let length = taps * phases
        let centre = Double(length - 1) / 2
        var h = [Double](repeating: 0, count: length)
        for n in 0..<length {
            let t = (Double(n) - centre) / Double(phases)  // in input samples
            let x = Double.pi * passband * t
            let sinc = x == 0 ? 1 : sin(x) / x
            let r = (Double(n) - centre) / centre
            h[n] = passband * sinc * bessel0(beta * max(0, 1 - r * r).squareRoot()) / bessel0(beta)
        }
        // Phase p takes every 4th tap; each phase sums to ~1 (unity DC gain).
        var out = [Float](repeating: 0, count: length)
        for p in 0..<phases {
            let sum = stride(from: p, to: length, by: phases).reduce(0.0) { $0 + h[$1] }
            for k in 0..<taps { out[p * taps + k] = Float(h[p + k * phases] / sum) }
        }
        return out
    }

    /// Measures a chunk of interleaved samples.
    public mutating func process(_ samples: UnsafeBufferPointer<Float>) {
        let frames = samples.count / channelCount
        guard frames > 0, let base = samples.baseAddress else { return }
        let keep = taps - 1, old = lineLength, channels = channelCount
        for c in 0..<channels {
            if lines[c].count < keep + frames {
                lines[c].append(contentsOf: repeatElement(0, count: keep + frames - lines[c].count))
            }
            lines[c].withUnsafeMutableBufferPointer { line in
                let x = line.baseAddress!
                // The history: the last `keep` samples of the previous chunk move to the front (the regions
                // overlap when that chunk was shorter than `keep`).
                memmove(x, x + (old - keep), keep * MemoryLayout<Float>.stride)
                if channels != 2 {
                    var p = base + c
                    for i in keep..<(keep + frames) {
                        x[i] = p.pointee
                        p += channels
                    }
                }
            }
        }
        if channels == 2 {
            // Stereo, the common case: both lines in one pass, four frames per step. The arrays are moved out
            // (not copied) so that both can be written at once.
            var left: [Float] = [], right: [Float] = []
            swap(&left, &lines[0])
            swap(&right, &lines[1])
            defer {
                swap(&left, &lines[0])
                swap(&right, &lines[1])
            }
            left.withUnsafeMutableBufferPointer { leftLine in
                right.withUnsafeMutableBufferPointer { rightLine in
                    let l = leftLine.baseAddress! + keep, r = rightLine.baseAddress! + keep
                    var i = 0
                    while i + 4 <= frames {
                        let v = UnsafeRawPointer(base + 2 * i).loadUnaligned(as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(l + i).storeBytes(of: v.evenHalf, as: SIMD4<Float>.self)
                        UnsafeMutableRawPointer(r + i).storeBytes(of: v.oddHalf, as: SIMD4<Float>.self)
                        i += 4
                    }
                    while i < frames {
                        l[i] = base[2 * i]
                        r[i] = base[2 * i + 1]
                        i += 1
                    }
                }
            }
        }
        lineLength = keep + frames
        for c in 0..<channels { scan(channel: c) }
    }

    /// Ends the stream: runs the filter over 11 trailing zeros.
    public mutating func finish() {
        let keep = taps - 1, old = lineLength
        for c in 0..<channelCount {
            if lines[c].count < 2 * keep {
                lines[c].append(contentsOf: repeatElement(0, count: 2 * keep - lines[c].count))
            }
            lines[c].withUnsafeMutableBufferPointer { line in
                let x = line.baseAddress!
                memmove(x, x + (old - keep), keep * MemoryLayout<Float>.stride)
                (x + keep).update(repeating: 0, count: keep)
            }
        }
        lineLength = 2 * keep
        for c in 0..<channelCount { scan(channel: c) }
    }

    /// Runs every phase over every output position of the first `lineLength` samples of `lines[c]`
    /// (`lineLength − taps + 1` of them), and takes the sample peak from the same blocks' maxima.
    private mutating func scan(channel c: Int) {
        let taps = self.taps, phaseCount = oversampling
        var best = peak
        var largestSample = samplePeak
        let bound = self.bound
        let outputs = lineLength - (taps - 1)
        phases.withUnsafeBufferPointer { hp in
            let h = hp.baseAddress!
            lines[c].withUnsafeBufferPointer { line in
                let x = line.baseAddress!
                var start = 0
                while start < outputs {
                    let end = min(outputs, start + Self.blockLength)
                    // Inputs touched by outputs start..<end are start..<end+taps−1.
                    let local = Self.largestMagnitude(x + start, count: end + taps - 1 - start)
                    largestSample = max(largestSample, local)
                    if local * bound > best {
                        var i = start
                        // Eight outputs at a time: each tap multiplies eight consecutive inputs.
                        while i + 8 <= end {
                            var high = SIMD8<Float>(repeating: 0), low = SIMD8<Float>(repeating: 0)
                            for p in 0..<phaseCount {
                                let hpk = h + p * taps
                                var a = SIMD8<Float>()
                                for k in 0..<taps {
                                    a += hpk[k] * UnsafeRawPointer(x + i + k).loadUnaligned(as: SIMD8<Float>.self)
                                }
                                high = high.replacing(with: a, where: a .> high)
                                low = low.replacing(with: a, where: a .< low)
                            }
                            let magnitude = high.replacing(with: -low, where: -low .> high)
                            best = max(best, Self.largestLane(magnitude))
                            i += 8
                        }
                        while i < end {
                            for p in 0..<phaseCount {
                                var a: Float = 0
                                for k in 0..<taps { a += h[p * taps + k] * x[i + k] }
                                best = max(best, abs(a))
                            }
                            i += 1
                        }
                    }
                    start = end
                }
            }
        }
        peak = best
        samplePeak = largestSample
    }

    /// The largest lane, by halving (the standard library's `max()` is a call that loops over the lanes).
    @inline(__always)
    private static func largestLane(_ v: SIMD8<Float>) -> Float {
        let four = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf)
        let two = four.lowHalf.replacing(with: four.highHalf, where: four.highHalf .> four.lowHalf)
        return max(two[0], two[1])
    }

    /// The largest |x[i]| for i < count, eight lanes at a time (a running scalar maximum is a serial chain).
    private static func largestMagnitude(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            // |v| by clearing the sign bits.
            let magnitude = unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
            lanes = lanes.replacing(with: magnitude, where: magnitude .> lanes)
            i += 8
        }
        var largest = largestLane(lanes)
        while i < count {
            largest = max(largest, abs(x[i]))
            i += 1
        }
        return largest
    }
}
