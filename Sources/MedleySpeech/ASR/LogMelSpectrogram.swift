import Foundation
import MedleyDSP

/// Whisper's log-mel front end, computed exactly as faster-whisper 1.2.1 (and OpenAI Whisper) do.
///
/// 16 kHz mono float input gets 160 zero samples appended, is reflect-padded by 200 samples at each end and cut
/// into 400-sample frames every 160 samples under a periodic Hann window; the power spectrum (201 bins) goes
/// through 80 Slaney mel filters, then `log10(max(mel, 1e-10))`. An input of N samples gives N/160 + 1 frames
/// (the last STFT frame is dropped), of which the first N/160 are content. ``WhisperFeatures`` then applies the
/// clamp to (maximum − 8) and the (x + 4)/4 scaling.
///
/// The DFT is a matrix product with a precomputed [402 × 400] cosine/sine basis (window folded in), done by
/// OpenBLAS, followed by a second product with the filter bank: exact, and a few milliseconds per 30 s.
public struct LogMelSpectrogram: Sendable {
    /// Whisper's fixed front-end constants (from its training setup).
    public static let sampleRate = 16_000
    /// DFT length in samples (25 ms).
    public static let fftSize = 400
    /// Samples between frames (10 ms).
    public static let hopLength = 160
    /// Frames in one 30 s encoder window.
    public static let framesPerWindow = 3000
    /// Zero samples appended to the whole input before framing (faster-whisper's `padding=160`).
    static let trailingPadding = 160
    static let binCount = fftSize / 2 + 1

    /// Mel bins (80 for every model up to large-v2).
    public let melBins: Int
    private let basis: [Float]     // [2 * binCount][fftSize]: window·cos rows, then window·sin rows
    private let filters: [Float]   // [melBins][binCount]

    /// Builds the DFT basis and the Slaney mel filter bank for `melBins` bins on 0–8000 Hz.
    public init(melBins: Int = 80) {
        self.melBins = max(1, melBins)
        let n = Self.fftSize, bins = Self.binCount
        var basis = [Float](repeating: 0, count: 2 * bins * n)
        for k in 0..<bins {
            for t in 0..<n {
                let window = 0.5 - 0.5 * cos(2 * Double.pi * Double(t) / Double(n))   // periodic Hann
                // Reduce k·t modulo n first so the angle stays small and exact.
                let angle = 2 * Double.pi * Double((k * t) % n) / Double(n)
                basis[k * n + t] = Float(window * cos(angle))
                basis[(bins + k) * n + t] = Float(window * sin(angle))
            }
        }
        self.basis = basis
        filters = Self.slaneyFilters(melBins: self.melBins, bins: bins)
    }

    /// The filter bank, [melBins][201], for tests.
    var filterBank: [Float] { filters }

    /// Triangles between 82 points equally spaced in Slaney mel (linear below 1 kHz, logarithmic above),
    /// each scaled by 2/(f[i+2] − f[i]) (constant energy per channel), as librosa and Whisper build them.
    static func slaneyFilters(melBins: Int, bins: Int) -> [Float] {
        let linearStep = 200.0 / 3, logStart = 1000.0, logStartMel = logStart / linearStep
        let logStep = log(6.4) / 27
        func hertzToMel(_ f: Double) -> Double {
            f < logStart ? f / linearStep : logStartMel + log(f / logStart) / logStep
        }
        func melToHertz(_ m: Double) -> Double {
            m < logStartMel ? m * linearStep : logStart * exp(logStep * (m - logStartMel))
        }
        let maxMel = hertzToMel(Double(sampleRate) / 2)
        let points = (0..<(melBins + 2)).map { melToHertz(maxMel * Double($0) / Double(melBins + 1)) }
        var filters = [Float](repeating: 0, count: melBins * bins)
        for i in 0..<melBins {
            let lower = points[i], center = points[i + 1], upper = points[i + 2]
            let norm = 2 / (upper - lower)
            for k in 0..<bins {
                let f = Double(k) * Double(sampleRate) / Double(fftSize)
                let weight = max(0, min((f - lower) / (center - lower), (upper - f) / (upper - center)))
                filters[i * bins + k] = Float(weight * norm)
            }
        }
        return filters
    }

    /// The number of frames (content plus one) for an input of `sampleCount` samples.
    public static func frameCount(sampleCount: Int) -> Int { sampleCount / hopLength + 1 }

