import Foundation
import MedleyCore

/// librosa's `onset_strength` (0.11 defaults: 128-band Slaney mel power at n_fft 2048 / hop 512, `power_to_db`
/// with top_db 80 over the clip, `lag=1`, `max_size=1`, `center=True`, no detrending), streamed.
///
/// The log-mel frames are kept in a ``FrameStore`` (memory up to 32 MiB, then a temporary file) until the clip's
/// maximum is known, because the top-dB floor couples every frame to it. ``finish()`` returns both envelopes
/// librosa uses: the band **mean** (onset detection) and the band **median** (beat tracking).
public final class OnsetStrength {
    /// Analysis rate.
    public let sampleRate: Int
    /// STFT settings (librosa defaults).
    public let stft: STFTSettings
    private let framer: SpectrogramFramer
    private let mel: MelFilterbank
    private let decibels = PowerToDecibels()
    private let store: FrameStore
    private var maximum = -Float.infinity
    private var melBuffer: [Float]

    /// Onset envelopes of a clip, one value per STFT frame.
    public struct Envelopes: Sendable {
        /// Mean over mel bands (librosa `aggregate=np.mean`, used by `onset_detect`).
        public var mean: [Float]
        /// Median over mel bands (used by `beat_track`).
        public var median: [Float]
    }

    /// Creates the analyser for mono audio at `sampleRate`.
    public init(sampleRate: Int = 22_050, stft: STFTSettings = STFTSettings()) throws {
        self.sampleRate = sampleRate
        self.stft = stft
        framer = try SpectrogramFramer(settings: stft)
        mel = try MelFilterbank(sampleRate: sampleRate, fftLength: stft.fftLength)
        store = FrameStore(width: mel.bandCount)
        melBuffer = [Float](repeating: 0, count: mel.bandCount)
    }

    /// Analyses mono samples.
    public func process(_ samples: UnsafeBufferPointer<Float>) throws {
        try framer.push(samples) { try handle($0) }
    }

    private func handle(_ frame: SpectrogramFrame) throws {
        try melBuffer.withUnsafeMutableBufferPointer { m in
            mel.apply(frame.spectrum.baseAddress!, into: m.baseAddress!)
            maximum = max(maximum, decibels.decibels(m.baseAddress!, count: mel.bandCount))
            try store.append(UnsafeBufferPointer(m))
        }
    }

    /// Ends the stream and returns the envelopes (length = number of STFT frames).
    public func finish() throws -> Envelopes {
        try framer.finish { try handle($0) }
        let bands = mel.bandCount
        // Leading zeros: lag (1) + n_fft/(2·hop) for centred frames (librosa's pad_width).
        let lead = 1 + (stft.centered ? stft.fftLength / (2 * stft.hop) : 0)
        var mean = [Float](repeating: 0, count: lead), median = mean
        var previous = [Float](repeating: 0, count: bands)
        var differences = [Float](repeating: 0, count: bands)
        var first = true
        try store.forEach { frame in
            decibels.floor(frame.baseAddress!, count: bands, maximum: maximum)
            if !first {
                var sum: Float = 0
                for f in 0..<bands {
                    let d = max(0, frame[f] - previous[f])
                    differences[f] = d
                    sum += d
                }
                mean.append(sum / Float(bands))
                median.append(Self.median(&differences))
            }
            first = false
            for f in 0..<bands { previous[f] = frame[f] }
        }
        let count = store.count
        if mean.count > count { mean.removeLast(mean.count - count); median.removeLast(median.count - count) }
        return Envelopes(mean: mean, median: median)
    }
}

extension OnsetStrength {
    /// numpy's median (mean of the two middle values for an even count) by quickselect; reorders `values`.
    static func median(_ values: inout [Float]) -> Float {
        let n = values.count
        guard n > 0 else { return 0 }
        return values.withUnsafeMutableBufferPointer { v -> Float in
            let upper = select(v, n / 2)
            if n % 2 == 1 { return upper }
            // After selecting n/2, everything before it is ≤ it: the lower middle is their maximum.
            var lower = -Float.infinity
            for i in 0..<(n / 2) { lower = max(lower, v[i]) }
            return (lower + upper) / 2
        }
    }

    /// The k-th smallest value (Hoare's quickselect, middle pivot); partitions `v` around it.
    private static func select(_ v: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
        var low = 0, high = v.count - 1
        while low < high {
            let pivot = v[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while v[i] < pivot { i += 1 }
                while v[j] > pivot { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return v[k]
    }
}

@available(*, unavailable, message: "an OnsetStrength analyser is a per-stream state machine; use one per task")
extension OnsetStrength: Sendable {}

/// librosa's `onset_detect` peak picking (`util.peak_pick`) with its defaults at the given frame rate:
/// envelope normalised to [0, 1], local maximum over 30 ms before, moving average over 100 ms before and after,
/// threshold `delta = 0.07` above that average, and at least 30 ms between onsets.
public enum OnsetPicker {
    /// Onset frame indices of an envelope sampled every `hop` samples at `sampleRate`.
    public static func onsets(envelope: [Float], sampleRate: Int, hop: Int) -> [Int] {
        let n = envelope.count
        guard n > 0 else { return [] }
        let rate = Double(sampleRate) / Double(hop)
        // librosa: pre_max = 0.03·sr//hop, post_max = 1, pre_avg = 0.1·sr//hop, post_avg = pre_avg + 1, wait = pre_max.
        let preMax = Int((0.03 * rate).rounded(.down)), postMax = 1
        let preAvg = Int((0.10 * rate).rounded(.down)), postAvg = Int((0.10 * rate).rounded(.down)) + 1
        let wait = Int((0.03 * rate).rounded(.down))
        let delta: Float = 0.07
        let low = envelope.min() ?? 0
        var x = envelope.map { $0 - low }
        let high = x.max() ?? 0
        let scale = high + Float.leastNormalMagnitude
        for i in 0..<n { x[i] /= scale }
        // Moving maximum over [i − preMax + origin … ] as scipy's maximum_filter1d(size=preMax+postMax,
        // origin=ceil((preMax−postMax)/2)) with the minimum outside.
        let size = preMax + postMax
        let origin = Int((0.5 * Double(preMax - postMax)).rounded(.up))
        let outside = x.min() ?? 0
        func movingMax(_ i: Int) -> Float {
            var m = -Float.infinity
            let start = i + origin - size / 2
            for j in start..<(start + size) { m = max(m, (0..<n).contains(j) ? x[j] : outside) }
            return m
        }
        // Moving average: mean of x[i − preAvg ..< i + postAvg], truncated at both ends.
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + Double(x[i]) }
        func movingAverage(_ i: Int) -> Float {
            let a = max(0, i - preAvg), b = min(n, i + postAvg)
            return Float((prefix[b] - prefix[a]) / Double(b - a))
        }
        var peaks: [Int] = []
        var last = Int.min / 2
        for i in 0..<n where x[i] != 0 {
            guard x[i] == movingMax(i), x[i] >= movingAverage(i) + delta else { continue }
            if i > last + wait {
                peaks.append(i)
                last = i
            }
        }
        return peaks
    }
}
