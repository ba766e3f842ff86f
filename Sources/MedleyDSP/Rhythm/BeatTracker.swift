import Foundation
import MedleyCore

/// Tempo, beats and onsets of a clip.
public struct BeatResult: Sendable, Equatable, Encodable {
    /// Estimated tempo in BPM: the slope of a least-squares line through the beat times (so 120 BPM reads 120,
    /// not librosa's lag-grid value 117.45), or the grid value when there are fewer than 4 beats; 0 when there
    /// is no onset energy. In librosa-compatible mode, librosa's grid value.
    public var tempoBPM: Double
    /// Beat times in seconds.
    public var beats: [Double]
    /// Onset times in seconds.
    public var onsets: [Double]
    /// Duration analysed, in seconds.
    public var duration: Double

    enum CodingKeys: String, CodingKey {
        case tempoBPM = "tempo_bpm", beats, onsets, duration
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func ms(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
        try c.encode((tempoBPM * 100).rounded() / 100, forKey: .tempoBPM)
        try c.encode(beats.map(ms), forKey: .beats)
        try c.encode(onsets.map(ms), forKey: .onsets)
        try c.encode(ms(duration), forKey: .duration)
    }
}

/// Beat tracking by dynamic programming (Ellis 2007), reproducing librosa 0.11's `beat_track` (tightness 100,
/// `trim=True`) on the median onset envelope, with the tempo from ``TempoEstimator``, plus `onset_detect`'s onsets.
///
/// Feed mono samples at ``sampleRate`` (librosa: 22,050 Hz) with ``process(_:)``; ``finish()`` runs the tempo
/// estimate and the DP over the whole envelope (one float per 23 ms frame). The log-mel frames wait in a
/// ``FrameStore`` for the clip maximum (see ``OnsetStrength``).
public final class BeatTracker {
    /// Analysis rate.
    public let sampleRate: Int
    /// Hop in samples (librosa 512).
    public let hop: Int
    private let onsets: OnsetStrength
    private var samples = 0
    /// Sum of squares of the current block of ``hop`` samples, and the RMS of each finished block: the accents
    /// that decide the metrical level (see ``MetricalLevel``), one float per onset frame.
    private var blockSquares = 0.0
    private var blockFill = 0
    private var blockRMS: [Float] = []

    /// DP tightness: how strictly beats follow the tempo (librosa `tightness=100`).
    public static let tightness = 100.0

    /// Reproduce librosa exactly (its tempo grid and its octave choice) instead of Medley's refinements.
    public let librosaCompatible: Bool

    /// Creates a tracker for mono audio at `sampleRate`.
    ///
    /// - Parameter librosaCompatible: when false (the default), three refinements are applied on top of
    ///   librosa's algorithm: the tempo is doubled when the autocorrelation at half the chosen lag is at least as
    ///   strong (librosa's prior around 120 BPM otherwise halves fast click tracks: 180 BPM reads 89.1); the
    ///   metrical level is then checked against the loudness of the accents (``MetricalLevel``: quiet hi-hat
    ///   eighths do not double a 60 BPM drum pattern, alternating kick and snare at 180 BPM are not halved); and
    ///   the reported tempo is fitted to the beats. When true, tempo and beats equal librosa 0.11's `beat_track`.
    public init(sampleRate: Int = 22_050, librosaCompatible: Bool = false) throws {
        self.sampleRate = sampleRate
        self.librosaCompatible = librosaCompatible
        let stft = STFTSettings()
        hop = stft.hop
        onsets = try OnsetStrength(sampleRate: sampleRate, stft: stft)
    }

    /// Analyses mono samples.
    public func process(_ chunk: UnsafeBufferPointer<Float>) throws {
        samples += chunk.count
        try onsets.process(chunk)
        var index = 0
        while index < chunk.count {
            let count = min(hop - blockFill, chunk.count - index)
            var sum: Float = 0
            for i in index..<(index + count) { sum += chunk[i] * chunk[i] }
            blockSquares += Double(sum)
            blockFill += count
            index += count
            if blockFill == hop {
                blockRMS.append(Float((blockSquares / Double(hop)).squareRoot()))
                blockSquares = 0
                blockFill = 0
            }
        }
    }