    /// Unnormalised `log10(max(mel, 1e-10))` of frames `frames`, time-major: `melBins` values per frame.
    ///
    /// `signal` holds the padded input z = samples ‖ 160 zeros (length `signalLength`) from absolute index
    /// `signalStart` on; it must cover every sample the frames read, after reflection at both ends of z.
    func logMel(signal: UnsafeBufferPointer<Float>, signalStart: Int, signalLength: Int, frames: Range<Int>,
                into output: UnsafeMutablePointer<Float>) {
        let n = Self.fftSize, bins = Self.binCount, half = n / 2
        let chunkFrames = 512
        let frameBuffer = UnsafeMutablePointer<Float>.allocate(capacity: chunkFrames * n)
        let spectrum = UnsafeMutablePointer<Float>.allocate(capacity: chunkFrames * 2 * bins)
        let power = UnsafeMutablePointer<Float>.allocate(capacity: chunkFrames * bins)
        defer { frameBuffer.deallocate(); spectrum.deallocate(); power.deallocate() }
        // Reflection without repeating the edge sample, repeated for inputs shorter than the padding (numpy's
        // "reflect" mode): the signal continues as a mirror image with period 2(L − 1).
        let period = max(1, 2 * (signalLength - 1))
        func reflected(_ index: Int) -> Int {
            guard signalLength > 1 else { return 0 }
            var i = index % period
            if i < 0 { i += period }
            return i < signalLength ? i : period - i
        }
        var chunkStart = frames.lowerBound
        while chunkStart < frames.upperBound {
            let count = min(chunkFrames, frames.upperBound - chunkStart)
            for f in 0..<count {
                let first = (chunkStart + f) * Self.hopLength - half
                let row = frameBuffer + f * n
                if first >= 0 && first + n <= signalLength {
                    let offset = first - signalStart
                    for t in 0..<n { row[t] = signal[offset + t] }
                } else {
                    for t in 0..<n {
                        let index = reflected(first + t) - signalStart
                        row[t] = index >= 0 && index < signal.count ? signal[index] : 0
                    }
                }
            }
            basis.withUnsafeBufferPointer { basis in
                guard let basis = basis.baseAddress else { return }
                BLAS.sgemm(m: count, n: 2 * bins, k: n, a: frameBuffer, lda: n, b: basis, ldb: n, transposeB: true,
                           c: spectrum, ldc: 2 * bins)
            }
            for f in 0..<count {
                let re = spectrum + f * 2 * bins, im = re + bins, p = power + f * bins
                for k in 0..<bins { p[k] = re[k] * re[k] + im[k] * im[k] }
            }
            let out = output + (chunkStart - frames.lowerBound) * melBins
            filters.withUnsafeBufferPointer { filters in
                guard let filters = filters.baseAddress else { return }
                BLAS.sgemm(m: count, n: melBins, k: bins, a: power, lda: bins, b: filters, ldb: bins, transposeB: true,
                           c: out, ldc: melBins)
            }
            for i in 0..<(count * melBins) { out[i] = log10(max(out[i], 1e-10)) }
            chunkStart += count
        }
    }

    /// The normalised features of a whole input (the reference behaviour: the clamp uses the maximum over
    /// every frame of the input).
    public func features(of samples: [Float]) -> WhisperFeatures {
        let signalLength = samples.count + Self.trailingPadding
        let frameCount = Self.frameCount(sampleCount: samples.count)
        var signal = samples
        signal.append(contentsOf: repeatElement(0, count: Self.trailingPadding))
        var values = [Float](repeating: 0, count: frameCount * melBins)
        signal.withUnsafeBufferPointer { signal in
            values.withUnsafeMutableBufferPointer { values in
                guard let output = values.baseAddress else { return }
                logMel(signal: signal, signalStart: 0, signalLength: signalLength, frames: 0..<frameCount, into: output)
            }
        }
        let maximum = values.max() ?? 0
        return WhisperFeatures(logMel: values, melBins: melBins, contentFrames: samples.count / Self.hopLength,
                               maximum: maximum)
    }
}

/// Log-mel features of an input, time-major, with Whisper's normalisation applied on access.
public struct WhisperFeatures: Sendable {
    /// Unnormalised log10 values, `melBins` per frame, frame after frame.
    let logMel: [Float]
    /// Mel bins per frame.
    public let melBins: Int
    /// Frames that hold input (N / 160); the features have one frame more.
    public let contentFrames: Int
    /// The largest log10 value, which sets the clamp floor (maximum − 8).
    let maximum: Float

    /// Number of frames (content frames plus one).
    public var frameCount: Int { logMel.count / max(melBins, 1) }

    /// The normalised value `(max(L, maximum − 8) + 4) / 4` of one bin of one frame.
    public func value(bin: Int, frame: Int) -> Float {
        Self.normalise(logMel[frame * melBins + bin], floor: maximum - 8)
    }

    @inline(__always)
    static func normalise(_ value: Float, floor: Float) -> Float { (max(value, floor) + 4) / 4 }

    /// Writes the encoder input for the window starting at frame `seek`: `frames` normalised frames, then
    /// zeros (the 0.0 padding faster-whisper uses) up to ``LogMelSpectrogram/framesPerWindow``, time-major.
    func window(at seek: Int, frames: Int, into output: UnsafeMutablePointer<Float>) {
        Self.fillWindow(logMel: logMel, firstFrame: 0, seek: seek, frames: frames, melBins: melBins,
                        floor: maximum - 8, into: output)
    }

    static func fillWindow(logMel: [Float], firstFrame: Int, seek: Int, frames: Int, melBins: Int, floor: Float,
                           into output: UnsafeMutablePointer<Float>) {
        let total = LogMelSpectrogram.framesPerWindow * melBins
        output.initialize(repeating: 0, count: total)
        let start = (seek - firstFrame) * melBins
        let count = min(frames * melBins, total, logMel.count - start)
        guard start >= 0, count > 0 else { return }
        for i in 0..<count { output[i] = normalise(logMel[start + i], floor: floor) }
    }
}
