import Foundation

/// A streaming look-ahead limiter that keeps the **true peak** (4× oversampled, BS.1770-4 Annex 2) of its output
/// at or below a ceiling, for loudness normalisation.
///
/// For every frame it estimates the largest oversampled |value| over all channels (the 4 interpolation phases of
/// the 12 samples ending there, and the sample itself) and the gain `r = min(1, ceiling / peak)` that frame needs.
/// The applied gain is that requirement held over the filter's 12-sample span plus the attack time (a sliding
/// minimum), averaged over the attack time (so it ramps down smoothly and is already low when the peak arrives),
/// and released exponentially. Output is delayed by `11 + attack` frames; ``finish(_:)`` flushes the tail, so the
/// output has exactly as many frames as the input.
///
/// The ceiling sits ``safetyMarginDB`` below the requested limit, because the gain changes themselves add a
/// little to inter-sample peaks.
public final class TruePeakLimiter {
    /// Interleaved channels.
    public let channelCount: Int
    /// The requested limit in dBTP.
    public let limitDB: Double
    /// Frames of look-ahead smoothing (attack).
    public let attackFrames: Int
    /// Frames whose gain was below 1 so far.
    public private(set) var limitedFrames = 0
    /// The smallest gain applied so far (linear).
    public private(set) var deepestGain: Float = 1

    /// Attack (look-ahead) time in seconds.
    public static let attackSeconds = 0.002
    /// Release time constant in seconds.
    public static let releaseSeconds = 0.1
    /// Headroom below the limit for the modulation's own overshoot, dB.
    public static let safetyMarginDB = 0.1

    private let ceiling: Float
    private let release: Float
    private let taps = TruePeakMeter.tapCount
    private let phases: [Float]
    /// Per channel, the last 11 input samples (for the interpolation filter).
    private var history: [[Float]]
    /// Frames waiting for their gain: interleaved samples and their required gains.
    private var pending: [Float] = []
    private var required: [Float] = []
    /// Sliding minimum of `required` over [j, j + span) as a monotonic deque of indices (absolute frame numbers).
    private var deque: [Int] = []
    private var dequeHead = 0
    /// Held gains M[j] for the running average, as a ring of `attack + 1` values, and their sum.
    private var held: [Float]
    private var heldSum: Float
    private var heldIndex = 0
    private var gain: Float = 1
    /// Absolute frame number of `pending[0]`.
    private var base = 0
    private var produced = 0
    private var consumed = 0
    private var nextToEnter = 0

    /// Creates a limiter for `channelCount` interleaved channels at `sampleRate`, limiting to `limitDB` dBTP.
    public init(sampleRate: Int, channelCount: Int, limitDB: Double) {
        self.channelCount = channelCount
        self.limitDB = limitDB
        attackFrames = max(1, Int((Self.attackSeconds * Double(sampleRate)).rounded()))
        ceiling = Float(pow(10, (limitDB - Self.safetyMarginDB) / 20))
        release = Float(1 - exp(-1 / (Self.releaseSeconds * Double(sampleRate))))
        phases = TruePeakMeter.phase0 + TruePeakMeter.phase1 + Array(TruePeakMeter.phase1.reversed())
            + Array(TruePeakMeter.phase0.reversed())
        history = [[Float]](repeating: [Float](repeating: 0, count: TruePeakMeter.tapCount - 1), count: channelCount)
        held = [Float](repeating: 1, count: attackFrames + 1)
        heldSum = Float(attackFrames + 1)
    }

    /// Frames between a frame entering and leaving the limiter.
    public var latency: Int { taps - 1 + attackFrames }

