import Foundation

/// Per-frame spectral descriptors, each as librosa 0.11 computes it on the same STFT frame:
/// - `centroid`: `Σ f·|X| / Σ|X|` (spectral_centroid, magnitude);
/// - `bandwidth`: `sqrt(Σ p·(f − centroid)²)` with p the magnitude normalised to sum 1 (spectral_bandwidth, p=2);
/// - `rolloff`: the lowest bin frequency where the cumulative magnitude reaches 85 % (spectral_rolloff);
/// - `flatness`: geometric / arithmetic mean of `max(1e-10, |X|²)` (spectral_flatness);
/// - `flux`: L2 norm of the change of the sum-normalised magnitude spectrum from the previous frame, so it measures
///   a change of shape and not of level (librosa has none; the voice set's `spectral_flux` is eGeMAPS's
///   unnormalised one), 0 on the first frame;
/// - `zcr`: fraction of sign changes in the frame (zero_crossing_rate; librosa pads the ends with the edge value,
///   we with zeros, which changes only the first and last two frames);
/// - `rms`: `sqrt(mean(x²))` over the frame (rms with `center=True`, constant padding).
struct SpectralDescriptors {
    static let columns = ["centroid", "bandwidth", "rolloff", "flatness", "flux", "zcr", "rms"]
    let frequencies: [Float]
    let rolloffPercent: Float
    private var previous: [Float]
    private var magnitude: [Float]
    private var first = true

    init(sampleRate: Int, fftLength: Int, rolloffPercent: Float) {
        let bins = fftLength / 2 + 1
        frequencies = (0..<bins).map { Float(Double($0) * Double(sampleRate) / Double(fftLength)) }
        self.rolloffPercent = rolloffPercent
        previous = [Float](repeating: 0, count: bins)
        magnitude = previous
    }

    mutating func add(_ frame: SpectrogramFrame, into rows: inout [Float]) {
        let power = frame.spectrum
        let n = power.count
        var total: Float = 0, weighted: Float = 0, logSum = 0.0, powerSum = 0.0
        for k in 0..<n {
            let m = power[k].squareRoot()
            magnitude[k] = m
            total += m
            weighted += m * frequencies[k]
            let p = max(1e-10, power[k])
            logSum += Double(log(p))
            powerSum += Double(p)
        }
        let centroid = total > 0 ? weighted / total : 0
        var spread: Float = 0
        var flux: Float = 0
        var rolloff: Float = 0
        var cumulative: Float = 0
        let threshold = rolloffPercent * total
        var rolled = false
        for k in 0..<n {
            let p = total > 0 ? magnitude[k] / total : 0
            let d = frequencies[k] - centroid
            spread += p * d * d
            if !first { flux += (p - previous[k]) * (p - previous[k]) }
            previous[k] = p
            cumulative += magnitude[k]
            if !rolled && cumulative >= threshold && total > 0 {
                rolloff = frequencies[k]
                rolled = true
            }
        }
        first = false
        let flatness = Float(exp(logSum / Double(n)) / (powerSum / Double(n)))
        let x = frame.samples
        var crossings = 0
        var energy: Float = 0
        for i in 0..<x.count {
            energy += x[i] * x[i]
            // librosa zero_crossings: |x| ≤ 1e-10 counts as 0, and 0 counts as positive (zero_pos=True).
            if i > 0 {
                let a = abs(x[i - 1]) <= 1e-10 ? 0 : x[i - 1], b = abs(x[i]) <= 1e-10 ? 0 : x[i]
                if (a < 0) != (b < 0) { crossings += 1 }
            }
        }
        let zcr = Float(crossings) / Float(max(1, x.count))
        let rms = (energy / Float(max(1, x.count))).squareRoot()
        rows.append(contentsOf: [centroid, spread.squareRoot(), rolloff, flatness, flux.squareRoot(), zcr, rms])
    }
}