    /// Array convenience for ``process(_:)``.
    public func process(_ chunk: [Float]) throws {
        try chunk.withUnsafeBufferPointer { try process($0) }
    }

    /// Ends the stream: tempo, beats and onsets.
    public func finish() throws -> BeatResult {
        let envelopes = try onsets.finish()
        let seconds = Double(hop) / Double(sampleRate)
        let onsetFrames = OnsetPicker.onsets(envelope: envelopes.mean, sampleRate: sampleRate, hop: hop)
        let duration = Double(samples) / Double(sampleRate)
        let envelope = envelopes.median
        guard envelope.contains(where: { $0 > 0 }) else {
            return BeatResult(tempoBPM: 0, beats: [], onsets: onsetFrames.map { Double($0) * seconds }, duration: duration)
        }
        let tempogram = try TempoEstimator.meanTempogram(envelope: envelope, sampleRate: sampleRate, hop: hop)
        var lag = TempoEstimator.bestLag(meanTempogram: tempogram, sampleRate: sampleRate, hop: hop)
        if !librosaCompatible {
            // Half the lag (double tempo) wins when it is nearly as periodic and stays a plausible tempo.
            let half = tempogram[lag / 2] >= tempogram[(lag + 1) / 2] ? lag / 2 : (lag + 1) / 2
            let doubled = TempoEstimator.bpm(lag: half, sampleRate: sampleRate, hop: hop)
            if half >= 1, doubled <= Self.maxDoubledBPM, tempogram[half] >= Self.doublingRatio * tempogram[lag] {
                lag = half
            }
        }
        let bpm = TempoEstimator.bpm(lag: lag, sampleRate: sampleRate, hop: hop)
        var beatFrames = Self.track(envelope: envelope, bpm: bpm, frameRate: Double(sampleRate) / Double(hop))
        var levelBPM = bpm
        if !librosaCompatible {
            let level = MetricalLevel(rms: blockRMS)
            let choice = level.choose(beats: beatFrames, bpm: bpm)
            beatFrames = choice.beats
            levelBPM = choice.bpm
        }
        let beats = beatFrames.map { Double($0) * seconds }
        let tempo = librosaCompatible ? bpm : (Self.fittedTempo(beats) ?? levelBPM)
        return BeatResult(tempoBPM: tempo, beats: beats, onsets: onsetFrames.map { Double($0) * seconds }, duration: duration)
    }

    /// How periodic half the lag must be, relative to the chosen lag, to double the tempo (on uniform click
    /// tracks the ratio is 0.98; on music whose beats are stronger than its off-beats it is below 0.7).
    static let doublingRatio = 0.9
    /// The highest tempo the octave correction may choose.
    static let maxDoubledBPM = 190.0

    /// 60 / the slope of a least-squares line through the beat times, when there are at least 4 beats.
    static func fittedTempo(_ beats: [Double]) -> Double? {
        let n = Double(beats.count)
        guard beats.count >= 4 else { return nil }
        let meanIndex = (n - 1) / 2
        let meanTime = beats.reduce(0, +) / n
        var numerator = 0.0, denominator = 0.0
        for (i, t) in beats.enumerated() {
            numerator += (Double(i) - meanIndex) * (t - meanTime)
            denominator += pow(Double(i) - meanIndex, 2)
        }
        let period = numerator / denominator
        return period > 0 ? 60 / period : nil
    }