    /// Limits a chunk of interleaved samples; `body` receives the limited frames that are ready (delayed).
    public func process(_ samples: UnsafeBufferPointer<Float>, _ body: (UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        let frames = samples.count / channelCount
        guard frames > 0, let input = samples.baseAddress else { return }
        pending.append(contentsOf: UnsafeBufferPointer(start: input, count: frames * channelCount))
        appendRequirements(input, frames: frames)
        consumed += frames
        try emit(upTo: consumed - latency, body)
    }

    /// Flushes the last `latency` frames.
    public func finish(_ body: (UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        // The frames after the end are silent and need no reduction.
        required.append(contentsOf: repeatElement(1, count: latency))
        try emit(upTo: consumed, body)
    }

    /// Appends, for each frame, the gain it needs so that the oversampled values of the 12 samples ending there
    /// (every channel, every phase) and the sample itself stay under the ceiling.
    private func appendRequirements(_ input: UnsafePointer<Float>, frames: Int) {
        var peaks = [Float](repeating: 0, count: frames)
        var line = [Float](repeating: 0, count: taps - 1 + frames)
        for c in 0..<channelCount {
            for i in 0..<(taps - 1) { line[i] = history[c][i] }
            for f in 0..<frames { line[taps - 1 + f] = input[f * channelCount + c] }
            line.withUnsafeBufferPointer { l in
                phases.withUnsafeBufferPointer { h in
                    for f in 0..<frames {
                        var peak = max(peaks[f], abs(l[f + taps - 1]))
                        for p in 0..<4 {
                            var a: Float = 0
                            for k in 0..<taps { a += h[p * taps + k] * l[f + k] }
                            peak = max(peak, abs(a))
                        }
                        peaks[f] = peak
                    }
                }
            }
            for i in 0..<(taps - 1) { history[c][i] = line[frames + i] }
        }
        for f in 0..<frames { required.append(peaks[f] > ceiling ? ceiling / peaks[f] : 1) }
    }

    /// Outputs frames until `limit` (absolute frame number, exclusive).
    private func emit(upTo limit: Int, _ body: (UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        guard limit > produced else { return }
        let span = taps + attackFrames  // M[j] = min required[j ..< j + span]
        var out = [Float](repeating: 0, count: (limit - produced) * channelCount)
        var o = 0
        if produced == 0 {
            // Frames before the start are silent, but the held gains M[j] for j < 0 still cover the first frames'
            // windows: start the average from the minimum over the first window (a little conservative).
            let first = required[0..<min(span, required.count)].min() ?? 1
            for i in held.indices { held[i] = first }
            heldSum = first * Float(held.count)
        }
        while produced < limit {
            let k = produced
            // Window of M[k]: required[k ..< k + span]. Enter every index up to its end, then drop those before k.
            while nextToEnter <= k + span - 1 {
                let value = required[nextToEnter - base]
                while deque.count > dequeHead, required[deque[deque.count - 1] - base] >= value { deque.removeLast() }
                deque.append(nextToEnter)
                nextToEnter += 1
            }
            while deque[dequeHead] < k { dequeHead += 1 }
            let m = required[deque[dequeHead] - base]
            // Average of the last attack + 1 held values.
            heldSum += m - held[heldIndex]
            held[heldIndex] = m
            heldIndex = (heldIndex + 1) % held.count
            let target = min(1, heldSum / Float(held.count))
            gain = target < gain ? target : min(target, gain + (1 - gain) * release)
            if gain < 1 {
                limitedFrames += 1
                deepestGain = min(deepestGain, gain)
            }
            for c in 0..<channelCount { out[o + c] = pending[(k - base) * channelCount + c] * gain }
            o += channelCount
            produced += 1
        }
        try out.withUnsafeBufferPointer { try body($0) }
        compact()
    }

    /// Drops frames and requirements no longer needed.
    private func compact() {
        // Keep every frame from the oldest index the sliding minimum still holds.
        let keepFrom = deque.count > dequeHead ? min(produced, deque[dequeHead]) : produced
        let drop = keepFrom - base
        guard drop > 4096 else { return }
        pending.removeFirst(drop * channelCount)
        required.removeFirst(drop)
        base += drop
        deque.removeFirst(dequeHead)
        dequeHead = 0
    }
}

@available(*, unavailable, message: "a TruePeakLimiter is a per-stream state machine; use one per task")
extension TruePeakLimiter: Sendable {}
