import Foundation

/// Chooses between a tracked beat level, twice as fast, and half as fast by the loudness of the accents.
///
/// librosa's tempo comes from the autocorrelation of a log-spectral-flux envelope with a prior around 120 BPM. The
/// logarithm makes a quiet hi-hat rise as far as a loud snare, so a drum pattern at 60 BPM with hi-hats on the
/// eighths reads 120, and a kick drum (a few low mel bands) hardly shows in the median over bands, so 180 BPM with
/// kick and snare alternating reads 90 (snare to snare). Both are errors of the metrical level, not of precision.
///
/// The accents here are rises of the linear RMS of ``BeatTracker/hop``-sample blocks, the largest within a
/// short window (about -46...+70 ms) of each beat. Two checks, on the beats the DP tracked:
/// - **Halve** when the beats alternate strong and weak: the weaker parity's mean accent is under
///   ``halvingRatio`` of the stronger's (the weak ones are subdivisions). The stronger parity stays.
/// - **Double** when the midpoints between beats carry accents at least ``doublingRatio`` of the beats' (the
///   midpoints are beats too), and the doubled tempo stays at or under ``maxBPM``.
///
/// Each check needs at least 8 beats, and the halved tempo stays at or over ``minBPM``.
struct MetricalLevel {
    /// Mean accent of the weaker parity under this fraction of the stronger's: halve. On the synthetic drum
    /// tracks the hi-hat eighths are 0.09 of the kick/snare beats and the snare 0.35 of the kick; the threshold
    /// sits near their geometric mean.
    static let halvingRatio: Float = 0.18
    /// Mean accent of the midpoints at least this fraction of the beats': double. Higher than
    /// ``halvingRatio`` so that a level is not doubled on evidence that would not stop it being halved, and
    /// well above the 0.2-0.3 of loud eighth-note hi-hats in a rock beat.
    static let doublingRatio: Float = 0.5
    /// Slowest tempo halving may give.
    static let minBPM = 50.0
    /// Fastest tempo doubling may give.
    static let maxBPM = 190.0

    private let rise: [Float]

    /// - Parameter rms: RMS of consecutive blocks of one hop each (block `j` starts at onset frame `j`).
    init(rms: [Float]) {
        var rise = [Float](repeating: 0, count: rms.count)
        for j in 1..<max(1, rms.count) { rise[j] = max(0, rms[j] - rms[j - 1]) }
        self.rise = rise
    }

    /// The largest rise from two blocks before to three blocks after `frame`.
    func accent(at frame: Int) -> Float {
        let low = max(0, frame - 2), high = min(rise.count - 1, frame + 3)
        guard low <= high else { return 0 }
        var best: Float = 0
        for j in low...high { best = max(best, rise[j]) }
        return best
    }

    /// The beats and tempo at the chosen level.
    func choose(beats: [Int], bpm: Double) -> (beats: [Int], bpm: Double) {
        guard beats.count >= 8 else { return (beats, bpm) }
        let accents = beats.map(accent(at:))
        let beatMean = mean(accents)
        guard beatMean > 0 else { return (beats, bpm) }
        if bpm * 2 <= Self.maxBPM {
            let midpoints = zip(beats, beats.dropFirst()).map { ($0 + $1) / 2 }
            let ratio = mean(midpoints.map(accent(at:))) / beatMean
            if ratio >= Self.doublingRatio {
                var merged: [Int] = []
                for (index, beat) in beats.enumerated() {
                    merged.append(beat)
                    if index < midpoints.count { merged.append(midpoints[index]) }
                }
                return (merged, bpm * 2)
            }
        }
        if bpm / 2 >= Self.minBPM {
            let even = stride(from: 0, to: accents.count, by: 2).map { accents[$0] }
            let odd = stride(from: 1, to: accents.count, by: 2).map { accents[$0] }
            let (strong, weak) = mean(even) >= mean(odd) ? (0, mean(odd) / mean(even)) : (1, mean(even) / mean(odd))
            if weak < Self.halvingRatio {
                return (stride(from: strong, to: beats.count, by: 2).map { beats[$0] }, bpm / 2)
            }
        }
        return (beats, bpm)
    }

    private func mean(_ values: [Float]) -> Float {
        values.isEmpty ? 0 : values.reduce(0, +) / Float(values.count)
    }
}