    /// The DP beat tracker over an onset envelope (librosa `__beat_tracker` with `trim=True`): beat frame indices.
    static func track(envelope: [Float], bpm: Double, frameRate: Double) -> [Int] {
        let n = envelope.count
        guard n > 2, bpm > 0 else { return [] }
        let framesPerBeat = (frameRate * 60 / bpm).rounded(.toNearestOrEven)
        let fpb = Int(framesPerBeat)
        guard fpb >= 1 else { return [] }
        // Normalise by the standard deviation (ddof = 1).
        let mean = envelope.reduce(0.0) { $0 + Double($1) } / Double(n)
        let variance = envelope.reduce(0.0) { $0 + pow(Double($1) - mean, 2) } / Double(n - 1)
        let norm = variance.squareRoot() + Double(Float.leastNormalMagnitude)
        let onset = envelope.map { Double($0) / norm }
        // Local score: 'same' convolution with a Gaussian of ±fpb frames.
        let kernel = (-fpb...fpb).map { k in exp(-0.5 * pow(Double(k) * 32 / framesPerBeat, 2)) }
        var local = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for j in max(0, i - fpb)...min(n - 1, i + fpb) { s += onset[j] * kernel[i - j + fpb] }
            local[i] = s
        }
        // Dynamic programme.
        var cumulative = [Double](repeating: 0, count: n)
        var backlink = [Int](repeating: -1, count: n)
        let maxLocal = local.max() ?? 0
        let nearest = Int((framesPerBeat / 2).rounded(.toNearestOrEven))
        let logFPB = log(framesPerBeat)
        var started = false
        for i in 0..<n {
            var bestScore = -Double.infinity, bestLoc = -1
            var loc = i - nearest
            while loc >= i - 2 * fpb && loc >= 0 {
                let penalty = Self.tightness * pow(log(Double(i - loc)) - logFPB, 2)
                let score = cumulative[loc] - penalty
                if score > bestScore { bestScore = score; bestLoc = loc }
                loc -= 1
            }
            cumulative[i] = bestLoc >= 0 ? local[i] + bestScore : local[i]
            if !started && local[i] >= 0.01 * maxLocal { started = true }
            backlink[i] = started ? bestLoc : -1
        }
        // Last beat: the last local maximum of the cumulative score reaching half the median of those maxima.
        var maxima: [Int] = []
        // librosa.util.localmax pads with the edge value, so frame 0 is never a maximum and the last frame is
        // one when it exceeds the frame before.
        for i in 1..<n {
            let left = cumulative[i - 1]
            let right = i + 1 < n ? cumulative[i + 1] : -Double.infinity
            if cumulative[i] > left && cumulative[i] >= right { maxima.append(i) }
        }
        guard !maxima.isEmpty else { return [] }
        let values = maxima.map { cumulative[$0] }.sorted()
        let median = values.count % 2 == 1 ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
        guard let last = maxima.last(where: { cumulative[$0] >= 0.5 * median }) else { return [] }
        var beats: [Int] = []
        var b = last
        while b >= 0 {
            beats.append(b)
            b = backlink[b]
        }
        beats.reverse()
        // Trim weak leading and trailing beats: threshold = RMS of the beat scores smoothed by [.5, 1, .5].
        let scores = beats.map { local[$0] }
        var smoothed = [Double](repeating: 0, count: scores.count)
        for j in 0..<scores.count {
            smoothed[j] = scores[j] + 0.5 * ((j > 0 ? scores[j - 1] : 0) + (j + 1 < scores.count ? scores[j + 1] : 0))
        }
        // librosa convolves with [0, .5, 1, .5, 0] in 'full' mode and drops the first two values, so the
        // sequence is the smoothed scores shifted by one plus one trailing value; its mean square is over n + 2.
        var squares = smoothed.reduce(0) { $0 + $1 * $1 }
        if let lastScore = scores.last { squares += pow(0.5 * lastScore, 2) }
        let threshold = 0.5 * (squares / Double(scores.count + 2)).squareRoot()
        var startFrame = 0
        while startFrame < n && local[startFrame] <= threshold { startFrame += 1 }
        var endFrame = n - 1
        while endFrame >= 0 && local[endFrame] <= threshold { endFrame -= 1 }
        return beats.filter { $0 >= startFrame && $0 <= endFrame }
    }
}

@available(*, unavailable, message: "a BeatTracker is a per-stream state machine; use one per task")
extension BeatTracker: Sendable {}
