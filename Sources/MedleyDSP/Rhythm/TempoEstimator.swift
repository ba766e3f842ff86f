import Foundation
import MedleyCore

/// librosa's `feature.tempo` (0.11 defaults): the mean over time of the Hann-windowed, max-normalised local
/// autocorrelation of the onset envelope over 8 s windows (`tempogram`), weighted by a log-normal prior around
/// 120 BPM with a one-octave standard deviation, capped at 320 BPM.
///
/// The lag grid is coarse (at 22,050 Hz / 512 the lags near 120 BPM give 123.05, 117.45 and 112.35 BPM), exactly
/// as librosa reports it.
public enum TempoEstimator {
    /// Prior centre (librosa `start_bpm=120`).
    public static let startBPM = 120.0
    /// Prior width in octaves (librosa `std_bpm=1`).
    public static let octaveDeviation = 1.0
    /// Autocorrelation window in seconds (librosa `ac_size=8`).
    public static let windowSeconds = 8.0
    /// Highest tempo considered (librosa `max_tempo=320`).
    public static let maxBPM = 320.0

    /// Estimates the tempo in BPM from an onset envelope at `sampleRate / hop` frames per second.
    public static func tempo(envelope: [Float], sampleRate: Int, hop: Int) throws -> Double {
        let mean = try meanTempogram(envelope: envelope, sampleRate: sampleRate, hop: hop)
        return bpm(lag: bestLag(meanTempogram: mean, sampleRate: sampleRate, hop: hop), sampleRate: sampleRate, hop: hop)
    }

    /// BPM of an autocorrelation lag in frames.
    public static func bpm(lag: Int, sampleRate: Int, hop: Int) -> Double {
        60 * Double(sampleRate) / (Double(hop) * Double(max(lag, 1)))
    }

    /// librosa's choice of lag: `argmax(log1p(1e6·tg) + prior)` over lags below 320 BPM.
    public static func bestLag(meanTempogram tg: [Double], sampleRate: Int, hop: Int) -> Int {
        var best = -Double.infinity, bestLag = 1
        var capped = false
        for lag in 1..<max(tg.count, 2) where lag < tg.count {
            let bpm = bpm(lag: lag, sampleRate: sampleRate, hop: hop)
            if !capped { if bpm < maxBPM { capped = true } else { continue } }
            let prior = -0.5 * pow((log2(bpm) - log2(startBPM)) / octaveDeviation, 2)
            let score = log1p(1e6 * tg[lag]) + prior
            if score > best { best = score; bestLag = lag }
        }
        return bestLag
    }

    /// The tempogram (8 s windows, lags 0..<window) averaged over time, as `librosa.feature.tempogram(...).mean(-1)`.
    public static func meanTempogram(envelope: [Float], sampleRate: Int, hop: Int) throws -> [Double] {
        let n = envelope.count
        let window = Int((windowSeconds * Double(sampleRate) / Double(hop)).rounded(.down))
        guard n > 0, window > 1 else { return [] }
        let half = window / 2
        // Pad with linear ramps from 0 to the edge values (numpy pad mode "linear_ramp", endpoint excluded).
        var padded = [Float](repeating: 0, count: n + 2 * half)
        for i in 0..<half {
            padded[i] = Float(Double(envelope[0]) * Double(i) / Double(half))
            padded[n + 2 * half - 1 - i] = Float(Double(envelope[n - 1]) * Double(i) / Double(half))
        }
        for i in 0..<n { padded[half + i] = envelope[i] }
        let hann = WindowFunction.hann.weights(length: window, periodic: true)
        var fftLength = 1
        while fftLength < 2 * window - 1 { fftLength <<= 1 }
        let fft = try RealFFT(length: fftLength)
        let bins = fftLength / 2 + 1
        var frame = [Float](repeating: 0, count: fftLength)
        var power = [Float](repeating: 0, count: bins)
        var symmetric = [Float](repeating: 0, count: fftLength)
        var re = [Float](repeating: 0, count: bins), im = re
        var sum = [Double](repeating: 0, count: window)
        // Frames t = 0..<n, each the window of padded[t ..< t + window].
        for t in 0..<n {
            for i in 0..<window { frame[i] = padded[t + i] * hann[i] }
            frame.withUnsafeBufferPointer { x in
                re.withUnsafeMutableBufferPointer { r in
                    im.withUnsafeMutableBufferPointer { m in fft.forward(x.baseAddress!, real: r.baseAddress!, imaginary: m.baseAddress!) }
                }
            }
            for k in 0..<bins { power[k] = re[k] * re[k] + im[k] * im[k] }
            // The autocorrelation is the inverse DFT of the power; for a real even sequence that is a forward DFT.
            for k in 0..<bins { symmetric[k] = power[k] }
            for k in 1..<(fftLength - bins + 1) { symmetric[fftLength - k] = power[k] }
            symmetric.withUnsafeBufferPointer { x in
                re.withUnsafeMutableBufferPointer { r in
                    im.withUnsafeMutableBufferPointer { m in fft.forward(x.baseAddress!, real: r.baseAddress!, imaginary: m.baseAddress!) }
                }
            }
            var peak: Float = 0
            for lag in 0..<window { peak = max(peak, abs(re[lag])) }
            // librosa.util.normalize(norm=inf): frames below the smallest normal float are left unscaled.
            let scale = peak >= Float.leastNormalMagnitude ? 1 / peak : 1 / Float(fftLength)
            for lag in 0..<window { sum[lag] += Double(re[lag] * scale) }
        }
        return sum.map { $0 / Double(n) }
    }
}
